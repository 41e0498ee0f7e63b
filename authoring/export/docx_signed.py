"""The signed DOCX's last pages: the signature page and the certificate of completion.

Both are written from the `Execution` record alone, so what the file says about who
signed what, when and from where is exactly what was recorded at sign-off.
"""
from __future__ import annotations

from ..ooxml.blocks import BlockWriter, Span
from .labels import VERIFY_COMMAND, utc_text
from .records import Execution, ExportInfo, SignatureRecord

SIDE_ORDER = {"provider": 0, "client": 1}
NOT_RECORDED = "—"
VOID_COLOUR = "C00000"
RLM = "\u200f"


def add_signature_page(body: BlockWriter, execution: Execution, labels: dict[str, str]) -> None:
    """One block per signature, the provider's first; a signature of an older revision is shown VOID."""
    body.paragraph(labels["signature_page"], style="Heading 1")
    signatures = sorted(execution.signatures, key=lambda signature: SIDE_ORDER.get(signature.side, len(SIDE_ORDER)))
    for signature in signatures:
        _signature(body, signature, labels)


def _signature(body: BlockWriter, signature: SignatureRecord, labels: dict[str, str]) -> None:
    side = labels[signature.side] if signature.side in SIDE_ORDER else signature.side
    body.paragraph(f"{side}: {signature.organisation}", style="Heading 3")
    if not signature.valid:
        body.paragraph(Span(f"{labels['void']} — {labels['void_reason']}", bold=True, color=VOID_COLOUR))
    _labelled(body, labels["name"], signature.name)
    _labelled(body, labels["job_title"], signature.title)
    _labelled(body, labels["email"], signature.email)
    _labelled(body, labels["signed_at"], utc_text(signature.signed_at))
    _labelled(body, labels["ip"], signature.ip or NOT_RECORDED)
    _labelled(body, labels["signed_revision"], str(signature.revision_number))
    _labelled(body, labels["signed_hash"], Span(signature.revision_hash, mono=True))
    body.paragraph(Span(labels["signed_electronically"], italic=True))
    body.paragraph(Span(f"{labels['consent']}:", bold=True), keep_next=True)
    body.lines(signature.statement)


def add_certificate(body: BlockWriter, info: ExportInfo, execution: Execution, labels: dict[str, str]) -> None:
    """What was executed, the events that led there, every revision, and how to check this file."""
    body.paragraph(labels["certificate"], style="Heading 1")
    body.paragraph(Span(info.title, bold=True))
    _labelled(body, labels["executed_hash"], Span(execution.executed_hash, mono=True))
    _labelled(body, labels["executed_at"], utc_text(execution.executed_at))
    _signatories(body, execution, labels)

    body.paragraph(labels["events"], style="Heading 3")
    body.table((labels["time"], labels["person"], labels["ip"], labels["event"]),
               [(utc_text(event.at), event.person, event.ip or NOT_RECORDED, event.description)
                for event in execution.events], weights=(4, 5, 3, 6))

    body.paragraph(labels["revisions"], style="Heading 3")
    body.table((labels["number"], labels["date"], labels["author"], labels["message"], labels["revision_hash"]),
               [(str(revision.number), utc_text(revision.created_at), revision.author, revision.message, revision.hash)
                for revision in execution.revisions], weights=(2, 4, 4, 5, 7))

    if execution.audit_head:
        _labelled(body, labels["audit_head"], Span(execution.audit_head, mono=True))
    body.paragraph(labels["how_to_verify"], style="Heading 3")
    body.paragraph(labels["verify"].format(verify_url=execution.verify_url, command=VERIFY_COMMAND))


def _signatories(body: BlockWriter, execution: Execution, labels: dict[str, str]) -> None:
    """Who invited each signer, and when, as sealed at signing. Signatures sealed before this was
    recorded have nothing to show, and their certificates keep their wording (earlier files verify)."""
    signatures = sorted((s for s in execution.signatures if s.joined_via),
                        key=lambda signature: SIDE_ORDER.get(signature.side, len(SIDE_ORDER)))
    if not signatures:
        return
    body.paragraph(labels["signatories"], style="Heading 3")
    for signature in signatures:
        side = labels[signature.side] if signature.side in SIDE_ORDER else signature.side
        how = labels.get(f"joined_{signature.joined_via}", labels["joined_unrecorded"]).format(
            inviter=signature.invited_by or NOT_RECORDED,
            invited_at=utc_text(signature.invited_at) if signature.invited_at else NOT_RECORDED,
            joined_at=utc_text(signature.joined_at) if signature.joined_at else NOT_RECORDED)
        _labelled(body, f"{side}: {signature.name} <{signature.email}>", how)


def _labelled(body: BlockWriter, label: str, value: str | Span) -> None:
    """'Label: value'. In a right-to-left document a label ending in Latin ("כתובת IP") would
    pull its colon and the value into one left-to-right run; a right-to-left mark after the
    colon keeps the label, the colon and the value in reading order."""
    mark = RLM if body.rtl else ""
    body.paragraph(Span(f"{label}:{mark} ", bold=True), value)
