"""The signed DOCX's last pages: the signature page and the certificate of completion.

Both are written from the `Execution` record alone, so what the file says about who
signed what, when and from where is exactly what was recorded at sign-off. Their words
are gettext messages, written inside the agreement's language (export.docx).
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import pgettext

from ..document.direction import kept_in_order
from ..ooxml.blocks import BlockWriter, Span
from .labels import VERIFY_COMMAND, utc_text, with_fields
from .records import Execution, ExportInfo, SignatureRecord

SIDE_ORDER = {"provider": 0, "client": 1}
NOT_RECORDED = "—"
VOID_COLOUR = "C00000"
RLM = "\u200f"
VALUE = "%(value)s"  # where a labelled line's value goes


def executed_hash_line() -> str:
    """'Executed text SHA-256: %(value)s', in the footer and on the certificate."""
    return _("Executed text SHA-256: %(value)s")


def _side(side: str, name: str, body: BlockWriter) -> str:
    """'Provider: Northwind Ltd.' with the side named as the agreement's language names it."""
    name = kept_in_order(name, "rtl" if body.rtl else "ltr")
    if side == "provider":
        return _("Provider: %(name)s", name=name)
    if side == "client":
        return _("Client: %(name)s", name=name)
    return f"{side}: {name}"


def add_signature_page(body: BlockWriter, execution: Execution) -> None:
    """One block per signature, the provider's first; a signature of an older revision is shown VOID."""
    body.paragraph(_("Signature page"), style="Heading 1", unnumbered=True)
    signatures = sorted(execution.signatures, key=lambda signature: SIDE_ORDER.get(signature.side, len(SIDE_ORDER)))
    for signature in signatures:
        _signature(body, signature)


def _signature(body: BlockWriter, signature: SignatureRecord) -> None:
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


def add_certificate(body: BlockWriter, info: ExportInfo, execution: Execution) -> None:
    """What was executed, the events that led there, every revision, and how to check this file."""
    body.paragraph(_("Certificate of completion"), style="Heading 1", unnumbered=True)
    body.paragraph(Span(info.title, bold=True))
    _labelled(body, executed_hash_line(), Span(execution.executed_hash, mono=True))
    _labelled(body, _("Executed at: %(value)s"), utc_text(execution.executed_at))
    _signatories(body, execution)

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


def _signatories(body: BlockWriter, execution: Execution) -> None:
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


def _labelled(body: BlockWriter, line: str, value: str | Span) -> None:
    """'Label: value' from a translated line "Label: %(value)s", the label in bold.

    In a right-to-left document a label ending in Latin ("כתובת IP") would pull its colon
    and the value into one left-to-right run; a right-to-left mark after the colon keeps
    the label, the colon and the value in reading order.
    """
    if isinstance(value, str):
        value = kept_in_order(value, "rtl" if body.rtl else "ltr")
    spans: list[str | Span] = []
    for piece in with_fields(line, value=value):
        if isinstance(piece, str):
            if body.rtl and piece.rstrip().endswith(":"):
                piece = piece.rstrip() + RLM + piece[len(piece.rstrip()):]
            spans.append(Span(piece, bold=True))
        else:
            spans.append(piece)
    body.paragraph(*spans)
