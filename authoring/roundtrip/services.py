"""A Word file back from the other side, as proposals: preview what it changed, then propose it in one go.

`preview_word_file` reads the upload (roundtrip.reading), checks it is a clean copy of a
revision of *this* agreement, and compares each clause's text in the file with that
revision's:

- the file's *edited* text (its tracked changes accepted) differs from the revision's:
  the clause is changed, by the Word authors of its tracked changes;
- the file's *original* text (its tracked changes rejected) already differs from the
  revision's: someone edited it **without tracking** - the preview says so, in red.

Each change is checked against the draft as it is now: it applies as it is, merges
exactly onto a draft that moved on, or conflicts (never patched approximately).
`import_word_file` then proposes the chosen changes through the negotiation service
(`propose_wording`: a changed value of a term becomes a term proposal), all in one
transaction with an audit event carrying the file's SHA-256 - or nothing at all.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from ..access import can, membership_of
from ..audit import record
from ..document.merge import MergeConflict, merge_text
from ..export.layout import bookmark_name
from ..extensions import db
from ..i18n import in_language
from ..inputs.uploads import too_large
from ..models import Agreement, Membership, Proposal, Revision, User, WordUpload, utcnow
from ..models.negotiation import COMMENT_MAX
from ..negotiation.comments import add_comment
from ..negotiation.changes import InvalidChange, current_value
from ..negotiation.services import NEGOTIABLE_STATUSES, NegotiationError, NothingToPropose, propose, propose_wording
from ..revisions.services import draft_of, revision_document
from .reading import NotAWordFile, read_word_file


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


@dataclass(frozen=True)
class FoundThread:
    """A comment thread written in Word: on a clause (its key, number and title) or on the agreement (None)."""

    clause_key: str | None
    where: str  # "8.2 Title", or "" for the agreement as a whole
    comments: tuple[tuple[str, str], ...]  # (Word author, text): the first comment, then its replies


@dataclass
class Preview:
    """What a file would propose, clause by clause, its comment threads, and what could not be read."""

    file_name: str
    sha256: str
    revision_number: int
    changes: list[FoundChange] = field(default_factory=list)
    threads: list[FoundThread] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # "8.2 Title" of clauses the file no longer marks

    @property
    def untracked(self) -> int:
        return sum(change.untracked for change in self.changes)


def preview_word_file(agreement: Agreement, raw: bytes, file_name: str) -> Preview:
    """What `raw` (an uploaded DOCX) would propose in `agreement`; ImportRefused when it cannot be imported."""
    if (refusal := too_large(raw)) is not None:
        raise ImportRefused(refusal)
    try:
        word = read_word_file(raw)
    except NotAWordFile as error:
        raise ImportRefused(str(error)) from None
    if word.agreement_id is None:
        raise ImportRefused(_("This Word file was not exported from here, or its properties were removed: "
                              "it does not say which agreement and revision it is."))
    if word.agreement_id != agreement.id:
        raise ImportRefused(_("This Word file is a copy of another agreement."))
    if word.kind == "redline":
        raise ImportRefused(_("This is a redline: its tracked changes are the ones between two revisions here. "
                              "Upload the agreement's Word document that the other side edited."))
    if agreement.status not in NEGOTIABLE_STATUSES:
        raise ImportRefused(_("The agreement is not being negotiated, so a Word file cannot be proposed into it."))
    revision = db.session.scalar(select(Revision).where(Revision.agreement_id == agreement.id,
                                                        Revision.number == word.revision_number))
    if revision is None or revision.hash != word.revision_hash:
        raise ImportRefused(_("The file names a revision this agreement does not have."))
    document = revision_document(revision)
    _draft, current = draft_of(agreement)
    current_texts = {clause.key: clause.text for clause in current.clauses()}
    preview = Preview(file_name, word.sha256, revision.number)
    recognised, gone = 0, []
    for _section_number, _section, clauses in document.numbered():
        for number, clause in clauses:
            block = word.blocks.get(bookmark_name(f"t:{clause.key}"))
            if block is None:
                # Word drops the bookmarks of a clause deleted whole without tracking; a file that
                # kept the heading's but lost the text's is read no further.
                if bookmark_name(f"c:{clause.key}") in word.blocks or _still_there(word.lines, clause):
                    preview.missing.append(f"{number} {clause.title}")
                else:
                    gone.append(FoundChange(clause.key, number, clause.title, clause.text, "", untracked=True,
                                            authors=(), status=_removal_status(clause.key, clause.text, current_texts),
                                            kind="removal"))
                continue
            recognised += 1
            if block.edited_text == clause.text:
                continue
            authors = tuple(dict.fromkeys(change.author for change in block.changes if change.author))
            untracked = block.original_text != clause.text
            if not block.edited_text.strip():  # every word of it deleted: the clause is to go
                preview.changes.append(FoundChange(clause.key, number, clause.title, clause.text, "", untracked,
                                                   authors, _removal_status(clause.key, clause.text, current_texts), "removal"))
                continue
            preview.changes.append(FoundChange(
                clause.key, number, clause.title, clause.text, block.edited_text, untracked=untracked, authors=authors,
                status=_status(clause.text, block.edited_text, current_texts.get(clause.key))))
    if not recognised:
        raise ImportRefused(_("No clause of this agreement could be found in the file."))
    preview.changes += gone  # clauses gone from a file that still has others: deleted without tracking
    preview.threads = _threads(word, document)
    return preview


def _threads(word, document) -> list[FoundThread]:
    """The file's comment threads, each on the clause its range starts in (else on the agreement)."""
    clauses = {}
    for _section_number, _section, numbered in document.numbered():
        for number, clause in numbered:
            for prefix in ("t", "c"):
                clauses[bookmark_name(f"{prefix}:{clause.key}")] = (clause.key, f"{number} {clause.title}")
    threads = []
    for comment in word.comments:
        key, where = next((clauses[name] for name in comment.anchors if name in clauses), (None, ""))
        threads.append(FoundThread(key, where, tuple((c.author, c.text) for c in (comment, *comment.replies)
                                                     if c.text)))
    return threads


def _still_there(lines: list[str], clause) -> bool:
    """Whether a clause whose bookmarks are gone still stands in the file (its title or first line)."""
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
    """Propose the file's changes (only the clauses `chosen`, by key, when given) and add its comment
    threads, in one transaction: (the preview, the proposals made, how many comments were added).

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
        for change in preview.changes:
            if change.status == "conflict" or (wanted is not None and change.clause_key not in wanted):
                continue
            reason = _reason(agreement, change, file_name)
            savepoint = db.session.begin_nested()  # a change that proposes nothing leaves nothing behind
            try:
                if change.kind == "removal":
                    _draft, current = draft_of(agreement)
                    made = [propose(agreement, user, membership, "clause_remove", change.clause_key, None,
                                    current_value(current, "clause_remove", change.clause_key), reason,
                                    commit=False)[0]]
                else:
                    made, _rebased = propose_wording(agreement, user, membership, change.clause_key, change.text,
                                                     change.base_text, reason=reason, commit=False)
            except NothingToPropose:  # the draft already says it (the other side's own proposal was accepted)
                savepoint.rollback()
                continue
            savepoint.commit()
            proposals += made
        comments = _add_threads(agreement, user, membership, preview.threads)
        if upload is not None:
            upload.data, upload.imported_at = None, utcnow()
        record("word.imported", actor=user, agreement=agreement, file=file_name, sha256=preview.sha256,
               revision=preview.revision_number, proposals=[proposal.number for proposal in proposals],
               untracked=sorted(change.clause_key for change in preview.changes if change.untracked),
               comments=len(comments))
        db.session.commit()
    except (NegotiationError, InvalidChange):
        db.session.rollback()
        raise
    return preview, proposals, len(comments)


def _add_threads(agreement: Agreement, user: User, membership: Membership, threads: list[FoundThread]) -> list:
    """The Word threads as comment threads (on their clause while the draft has it), in the open transaction."""
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
    return added


def _reason(agreement: Agreement, change: FoundChange, file_name: str) -> str:
    """Why the proposal was made, in the agreement's language: the file, and who changed it in Word."""
    with in_language(agreement.language):
        if change.untracked:
            return _("From %(file)s, changed without tracked changes", file=file_name)
        if change.authors:
            return _("From %(file)s, change by %(authors)s", file=file_name, authors=", ".join(change.authors))
        return _("From %(file)s", file=file_name)
