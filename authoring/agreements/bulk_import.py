"""Bulk import of existing agreements from a CSV register: all of the file or nothing.

Each row becomes an agreement the way *New agreement* makes one (`create_agreement`): the
importing person is the owner of the row's side, the counterparty is the other side's
organisation, the draft is assembled from the clause library with the row's terms. A row
with status `executed` is an agreement signed before it came to Accord: its draft is cut as
revision 1, marked in its message as imported, and that revision is the executed one -
with no signature, because nobody signed in Accord (`Agreement.executed_outside`). So the
register, the reminders and the calendar, which read the executed terms, see it as any
executed agreement, while the signing page, the Activity page and the signed-document
export say what it is instead of inventing signatures.

Invariants: the file is read and every row checked before anything is written
(bulk_csv); the agreements, their revisions and audit events are written in one
transaction, committed once; each import is audited with the file's SHA-256, and the
same file is not imported twice by the same person.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from ..audit import record
from ..audit.chain import lock_chain
from ..document import Document, sha256_hex
from ..extensions import db
from ..i18n import in_language
from ..interview.steps import from_form
from ..library import assemble, default_choices
from ..models import Agreement, AuditEvent, Membership, User
from ..models.agreement import ORG_NAME_MAX
from ..reviews.schedule import DEFAULT_RENEWAL_LEAD_DAYS
from ..reviews.services import schedule_after_execution
from ..revisions.services import cut_revision
from .bulk_csv import AgreementRow, CsvRefused, Problem, read_agreements_csv
from .services import create_agreement

IMPORTED = "agreements.imported"
# A page must answer within a request (gunicorn's 30 s): an agreement takes some 25-40 ms to create,
# so the page takes files of up to 500; the command up to bulk_csv.MAX_ROWS.
PAGE_MAX_ROWS = 500
LEAD_DAYS_MAX = 3650  # as reviews.services.lead_days accepts


@dataclass(frozen=True)
class ImportResult:
    agreement_ids: list[int]  # in the file's order
    executed: int
    sha256: str


def max_bytes() -> int:
    """The largest file taken: the app's request limit, so the page and the command agree."""
    return int(current_app.config["MAX_CONTENT_LENGTH"])


def usual_organisation(owner: User) -> str | None:
    """The organisation `owner` was on the side of in their newest agreement, to offer as theirs."""
    found = db.session.execute(
        select(Agreement, Membership.side).join(Membership, Membership.agreement_id == Agreement.id)
        .where(Membership.user_id == owner.id).order_by(Agreement.id.desc()).limit(1)).first()
    return found[0].organisation(found[1]) if found else None


def import_agreements(raw: bytes, owner: User, organisation: str, file_name: str = "",
                      max_rows: int | None = None) -> ImportResult:
    """Create one agreement per row of the CSV file `raw`, owned by `owner` for `organisation`.

    CsvRefused (every problem, by line and column) when anything is wrong; then nothing is stored.
    `max_rows`: the most agreements taken (default bulk_csv.MAX_ROWS).
    """
    organisation = organisation.strip()
    if not organisation or len(organisation) > ORG_NAME_MAX:
        raise CsvRefused([Problem(None, None, _("Name your organisation (at most %(num)d characters): it is the "
                                                "owner's party in every agreement of the file.", num=ORG_NAME_MAX))])
    rows = read_agreements_csv(raw, max_bytes(), max_rows)
    digest = sha256_hex(raw)
    _refuse_if_imported(owner, digest)
    library = current_app.extensions["clause_library"]
    created: list[int] = []
    executed = 0
    try:
        for row in rows:
            agreement, document = _create(library, row, owner, organisation, digest, file_name)
            created.append(agreement.id)
            if row.status == "executed":
                _execute_imported(agreement, document, owner, row, digest)
                executed += 1
        # Asked again under the lock of the log's shared chain, held only from here to the commit: of
        # two uploads of one file at once, the later one finds the earlier here and stores nothing.
        lock_chain(None)
        _refuse_if_imported(owner, digest)
        record(IMPORTED, actor=owner, sha256=digest, file=file_name, count=len(created), executed=executed,
               agreements=created)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return ImportResult(created, executed, digest)


def _refuse_if_imported(owner: User, digest: str) -> None:
    """CsvRefused when `owner` already imported a file with this SHA-256 (a second click, a rerun)."""
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == IMPORTED,
                                                         AuditEvent.actor_id == owner.id).order_by(AuditEvent.id))
    earlier = next((event for event in events if event.details.get("sha256") == digest), None)
    if earlier is not None:
        raise CsvRefused([Problem(None, None, ngettext(
            "You imported this file on %(date)s (%(num)d agreement); it was not imported again.",
            "You imported this file on %(date)s (%(num)d agreements); it was not imported again.",
            int(earlier.details.get("count") or 0), date=format_date(earlier.at)))])


def row_terms(row: AgreementRow, provider_name: str, client_name: str) -> dict[str, Any]:
    """The terms a row states, at the interview's paths and in its stored forms."""
    catalogue = current_app.extensions["clause_library"].catalogue
    terms: dict[str, Any] = {
        "agreement": {"title": row.title, "language": row.language},
        "parties": {"provider": {"name": provider_name}, "client": {"name": client_name}},
        "timeline": {}, "costs": {}, "change": {},
    }
    if row.effective_date:
        terms["timeline"]["effective_date"] = row.effective_date.isoformat()
    if row.end_date:
        terms["timeline"]["end_date"] = row.end_date.isoformat()
    if row.renewal_notice_days is not None:
        terms["timeline"]["renewal_notice_days"] = row.renewal_notice_days
        # The renewal window (reminder, register, calendar) opens with the renewal review; set it a
        # month before the last day notice can be given, so the reminder comes while it still can be.
        terms["change"]["renewal_lead_days"] = min(row.renewal_notice_days + DEFAULT_RENEWAL_LEAD_DAYS, LEAD_DAYS_MAX)
    if row.review_cadence:
        terms["change"]["review_cadence"] = row.review_cadence
    if row.currency:
        terms["costs"]["currency"] = row.currency
    if row.monthly_fee is not None:
        terms["costs"]["monthly_fee"] = from_form(row.monthly_fee, catalogue.spec("costs.monthly_fee"))
        terms["costs"]["pricing_model"] = "retainer"  # the interview's model of a fee paid every month
    return terms


def _create(library, row: AgreementRow, owner: User, organisation: str, digest: str,
            file_name: str) -> tuple[Agreement, Document]:
    provider_name, client_name = (organisation, row.counterparty) if row.side == "provider" else \
        (row.counterparty, organisation)
    document = assemble(library, row_terms(row, provider_name, client_name), row.language, default_choices(library))
    agreement = create_agreement(owner, title=row.title, language=row.language, provider_name=provider_name,
                                 client_name=client_name, document=document, side=row.side, commit=False,
                                 imported_csv={"sha256": digest, "file": file_name, "line": row.line,
                                               "status": row.status})
    return agreement, document


def _execute_imported(agreement: Agreement, document: Document, owner: User, row: AgreementRow, digest: str) -> None:
    """Make the draft the executed revision 1 of an agreement signed outside Accord (no signatures here)."""
    with in_language(agreement.language):  # the revision's message is part of the agreement's record
        message = _("Imported as executed from a CSV file: signed outside Accord, so nobody signed it here. Its "
                    "terms are the file's; its clause text is the clause library's, not the text that was signed.")
    revision = cut_revision(agreement, owner, message, side=row.side, commit=False)
    agreement.status = "executed"
    # executed_at stays empty: nobody here saw when it was signed (Agreement.executed_outside).
    agreement.executed_revision_id = revision.id
    schedule_after_execution(agreement, document)  # the revision's document: cut from this draft just now
    record("agreement.imported_executed", actor=owner, agreement=agreement, revision=revision.number,
           hash=revision.hash, sha256=digest, line=row.line)
