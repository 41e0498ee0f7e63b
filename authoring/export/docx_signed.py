"""What the signed DOCX adds to the text: an amendment's title lines, the signature page, the certificate.

All of it is written from the `Execution` record alone, so what the file says about who
signed what, when and from where is exactly what was recorded at sign-off. Their words
are gettext messages, written inside the agreement's language (export.docx); dates in
the agreement's own form (CLDR, through Babel).
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from babel.dates import format_date
from flask_babel import gettext as _
from flask_babel import ngettext, pgettext

from ..config import RTL_LANGUAGES
from ..document.direction import kept_in_order
from ..library.formatting import locale_of
from ..ooxml.blocks import Span
from .labels import VERIFY_COMMAND, utc_text, with_fields
from .records import AmendmentInfo, ChangedClause, Execution, ExecutedVersionSummary, ExportInfo, SignatureRecord

if TYPE_CHECKING:  # the pages are written into the layout's collector (export.layout imports this module)
    from .layout import Collector

SIDE_ORDER = {"provider": 0, "client": 1}
AMENDMENT_SIZE = 32  # half-points: "Amendment 1" under the title, as large as a subtitle
SHORT_VALUE = 40  # a changed term's values are shown on the title page when this short and on one line
STATUS_ORDER = ("changed", "added", "removed", "moved")  # how an amendment's changed clauses are listed
NOT_RECORDED = "—"
VOID_COLOUR = "C00000"
RLM = "\u200f"
VALUE = "%(value)s"  # where a labelled line's value goes


def executed_hash_line() -> str:
    """'Executed text SHA-256: %(value)s', in the footer and on the certificate."""
    return _("Executed text SHA-256: %(value)s")


def _side(side: str, name: str, body: Collector) -> str:
    """'Provider: Northwind Ltd.' with the side named as the agreement's language names it."""
    name = kept_in_order(name, "rtl" if body.rtl else "ltr")
    if side == "provider":
        return _("Provider: %(name)s", name=name)
    if side == "client":
        return _("Client: %(name)s", name=name)
    return f"{side}: {name}"


# An amendment's title page ---------------------------------------------------------------

def long_date(day: date, language: str) -> str:
    """A date as the agreement's language writes it in full ("6 December 2026", "6 בדצמבר 2026")."""
    return format_date(day, "long", locale=locale_of(language))


def amendment_name(number: int) -> str:
    """'Amendment 2', as the signed document names it."""
    return pgettext("signed document", "Amendment %(number)s", number=number)


def amendment_title_lines(info: ExportInfo, execution: Execution | None) -> list[list[str | Span]]:
    """The title page's lines saying that this signed document is an amendment: one list of spans per
    centred paragraph - "Amendment N", its effective date, the clauses and terms it changed. Empty for
    the original (or an unsigned export)."""
    amendment = execution.amendment if execution is not None else None
    if amendment is None:
        return []
    rtl = info.language in RTL_LANGUAGES
    lines: list[list[str | Span]] = [
        [Span(amendment_name(amendment.number), bold=True, size=AMENDMENT_SIZE)],
        [_("Effective from %(date)s", date=long_date(amendment.effective_on, info.language))],
    ]
    for status, clauses in _by_status(amendment.clauses):
        # The count only chooses the singular or the plural label (it is not shown): 1 or 2 chooses
        # right in every language, where Russian would take 21 for a singular.
        lines.append(_labelled_spans(_clauses_line(status, min(len(clauses), 2)), "; ".join(
            kept_in_order(f"{clause.number} {clause.title}", "rtl" if rtl else "ltr") for clause in clauses), rtl))
    if amendment.terms:
        terms = "; ".join(
            _("%(term)s: %(old)s → %(new)s", term=term.name, old=term.old, new=term.new)
            if _short(term.old) and _short(term.new) else term.name for term in amendment.terms)
        lines.append(_labelled_spans(ngettext("Term changed: %(terms)s", "Terms changed: %(terms)s",
                                              min(len(amendment.terms), 2), terms=VALUE), terms, rtl))
    return lines


def _by_status(clauses: tuple[ChangedClause, ...]) -> list[tuple[str, list[ChangedClause]]]:
    grouped = {status: [c for c in clauses if c.status == status] for status in STATUS_ORDER}
    return [(status, found) for status, found in grouped.items() if found]


def _clauses_line(status: str, count: int) -> str:
    """'Clauses changed: %(value)s' and the like, in the singular or plural the count needs."""
    if status == "added":
        return ngettext("Clause added: %(clauses)s", "Clauses added: %(clauses)s", count, clauses=VALUE)
    if status == "removed":
        return ngettext("Clause removed: %(clauses)s", "Clauses removed: %(clauses)s", count, clauses=VALUE)
    if status == "moved":
        return ngettext("Clause moved: %(clauses)s", "Clauses moved: %(clauses)s", count, clauses=VALUE)
    return ngettext("Clause changed: %(clauses)s", "Clauses changed: %(clauses)s", count, clauses=VALUE)


def _short(value: str) -> bool:
    return "\n" not in value and len(value) <= SHORT_VALUE


# The signature page and the certificate ------------------------------------------------

def add_signature_page(body: Collector, execution: Execution) -> None:
    """One block per signature, the provider's first; a signature of an older revision is shown VOID."""
    body.paragraph(_("Signature page"), style="Heading 1", unnumbered=True)
    signatures = sorted(execution.signatures, key=lambda signature: SIDE_ORDER.get(signature.side, len(SIDE_ORDER)))
    for signature in signatures:
        _signature(body, signature)


def _signature(body: Collector, signature: SignatureRecord) -> None:
    body.paragraph(_side(signature.side, signature.organisation, body), style="Heading 3")
    if not signature.valid:
        body.paragraph(Span(_("VOID — signed an earlier revision"), bold=True, color=VOID_COLOUR))
    _labelled(body, _("Name: %(value)s"), signature.name)
    _labelled(body, _("Title: %(value)s"), signature.title)  # the signer's job title
    _labelled(body, _("E-mail: %(value)s"), signature.email)
    _labelled(body, _("Signed at: %(value)s"), utc_text(signature.signed_at))
    _labelled(body, _("IP address: %(value)s"), signature.ip or NOT_RECORDED)
    _labelled(body, _("Revision signed: %(value)s"), str(signature.revision_number))
    _labelled(body, _("SHA-256 signed: %(value)s"), Span(signature.revision_hash, mono=True))
    body.paragraph(Span(_("Signed electronically"), italic=True))
    body.paragraph(Span(_("Consent to sign electronically:"), bold=True), keep_next=True)
    body.lines(signature.statement)


def add_certificate(body: Collector, info: ExportInfo, execution: Execution) -> None:
    """What was executed, the events that led there, every revision, and how to check this file."""
    body.paragraph(_("Certificate of completion"), style="Heading 1", unnumbered=True)
    body.paragraph(Span(info.title, bold=True))
    _labelled(body, executed_hash_line(), Span(execution.executed_hash, mono=True))
    _labelled(body, _("Executed at: %(value)s"), utc_text(execution.executed_at))
    _signatories(body, execution)
    if execution.amendment is not None:
        _amendment_record(body, info, execution.amendment)

    body.paragraph(pgettext("signed document", "Events"), style="Heading 3")
    body.table((pgettext("signed document", "Time (UTC)"), pgettext("signed document", "Person"),
                pgettext("signed document", "IP address"), pgettext("signed document", "Event")),
               [(utc_text(event.at), event.person, event.ip or NOT_RECORDED, event.description)
                for event in execution.events], weights=(4, 5, 3, 6))

    body.paragraph(pgettext("signed document", "Revisions"), style="Heading 3")
    body.table((pgettext("signed document", "No."), pgettext("signed document", "Date (UTC)"),
                pgettext("signed document", "Author"), pgettext("signed document", "Message"), "SHA-256"),
               [(str(revision.number), utc_text(revision.created_at), revision.author, revision.message, revision.hash)
                for revision in execution.revisions], weights=(2, 4, 4, 5, 7))

    if execution.audit_head:
        _labelled(body, _("Audit chain head: %(value)s"), Span(execution.audit_head, mono=True))
    body.paragraph(_("How to verify"), style="Heading 3")
    body.paragraph(_("Upload this file at %(verify_url)s or run `%(command)s`", verify_url=execution.verify_url,
                     command=VERIFY_COMMAND))


def _amendment_record(body: Collector, info: ExportInfo, amendment: AmendmentInfo) -> None:
    """Which amendment this is, the text it amends, and every execution before it with its signatures,
    so that the amendment's certificate also covers the original's signing."""
    body.paragraph(amendment_name(amendment.number), style="Heading 3")
    _labelled(body, _("Effective from: %(value)s"), long_date(amendment.effective_on, info.language))
    _labelled(body, _("Amends revision %(number)s, SHA-256: %(value)s", number=amendment.base_revision_number,
                      value=VALUE), Span(amendment.base_revision_hash, mono=True))
    _labelled(body, _("Reason: %(value)s"), amendment.reason)
    body.paragraph(pgettext("signed document", "Executed before this amendment"), style="Heading 3")
    for earlier in amendment.earlier:
        _earlier_execution(body, info, earlier)


def _earlier_execution(body: Collector, info: ExportInfo, earlier: ExecutedVersionSummary) -> None:
    name = amendment_name(earlier.number) if earlier.number else pgettext("signed document", "Original agreement")
    body.paragraph(Span(name, bold=True), keep_next=True)
    _labelled(body, _("Executed at: %(value)s"), utc_text(earlier.executed_at))
    if earlier.effective_on is not None:
        _labelled(body, _("Effective from: %(value)s"), long_date(earlier.effective_on, info.language))
    _labelled(body, _("Revision signed: %(value)s"), str(earlier.revision_number))
    _labelled(body, _("SHA-256 signed: %(value)s"), Span(earlier.revision_hash, mono=True))
    for signature in sorted(earlier.signatures, key=lambda s: SIDE_ORDER.get(s.side, len(SIDE_ORDER))):
        _labelled(body, _side(signature.side, signature.organisation, body) + ": " + VALUE,
                  _("signed by %(name)s, %(title)s, on %(date)s", name=signature.name, title=signature.title,
                    date=utc_text(signature.signed_at)))


def _signatories(body: Collector, execution: Execution) -> None:
    """Who invited each signer, and when, as sealed at signing. Signatures sealed before this was
    recorded have nothing to show, and their certificates keep their wording (earlier files verify)."""
    signatures = sorted((s for s in execution.signatures if s.joined_via),
                        key=lambda signature: SIDE_ORDER.get(signature.side, len(SIDE_ORDER)))
    if not signatures:
        return
    body.paragraph(_("Signatories and who invited them"), style="Heading 3")
    for signature in signatures:
        when = {"invited_at": utc_text(signature.invited_at) if signature.invited_at else NOT_RECORDED,
                "joined_at": utc_text(signature.joined_at) if signature.joined_at else NOT_RECORDED}
        if signature.joined_via == "invitation":
            how = _("invited by %(inviter)s on %(invited_at)s; accepted the invitation on %(joined_at)s",
                    inviter=kept_in_order(signature.invited_by or NOT_RECORDED, "rtl" if body.rtl else "ltr"), **when)
        elif signature.joined_via == "creator":
            how = _("created the agreement on %(joined_at)s", joined_at=when["joined_at"])
        else:
            how = _("a member since %(joined_at)s; no invitation on record", joined_at=when["joined_at"])
        _labelled(body, _side(signature.side, f"{signature.name} <{signature.email}>", body) + ": " + VALUE, how)


def _labelled(body: Collector, line: str, value: str | Span) -> None:
    """'Label: value' from a translated line "Label: %(value)s", the label in bold."""
    body.paragraph(*_labelled_spans(line, value, body.rtl))


def _labelled_spans(line: str, value: str | Span, rtl: bool) -> list[str | Span]:
    """The spans of 'Label: value', the label in bold.

    In a right-to-left document a label ending in Latin ("כתובת IP") would pull its colon
    and the value into one left-to-right run; a right-to-left mark after the colon keeps
    the label, the colon and the value in reading order.
    """
    if isinstance(value, str):
        value = kept_in_order(value, "rtl" if rtl else "ltr")
    spans: list[str | Span] = []
    for piece in with_fields(line, value=value):
        if isinstance(piece, str):
            if rtl and piece.rstrip().endswith(":"):
                piece = piece.rstrip() + RLM + piece[len(piece.rstrip()):]
            spans.append(Span(piece, bold=True))
        else:
            spans.append(piece)
    return spans
