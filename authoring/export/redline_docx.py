"""The redline between two revisions: the newer revision's Word document with every change tracked.

The redline is the clean DOCX of the newer revision - title page, contents, numbered
headings, clauses, tables, header and footer - written from both revisions' layouts
compared (export.layout, ooxml.story): every word, paragraph and table row that differs
is a Word revision (`w:ins`/`w:del`, `w:trPr/w:ins|w:del`, revised paragraph marks) by the
person whose accepted proposal made it, dated when it was accepted. Review > Accept All
gives the newer revision's clean document paragraph by paragraph and cell by cell,
Reject All the older one's.

What the redline says about itself - which revisions, counts, who changed what, the
changed terms - is a Word comment on the title, outside the text Accept All and Reject
All give. Clause comments hang on the clause text, replies threaded under them.

Its own words are in the agreement's language (gettext inside `in_language`); every
paragraph runs the way its text does. The same inputs give the same bytes.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from babel.lists import format_list
from flask_babel import get_locale, pgettext
from flask_babel import gettext as _

from ..document import Document
from ..document.direction import kept_in_order
from ..i18n import direction, in_language
from ..ooxml.comments import WordComment, add_comment_thread
from ..ooxml.package import docx_bytes, set_custom_properties, set_properties
from ..ooxml.story import write_compared
from ..ooxml.tracked import AnnotationIds, Revision
from ..redline import Redline
from ..render.tables import Table
from .docx import file_anchors, finish_word_document, new_word_document, story_writer
from .labels import status_word, utc_text
from .layout import agreement_layout
from .records import CommentThread, ExportInfo
from .redline_comments import add_comment_threads


@dataclass(frozen=True)
class RevisionExport:
    """One side of a redline: a revision's document, what the export says about it, and its tables."""

    document: Document
    info: ExportInfo
    tables: Sequence[Table] = ()


def redline_docx(redline: Redline, old: RevisionExport, new: RevisionExport,
                 comments: Sequence[CommentThread] = ()) -> bytes:
    """The redline from revision `old` to revision `new` as .docx bytes with Word tracked changes.

    `redline` is `redline_between(old.document, new.document)` with its attributions. Its
    own words are in the agreement's language (`new.info.language`) when called inside an
    app context (a request, a CLI command), else in English.
    """
    with in_language(new.info.language):
        return _redline_docx(redline, old, new, comments)


def _redline_docx(redline: Redline, old: RevisionExport, new: RevisionExport,
                  comments: Sequence[CommentThread]) -> bytes:
    word, body = new_word_document(new.info)
    older = agreement_layout(old.document, old.info, old.tables, rtl=body.rtl)
    newer = agreement_layout(new.document, new.info, new.tables, rtl=body.rtl)
    unknown = pgettext("redline: the author of a change nobody is recorded for", "Unknown")
    fallback = Revision.by(new.info.revision_author or unknown, new.info.revision_created_at)
    revision_of = _revisions_by_key(redline, new.tables, fallback)
    ids = AnnotationIds()
    written = write_compared(body, older.body, newer.body, ids, revision_of)
    write_compared(story_writer(word.sections[0].header._element, body), older.header, newer.header, ids, revision_of)
    write_compared(story_writer(word.sections[0].footer._element, body), older.footer, newer.footer, ids, revision_of)

    title = written["title"][0]
    summary = WordComment(new.info.revision_author or unknown, new.info.revision_created_at,
                          _summary(redline, old.info, new.info, fallback.author))
    add_comment_thread(word, ids, title, title, [summary], direction=body.direction)
    clause_text = {key[2:]: (paragraphs[0], paragraphs[-1]) for key, paragraphs in written.items()
                   if key.startswith("t:") and paragraphs}
    add_comment_threads(word, ids, comments, clause_text, title, body.direction)

    finish_word_document(word, new.info)
    set_properties(word, title=_("Redline: %(title)s", title=new.info.title),
                   subject=_("Revision %(old)s → revision %(new)s", old=old.info.revision_number,
                             new=new.info.revision_number),
                   author=new.info.revision_author or new.info.provider_name, when=new.info.revision_created_at,
                   keywords=_("redline, tracked changes"), revision=new.info.revision_number)
    set_custom_properties(word, {**file_anchors(new.info, "redline"), "AccordOlderRevision": old.info.revision_number})
    return docx_bytes(word, new.info.revision_created_at)


# Who answers for each change -------------------------------------------------------------------

def _revision_of(attributions: Sequence, fallback: Revision) -> Revision:
    """The first attributed person and the time their change was accepted, else the fallback's."""
    if not attributions:
        return fallback
    first = attributions[0]
    author = first.author or fallback.author
    return Revision.by(author, first.accepted_at) if first.accepted_at else Revision(author, fallback.date)


def _revisions_by_key(redline: Redline, tables: Sequence[Table], fallback: Revision):
    """Block key -> the `Revision` its changes are written with (ooxml.story keys, export.layout)."""
    by_key: dict[str, Revision] = {}
    for clause in redline.clauses:
        revision = _revision_of(clause.attributions, fallback)
        for prefix in ("c", "t", "toc:c"):
            by_key[f"{prefix}:{clause.key}"] = revision
    for table in tables:
        attributions = [a for term in redline.terms if table.states(term.path) for a in term.attributions]
        revision = _revision_of(attributions, fallback)
        by_key[f"cap:{table.key}"] = by_key[f"tbl:{table.key}"] = revision
    return lambda key: by_key.get(key, fallback)


# The summary, a comment on the title -------------------------------------------------------------

def _kept(name: str) -> str:
    """A name to place in a sentence of the document's language, its punctuation kept with it."""
    locale = get_locale()
    return kept_in_order(name, direction(str(locale)) if locale else "ltr")


def _revision_line(older: bool, info: ExportInfo) -> str:
    values = {"number": info.revision_number, "created_at": utc_text(info.revision_created_at),
              "author": _kept(info.revision_author), "hash": info.revision_hash}
    if older and info.revision_author:
        return _("Older: revision %(number)s, %(created_at)s, %(author)s, SHA-256 %(hash)s.", **values)
    if older:
        return _("Older: revision %(number)s, %(created_at)s, SHA-256 %(hash)s.", **values)
    if info.revision_author:
        return _("Newer: revision %(number)s, %(created_at)s, %(author)s, SHA-256 %(hash)s.", **values)
    return _("Newer: revision %(number)s, %(created_at)s, SHA-256 %(hash)s.", **values)


def _summary(redline: Redline, old: ExportInfo, new: ExportInfo, fallback: str) -> str:
    """Who the parties are, which two revisions, what changed and who answers for it: one line each."""
    lines = [_("Redline: revision %(old)s → revision %(new)s", old=old.revision_number, new=new.revision_number),
             _("Provider: %(provider)s; client: %(client)s; status: %(status)s", provider=_kept(new.provider_name),
               client=_kept(new.client_name), status=status_word(new.status)),
             _revision_line(True, old), _revision_line(False, new)]
    counts = redline.counts()
    lines.append(_("Clauses changed: %(changed)s, added: %(added)s, removed: %(removed)s, moved: %(moved)s; "
                   "terms changed: %(terms)s. Changes are tracked: Accept All gives revision %(new)s, "
                   "Reject All gives revision %(old)s.", **counts, new=new.revision_number, old=old.revision_number))
    locale = get_locale() or "en"
    lines += [_("%(who)s: %(changes)s.", who=who, changes=format_list(what, locale=locale))
              for who, what in _who_changed_what(redline, fallback).items()]
    if redline.terms:
        lines.append(_("Changed terms"))
        lines += [_("%(term)s: %(old)s → %(new)s", term=term.label, old=term.old, new=term.new).replace("\n", "; ")
                  for term in redline.terms]
    return "\n".join(lines)


def _who_changed_what(redline: Redline, fallback: str) -> dict[str, list[str]]:
    changes: dict[str, list[str]] = {}
    for clause in redline.clauses:
        if not clause.substantive:
            continue
        where = f"{clause.number or clause.old_number} {clause.title}"
        where = _("%(clause)s (removed)", clause=where) if clause.status == "removed" else where
        for who in _labels(clause.attributions, fallback):
            changes.setdefault(who, []).append(where)
    for term in redline.terms:
        for who in _labels(term.attributions, fallback):
            changes.setdefault(who, []).append(str(term.label))
    return changes


def _labels(attributions: Iterable, fallback: str) -> list[str]:
    return list(dict.fromkeys(_change_label(change) for change in attributions)) or [
        _("Edited by %(author)s", author=_kept(fallback))]


def _change_label(change) -> str:
    """'Proposal 2 by Irina (provider), accepted by Anna' - who answers for a change, in the document's language."""
    if change.proposal_number:
        label = _("Proposal %(number)s by %(author)s", number=change.proposal_number, author=_kept(change.author))
    else:
        label = _("Edited by %(author)s", author=_kept(change.author))
    if change.side:
        sides = {"provider": pgettext("redline: the side a change came from", "provider"),
                 "client": pgettext("redline: the side a change came from", "client")}
        label = _("%(change)s (%(side)s)", change=label, side=sides.get(change.side, change.side))
    if change.accepted_by and change.accepted_by != change.author:
        label = _("%(change)s, accepted by %(person)s", change=label, person=_kept(change.accepted_by))
    return label
