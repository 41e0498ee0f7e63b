"""The redline between two revisions as a Word document with real tracked changes.

The document is the whole newer revision - its sections as Heading 1, each clause as
Heading 2 "number  title" and its text - where everything that changed since the older
revision is a Word revision (`w:ins`/`w:del`) by the person whose accepted proposal made
it, dated when it was accepted. Review > Accept All gives exactly the newer revision's
clause texts, Reject All exactly the older one's: a removed clause is deleted down to
its paragraph marks, an added one inserted likewise, and a line break added or removed
inside a clause is an inserted or deleted paragraph mark. Clause numbers are part of the
heading, so a clause renumbered by an insertion above it shows the old number deleted.

The redline's own words (title, legend, terms table) are in the agreement's language
(gettext inside `in_language`); every paragraph runs the way its text does and the
section is right-to-left where the agreement's language is (ooxml.bidi).

Paragraphs and runs are written with lxml builders (ooxml.tracked) rather than
python-docx's `add_paragraph(text)`, which spends half of an export in its text setter.
The same inputs give the same bytes (ooxml.package.docx_bytes).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from flask_babel import get_locale, pgettext
from flask_babel import gettext as _

from ..config import RTL_LANGUAGES
from ..document.words import word_diff
from ..document.direction import kept_in_order
from ..i18n import direction, in_language
from ..ooxml.bidi import direct_paragraph, mark_section_rtl
from ..ooxml.comments import add_comment, anchor_comment
from ..ooxml.package import docx_bytes, set_properties
from ..ooxml.page import set_page_size
from ..ooxml.tracked import (DELETE, EQUAL, INSERT, AnnotationIds, Revision, add_paragraph, add_run, add_segments,
                             mark_paragraph, split_lines)
from ..redline import ClauseRedline, Redline, TermRedline
from .docx import set_proofing_language
from .labels import status_word, utc_text
from .records import ExportInfo

_W_ID = qn("w:id")
_TBL_PR, _TBL_STYLE, _BIDI_VISUAL = qn("w:tblPr"), qn("w:tblStyle"), qn("w:bidiVisual")
TITLE, SUBTITLE, SECTION, CLAUSE = "Title", "Subtitle", "Heading1", "Heading2"


@dataclass(frozen=True)
class ClauseComment:
    """One comment to show in the margin: on a clause's heading, or (clause_key None) on the title."""

    clause_key: str | None
    author: str
    at: datetime  # UTC
    text: str
    resolved: bool = False


@dataclass
class _Sheet:
    """What every builder below needs: the body to write into and the document's shared state."""

    body: object  # the w:body element
    ids: AnnotationIds
    rtl: bool  # the agreement's language runs right to left: paragraphs without a strong character do
    fallback: Revision  # the newer revision's author and time, for changes nobody is recorded for

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"

    def paragraph(self, style: str | None, text: str = ""):
        p = add_paragraph(self.body, style)
        if text:
            add_run(p, text)
        direct_paragraph(p, self.direction)
        return p


def redline_docx(redline: Redline, old: ExportInfo, new: ExportInfo, comments: Sequence[ClauseComment] = ()) -> bytes:
    """The redline from revision `old` to revision `new` as .docx bytes with Word tracked changes.

    Its own words are in the agreement's language (`new.language`) when called inside an
    app context (a request, a CLI command), else in English.
    """
    with in_language(new.language):
        return _redline_docx(redline, old, new, comments)


def _redline_docx(redline: Redline, old: ExportInfo, new: ExportInfo, comments: Sequence[ClauseComment]) -> bytes:
    document = docx.Document()
    body = document.element.body
    set_page_size(body.sectPr, new.paper)  # before any table: python-docx sizes columns from the page
    unknown = pgettext("redline: the author of a change nobody is recorded for", "Unknown")
    sheet = _Sheet(body, AnnotationIds(), new.language in RTL_LANGUAGES,
                   Revision.by(new.revision_author or unknown, new.revision_created_at))
    title = sheet.paragraph(TITLE, _("Redline: revision %(old)s → revision %(new)s", old=old.revision_number,
                                     new=new.revision_number))
    sheet.paragraph(SUBTITLE, new.title)
    _write_legend(sheet, redline, old, new)
    headings = _write_clauses(sheet, redline.clauses)
    sheet.paragraph(SECTION, _("Changed terms"))
    body.append(body.sectPr)  # python-docx adds tables before the w:sectPr, which must stay last
    _write_terms(document, sheet, redline.terms, old, new)
    body.append(body.sectPr)
    if sheet.rtl:
        mark_section_rtl(body.sectPr)
    for comment in comments:
        anchor, text = (headings.get(comment.clause_key), comment.text) if comment.clause_key else (title, comment.text)
        if anchor is None:  # on a clause neither revision has: keep it, on the title, saying which
            anchor, text = title, f"({comment.clause_key}) {text}"
        text = _("[resolved] %(comment)s", comment=text) if comment.resolved else text
        element = add_comment(document, sheet.ids, author=comment.author, when=comment.at, text=text)
        for p in element.iter(qn("w:p")):  # a Hebrew comment reads right to left in any agreement
            direct_paragraph(p, sheet.direction)
        anchor_comment(anchor, element.get(_W_ID))
    set_proofing_language(document, new.language)
    set_properties(document, title=_("Redline: %(title)s", title=new.title),
                   subject=_("Revision %(old)s → revision %(new)s", old=old.revision_number, new=new.revision_number),
                   author=new.revision_author or new.provider_name, when=new.revision_created_at,
                   keywords=_("redline, tracked changes"), revision=new.revision_number)
    return docx_bytes(document, new.revision_created_at)


# The legend -----------------------------------------------------------------------------

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


def _write_legend(sheet: _Sheet, redline: Redline, old: ExportInfo, new: ExportInfo) -> None:
    """Who the parties are, which two revisions, what changed and who answers for it."""
    sheet.paragraph(None, _("Provider: %(provider)s; client: %(client)s; status: %(status)s",
                            provider=_kept(new.provider_name), client=_kept(new.client_name),
                            status=status_word(new.status)))
    sheet.paragraph(None, _revision_line(True, old))
    sheet.paragraph(None, _revision_line(False, new))
    counts = redline.counts()
    sheet.paragraph(None, _("Clauses changed: %(changed)s, added: %(added)s, removed: %(removed)s, moved: %(moved)s; "
                            "terms changed: %(terms)s. Changes are tracked: Accept All gives revision %(new)s, "
                            "Reject All gives revision %(old)s.", **counts, new=new.revision_number,
                            old=old.revision_number))
    for who, what in _who_changed_what(redline, sheet.fallback.author).items():
        sheet.paragraph(None, f"{who}: {', '.join(what)}.")


def _who_changed_what(redline: Redline, fallback: str) -> dict[str, list[str]]:
    changes: dict[str, list[str]] = {}
    for clause in redline.clauses:
        if clause.status == "unchanged" or (clause.status == "moved" and not clause.changed):
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


# The clauses ----------------------------------------------------------------------------

def _revision_of(attributions: Sequence, fallback: Revision) -> Revision:
    """The first attributed person and the time their change was accepted, else the fallback's."""
    if not attributions:
        return fallback
    first = attributions[0]
    author = first.author or fallback.author
    return Revision.by(author, first.accepted_at) if first.accepted_at else Revision(author, fallback.date)


def _heading_segments(clause: ClauseRedline) -> list[tuple[int, str]]:
    if clause.status == "added":
        return [(INSERT, f"{clause.number}  {clause.title}")]
    if clause.status == "removed":
        return [(DELETE, f"{clause.old_number}  {clause.old_title or clause.title}")]
    if clause.number == clause.old_number:
        number = [(EQUAL, f"{clause.number}  ")]
    else:
        number = [(DELETE, clause.old_number or ""), (INSERT, clause.number or ""), (EQUAL, "  ")]
    if clause.title_changed:
        return number + word_diff(clause.old_title or "", clause.title)
    return number + [(EQUAL, clause.title)]


def _write_clause(sheet: _Sheet, clause: ClauseRedline):
    """Heading 2 and one paragraph per line of the text; returns the heading's `w:p`."""
    revision = _revision_of(clause.attributions, sheet.fallback)
    whole = INSERT if clause.status == "added" else DELETE if clause.status == "removed" else EQUAL
    heading = add_paragraph(sheet.body, CLAUSE)
    add_segments(heading, _heading_segments(clause), sheet.ids, revision)
    mark_paragraph(heading, whole, sheet.ids, revision)
    direct_paragraph(heading, sheet.direction)
    for segments, mark in split_lines(clause.segments, whole):
        p = add_paragraph(sheet.body)
        add_segments(p, segments, sheet.ids, revision)
        mark_paragraph(p, mark, sheet.ids, revision)
        direct_paragraph(p, sheet.direction)
    return heading


def _section_heading(sheet: _Sheet, segments: list[tuple[int, str]], revision: Revision, mark: int = EQUAL) -> None:
    p = add_paragraph(sheet.body, SECTION)
    add_segments(p, segments, sheet.ids, revision)
    mark_paragraph(p, mark, sheet.ids, revision)
    direct_paragraph(p, sheet.direction)


def _section_number(number: str | None) -> str:
    return (number or "").split(".")[0]


def _write_clauses(sheet: _Sheet, clauses: list[ClauseRedline]) -> dict[str, object]:
    """Section headings and clauses, in the newer document's order; returns key -> heading `w:p`.

    A section heading "number  title" opens each run of kept clauses of one section, so
    Accept All shows the newer document's sections; a section renumbered since shows its
    old number deleted (known from a clause that stayed in it), and one holding only added
    clauses is inserted whole. (Section titles themselves are not tracked: the Redline
    carries the older title only for removed clauses.) A removed clause stands
    after the clause it followed: under the current heading when it was in a section of
    that title, under the next one when that is where it came from, and otherwise under a
    deleted heading of its old section (a section only the older revision had).
    """
    following: list[ClauseRedline | None] = [None] * len(clauses)
    upcoming = None
    for index in range(len(clauses) - 1, -1, -1):
        following[index] = upcoming
        if clauses[index].status != "removed":
            upcoming = clauses[index]
    old_numbers: dict[str, str] = {}
    added_only: dict[str, bool] = {}  # a section holding nothing but added clauses is new
    for clause in clauses:
        if clause.status != "removed":
            number = _section_number(clause.number)
            added_only[number] = added_only.get(number, True) and clause.status == "added"
        if clause.status in ("unchanged", "changed"):
            old_numbers.setdefault(_section_number(clause.number), _section_number(clause.old_number))

    def kept_heading(clause: ClauseRedline) -> tuple[str, str]:
        number = _section_number(clause.number)
        if added_only[number]:
            _section_heading(sheet, [(INSERT, f"{number}  {clause.section}")],
                             _revision_of(clause.attributions, sheet.fallback), mark=INSERT)
            return number, clause.section
        old = old_numbers.get(number, number)
        segments = [(EQUAL, f"{number}  ")] if old == number else [(DELETE, old), (INSERT, number), (EQUAL, "  ")]
        _section_heading(sheet, segments + [(EQUAL, clause.section)], sheet.fallback)
        return number, clause.section

    headings: dict[str, object] = {}
    shown: tuple[str, str] | None = None  # (number, title) of the section whose kept heading came last
    deleted_title: str | None = None  # a deleted section heading written after it, if any
    for index, clause in enumerate(clauses):
        if clause.status != "removed":
            if (_section_number(clause.number), clause.section) != shown:
                shown, deleted_title = kept_heading(clause), None
        elif clause.section == (deleted_title if deleted_title is not None else shown and shown[1]):
            pass  # the heading it belongs under is the one just written
        elif (deleted_title is None and following[index] is not None and following[index].section == clause.section
              and not added_only[_section_number(following[index].number)]):
            shown = kept_heading(following[index])
        else:
            deleted_title = clause.section
            _section_heading(sheet, [(DELETE, f"{_section_number(clause.old_number)}  {clause.section}")],
                             _revision_of(clause.attributions, sheet.fallback), mark=DELETE)
        headings[clause.key] = _write_clause(sheet, clause)
    return headings


# The terms ------------------------------------------------------------------------------

def _write_terms(document: DocxDocument, sheet: _Sheet, terms: list[TermRedline], old: ExportInfo,
                 new: ExportInfo) -> None:
    if not terms:
        sheet.paragraph(None, _("No term changed."))
        return
    table = document.add_table(rows=len(terms) + 1, cols=4)
    table.style = "Table Grid"
    if sheet.rtl:  # columns run right to left, as in the clean document
        properties = table._tbl.find(_TBL_PR)
        properties.find(_TBL_STYLE).addnext(properties.makeelement(_BIDI_VISUAL, {}))  # its place in CT_TblPr
    rows = [(pgettext("redline: column of the changed terms table", "Term"),
             _("Revision %(number)s", number=old.revision_number), _("Revision %(number)s", number=new.revision_number),
             pgettext("redline: column of the changed terms table", "Changed by"))]
    rows += [(str(term.label), term.old, term.new, "; ".join(_labels(term.attributions, sheet.fallback.author)))
             for term in terms]
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            p = cell.paragraphs[0]._p
            add_run(p, value)
            direct_paragraph(p, sheet.direction)
