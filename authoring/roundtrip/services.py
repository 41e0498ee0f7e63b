"""A Word file back from the other side, as proposals: preview what it changed, then propose it in one go.

`preview_word_file` reads the upload (roundtrip.reading), checks it is a clean copy of a
revision of *this* agreement, and compares each clause's text in the file with that
revision's:

- the file's *edited* text (its tracked changes accepted) differs from the revision's:
  the clause is changed, by the Word authors of its tracked changes;
- the file's *original* text (its tracked changes rejected) already differs from the
  revision's: someone edited it **without tracking** - the preview says so, in red;
- a table's changed cells and added or removed rows are term changes (roundtrip.tables).

Each change is checked against the draft as it is now: it applies as it is, merges
exactly onto a draft that moved on, or conflicts (never patched approximately).
`import_word_file` then proposes the chosen changes through the negotiation service
(`propose_wording`: a changed value of a term becomes a term proposal), all in one
transaction with an audit event carrying the file's SHA-256 - or nothing at all.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from flask_babel import gettext as _
from sqlalchemy import delete, select

from ..access import can, membership_of
from ..audit import record
from ..document import Document
from ..document.merge import MergeConflict, merge_text
from ..export.layout import bookmark_name
from ..extensions import db
from ..i18n import in_language
from ..inputs.uploads import too_large
from ..models import Agreement, Membership, Proposal, Revision, User, WordUpload, utcnow
from ..models.negotiation import COMMENT_MAX
from ..negotiation.comments import add_comment, set_resolved
from ..negotiation.changes import InvalidChange, current_value, new_clause_key
from ..negotiation.services import NEGOTIABLE_STATUSES, NegotiationError, NothingToPropose, propose, propose_wording
from ..revisions.services import draft_of, revision_document
from .alignment import Alignment, align
from .reading import NotAWordFile, WordFile, read_word_file
from .tables import FoundTermChange, UnreadableEdit, table_changes

UNUSED_UPLOADS_KEPT = timedelta(days=7)
GUESSED_REVISIONS = 20  # a file that does not say its revision is compared with the newest this many


class ImportRefused(ValueError):
    """The file cannot be imported into this agreement; the message says why, in plain words."""


@dataclass(frozen=True)
class FoundChange:
    """One clause the file changed, as it will be proposed."""

    clause_key: str
    number: str  # the clause's number in the file's revision ("8.2")
    title: str
    base_text: str  # the clause as the file's revision has it
    text: str  # as the file has it, its tracked changes accepted
    untracked: bool  # the file changed it without tracking (its text before its tracked changes differs)
    authors: tuple[str, ...]  # the Word authors of its tracked changes
    status: str  # "applies", "merges" (the draft moved on; merged exactly) or "conflict"
    kind: str = "wording"  # or "removal": the file deleted the whole clause
    found_by: str = "bookmark"  # or, where the file lost its bookmarks: "heading", "number", "likeness"
    changed_at: datetime | None = None  # when its last tracked change was made, as Word recorded it

    @property
    def choice(self) -> str:
        """What the preview's checkbox for it sends."""
        return self.clause_key


@dataclass(frozen=True)
class FoundNewClause:
    """A clause the file adds (a new heading with text under it), as it will be proposed."""

    index: int
    section_key: str
    section: str  # "8 Service credits and remedies"
    title: str
    text: str
    untracked: bool
    authors: tuple[str, ...]
    changed_at: datetime | None = None

    @property
    def choice(self) -> str:
        return f"new:{self.index}"


@dataclass(frozen=True)
class FoundThread:
    """A comment thread written in Word: on a clause (its key, number and title) or on the agreement (None)."""

    index: int
    clause_key: str | None
    where: str  # "8.2 Title", or "" for the agreement as a whole
    comments: tuple[tuple[str, str], ...]  # (Word author, text): the first comment, then its replies
    resolved: bool = False  # marked done in Word

    @property
    def choice(self) -> str:
        return f"thread:{self.index}"


@dataclass
class Preview:
    """What a file would propose, clause by clause, its comment threads, and what could not be read."""

    file_name: str
    sha256: str
    revision_number: int
    revision_guessed: bool = False  # the file did not say its revision: the one it matches best was taken
    changes: list[FoundChange] = field(default_factory=list)
    new_clauses: list[FoundNewClause] = field(default_factory=list)
    threads: list[FoundThread] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # "8.2 Title" of clauses the file no longer marks
    renamed: list[tuple[str, str]] = field(default_factory=list)  # ("8.2 Title", the file's new heading)
    table_changes: list[FoundTermChange] = field(default_factory=list)  # terms its tables change (roundtrip.tables)
    unreadable: list[UnreadableEdit] = field(default_factory=list)  # table edits that cannot be read as values

    @property
    def untracked(self) -> int:
        return sum(item.untracked for item in (*self.changes, *self.new_clauses, *self.table_changes))

    @property
    def proposable(self) -> list:
        """The changes that can be proposed, in the order the preview lists them."""
        return ([change for change in (*self.changes, *self.table_changes) if change.status != "conflict"]
                + list(self.new_clauses))

    @property
    def matched_otherwise(self) -> list[FoundChange]:
        return [change for change in self.changes if change.found_by != "bookmark"]

    def fingerprint(self) -> str:
        """A digest of everything the preview shows, so a page that went stale before its submit is noticed."""
        return hashlib.sha256(repr((self.revision_number, self.changes, self.table_changes, self.new_clauses,
                                    self.threads)).encode("utf-8")).hexdigest()


def preview_word_file(agreement: Agreement, raw: bytes, file_name: str) -> Preview:
    """What `raw` (an uploaded DOCX) would propose in `agreement`; ImportRefused when it cannot be imported."""
    if (refusal := too_large(raw)) is not None:
        raise ImportRefused(refusal)
    try:
        word = read_word_file(raw)
    except NotAWordFile as error:
        raise ImportRefused(str(error)) from None
    if word.agreement_id is not None and word.agreement_id != agreement.id:
        raise ImportRefused(_("This Word file is a copy of another agreement."))
    if word.kind == "redline":
        raise ImportRefused(_("This is a redline: its tracked changes are the ones between two revisions here. "
                              "Upload the agreement's Word document that the other side edited."))
    if agreement.status not in NEGOTIABLE_STATUSES:
        raise ImportRefused(_("The agreement is not being negotiated, so a Word file cannot be proposed into it."))
    if word.agreement_id is None:  # pasted into a new document, or not from here: the revision it reads most like
        revision, document, alignment = _best_revision(agreement, word)
    else:
        revision = db.session.scalar(select(Revision).where(Revision.agreement_id == agreement.id,
                                                            Revision.number == word.revision_number))
        if revision is None or revision.hash != word.revision_hash:
            raise ImportRefused(_("The file names a revision this agreement does not have."))
        document = revision_document(revision)
        alignment = align(word, document)
    if not alignment.texts:
        raise ImportRefused(_("No clause of this agreement could be found in the file."))
    _draft, current = draft_of(agreement)
    current_texts = {clause.key: clause.text for clause in current.clauses()}
    preview = Preview(file_name, word.sha256, revision.number, revision_guessed=word.agreement_id is None)
    gone = []
    lines = [paragraph.line.edited for paragraph in word.paragraphs if not paragraph.in_contents]
    for _section_number, _section, clauses in document.numbered():
        for number, clause in clauses:
            heading = word.blocks.get(bookmark_name(f"c:{clause.key}"))
            if heading is not None and heading.edited_text.strip() and _fold(heading.edited_text) != _fold(clause.title):
                preview.renamed.append((f"{number} {clause.title}", heading.edited_text.strip()))
            block = alignment.texts.get(clause.key)
            if block is None:
                if _still_there(lines, clause):  # its words stand in the file, somewhere we cannot tell
                    preview.missing.append(f"{number} {clause.title}")
                else:  # gone from a file that still has others: deleted without tracking
                    gone.append(FoundChange(clause.key, number, clause.title, clause.text, "", untracked=True,
                                            authors=(), status=_removal_status(clause.key, clause.text, current_texts),
                                            kind="removal"))
                continue
            if block.edited_text == clause.text:
                continue
            authors, changed_at = _who_and_when(block.changes)
            untracked = block.original_text != clause.text
            found_by = alignment.found_by.get(clause.key, "bookmark")
            if not block.edited_text.strip():  # every word of it deleted: the clause is to go
                preview.changes.append(FoundChange(clause.key, number, clause.title, clause.text, "", untracked,
                                                   authors, _removal_status(clause.key, clause.text, current_texts),
                                                   "removal", found_by, changed_at))
                continue
            preview.changes.append(FoundChange(
                clause.key, number, clause.title, clause.text, block.edited_text, untracked=untracked, authors=authors,
                status=_status(clause.text, block.edited_text, current_texts.get(clause.key)), found_by=found_by,
                changed_at=changed_at))
    preview.changes += gone
    sections = {section.key: f"{number} {section.title}" for number, section, _clauses in current.numbered()}
    preview.new_clauses = [
        FoundNewClause(index, added.section_key, sections.get(added.section_key, ""), added.title, added.text,
                       added.untracked, *_who_and_when(added.changes))
        for index, added in enumerate(alignment.new_clauses) if added.section_key in sections]
    preview.threads = _threads(word, document)
    preview.table_changes, preview.unreadable = table_changes(word.tables, document, current, agreement.language)
    return preview


def _best_revision(agreement: Agreement, word: WordFile) -> tuple[Revision, Document, Alignment]:
    """The revision (of the newest few) the file reads most like - the most of its clauses' lines found
    word for word among the file's paragraphs, newest first on a tie - aligned with the file once."""
    lines = {paragraph.line.edited.strip() for paragraph in word.paragraphs if not paragraph.in_contents}
    best = None
    revisions = db.session.scalars(select(Revision).where(Revision.agreement_id == agreement.id)
                                   .order_by(Revision.number.desc()).limit(GUESSED_REVISIONS))
    for revision in revisions:
        document = revision_document(revision)
        same = sum(line.strip() in lines for clause in document.clauses() for line in clause.text.split("\n")
                   if line.strip())
        if best is None or same > best[0]:
            best = (same, revision, document)
    if best is None or best[0] == 0:
        raise ImportRefused(_("No clause of this agreement could be found in the file."))
    return best[1], best[2], align(word, best[2])


def _who_and_when(changes) -> tuple[tuple[str, ...], datetime | None]:
    """The Word authors of tracked changes, in order of appearance, and when the last of them was made."""
    dates = [change.date if change.date.tzinfo else change.date.replace(tzinfo=timezone.utc)
             for change in changes if change.date is not None]  # Word writes UTC ("…Z"); a date without a zone is too
    latest = max(dates, default=None)
    return (tuple(dict.fromkeys(change.author for change in changes if change.author)),
            latest.astimezone(timezone.utc) if latest else None)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _threads(word: WordFile, document: Document) -> list[FoundThread]:
    """The file's comment threads, each on the clause its range starts in (else on the agreement)."""
    clauses = {}
    for _section_number, _section, numbered in document.numbered():
        for number, clause in numbered:
            for prefix in ("t", "c"):
                clauses[bookmark_name(f"{prefix}:{clause.key}")] = (clause.key, f"{number} {clause.title}")
    threads = []
    for comment in word.comments:
        key, where = next((clauses[name] for name in comment.anchors if name in clauses), (None, ""))
        threads.append(FoundThread(len(threads), key, where, tuple((c.author, c.text) for c in (comment, *comment.replies)
                                                                   if c.text), comment.done))
    return threads


def _still_there(lines: list[str], clause) -> bool:
    """Whether a clause that could not be matched still stands in the file (its title or first line)."""
    first_line = clause.text.split("\n", 1)[0].strip()
    return any(line.strip() in (clause.title, first_line) for line in lines if line.strip())


def _removal_status(key: str, base: str, current_texts: dict[str, str]) -> str:
    """A removal applies to the clause as the file's revision had it; changed or gone since, it conflicts."""
    return "applies" if current_texts.get(key) == base else "conflict"


def _status(base: str, new: str, current: str | None) -> str:
    if current is None:
        return "conflict"  # the clause is no longer in the draft
    if current == base:
        return "applies"
    try:
        merge_text(base, new, current)
    except MergeConflict:
        return "conflict"
    return "merges"


def keep_upload(agreement: Agreement, user: User, raw: bytes, file_name: str) -> tuple[WordUpload, Preview]:
    """Keep an uploaded file for its preview page; ImportRefused (nothing kept) when it cannot be imported."""
    preview = preview_word_file(agreement, raw, file_name)
    # Files previewed and never proposed are not kept for ever: a week on, they are let go.
    db.session.execute(delete(WordUpload).where(WordUpload.imported_at.is_(None),
                                                WordUpload.uploaded_at < utcnow() - UNUSED_UPLOADS_KEPT))
    upload = WordUpload(agreement_id=agreement.id, user_id=user.id, file_name=file_name[:255], sha256=preview.sha256,
                        data=raw)
    db.session.add(upload)
    db.session.commit()
    return upload, preview


def pending_upload(agreement: Agreement, user: User, upload_id: int) -> WordUpload | None:
    """The file `user` uploaded into `agreement` and has not imported yet (None: not theirs, or done)."""
    upload = db.session.get(WordUpload, upload_id)
    if upload is None or upload.agreement_id != agreement.id or upload.user_id != user.id or upload.data is None:
        return None
    return upload


def import_word_file(agreement: Agreement, user: User, raw: bytes, file_name: str,
                     chosen: Iterable[str] | None = None, upload: WordUpload | None = None
                     ) -> tuple[Preview, list[Proposal], int]:
    """Propose the file's changes and add its comment threads (only those `chosen`, by their `choice`, when
    given), in one transaction: (the preview, the proposals made, how many comments were added).

    Conflicting changes are left out (the preview lists them). Any refusal on the way
    rolls everything back: the file is imported whole or not at all. A kept `upload` is
    marked imported (and its bytes let go) in the same transaction.
    """
    preview = preview_word_file(agreement, raw, file_name)
    membership = membership_of(user.id, agreement.id)
    if membership is None:
        raise ImportRefused(_("Only a member of the agreement may import a Word file into it."))
    if db.session.scalar(select(WordUpload.id).where(WordUpload.agreement_id == agreement.id,
                                                     WordUpload.sha256 == preview.sha256,
                                                     WordUpload.imported_at.is_not(None)).limit(1)) is not None:
        raise ImportRefused(_("This file was imported before: its changes are already proposals."))
    if upload is None:  # the CLI: record the file as the page does, so it is imported once
        upload = WordUpload(agreement_id=agreement.id, user_id=user.id, file_name=file_name[:255],
                            sha256=preview.sha256)
        db.session.add(upload)
    wanted = set(chosen) if chosen is not None else None
    proposals: list[Proposal] = []
    try:
        for change in preview.proposable:
            if wanted is not None and change.choice not in wanted:
                continue
            savepoint = db.session.begin_nested()  # a change that proposes nothing leaves nothing behind
            try:
                made = _propose(agreement, user, membership, change, _reason(agreement, change, file_name))
            except NothingToPropose:  # the draft already says it (the other side's own proposal was accepted)
                savepoint.rollback()
                continue
            savepoint.commit()
            proposals += made
        threads = [thread for thread in preview.threads if wanted is None or thread.choice in wanted]
        comments = _add_threads(agreement, user, membership, threads)
        if upload is not None:
            upload.data, upload.imported_at = None, utcnow()
        record("word.imported", actor=user, agreement=agreement, file=file_name, sha256=preview.sha256,
               revision=preview.revision_number, proposals=[proposal.number for proposal in proposals],
               untracked=sorted(change.clause_key for change in preview.changes if change.untracked)
               + sorted(change.choice for change in preview.table_changes if change.untracked)
               + sorted(added.title for added in preview.new_clauses if added.untracked),
               comments=len(comments))
        db.session.commit()
    except (NegotiationError, InvalidChange):
        db.session.rollback()
        raise
    return preview, proposals, len(comments)


def _propose(agreement: Agreement, user: User, membership: Membership, change, reason: str) -> list[Proposal]:
    """One change of the file as the proposals the pages would make of it, in the open transaction."""
    _draft, current = draft_of(agreement)
    if isinstance(change, FoundTermChange):  # a table's cell or row: a term proposal, as the interview would make it
        return [propose(agreement, user, membership, "term", change.term, change.value, change.base_value, reason,
                        commit=False)[0]]
    if isinstance(change, FoundNewClause):
        key = new_clause_key(change.title, current)
        value = {"section": change.section_key, "title": change.title, "text": change.text}
        return [propose(agreement, user, membership, "clause_add", key, value, None, reason, commit=False)[0]]
    if change.kind == "removal":
        return [propose(agreement, user, membership, "clause_remove", change.clause_key, None,
                        current_value(current, "clause_remove", change.clause_key), reason, commit=False)[0]]
    return propose_wording(agreement, user, membership, change.clause_key, change.text, change.base_text,
                           reason=reason, commit=False)[0]


def _add_threads(agreement: Agreement, user: User, membership: Membership, threads: list[FoundThread]) -> list:
    """The Word threads as comment threads (on their clause while the draft has it), in the open transaction;
    a thread marked done in Word is resolved here too."""
    if not threads or not can(membership, "comment"):
        return []
    _draft, current = draft_of(agreement)
    present = {clause.key for clause in current.clauses()}
    added = []
    for thread in threads:
        first = None
        for author, text in thread.comments:
            with in_language(agreement.language):
                body = _("%(author)s wrote in Word: %(text)s", author=author or _("someone"), text=text)
            clause_key = thread.clause_key if thread.clause_key in present else None
            first_or_reply = add_comment(agreement, user, membership, body[:COMMENT_MAX], clause_key, first,
                                         commit=False)
            first = first or first_or_reply
            added.append(first_or_reply)
        if thread.resolved and first is not None:
            set_resolved(agreement, user, membership, first, True, commit=False)
    return added


def _reason(agreement: Agreement, change: FoundChange | FoundTermChange | FoundNewClause, file_name: str) -> str:
    """Why the proposal was made, in the agreement's language: the file, and who changed it in Word."""
    with in_language(agreement.language):
        if change.untracked:
            return _("From %(file)s, changed without tracked changes", file=file_name)
        if change.authors:
            return _("From %(file)s, change by %(authors)s", file=file_name, authors=", ".join(change.authors))
        return _("From %(file)s", file=file_name)
