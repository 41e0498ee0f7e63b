"""Everything an export needs about a stored agreement, read from the database as plain records."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import select

from ..config import configured_public_url
from ..document import Document
from ..document.json_patch import json_patch
from ..extensions import db
from ..i18n import in_language
from ..models import Agreement, Amendment, AuditEvent, Revision, Signature, User
from ..models.user import name_of
from ..negotiation.comments import threads_of
from ..redline import redline_between
from ..render.tables import Table, agreement_tables
from ..reviews.amendments import Version, versions_of
from ..revisions.services import revision_document, revisions_of
from .labels import status_word
from .paper import agreement_paper
from .records import (
    AmendmentInfo, AmendmentRecord, CertificateEvent, ChangedClause, ChangedTerm, ClauseComment, CommentThread,
    ExecutedVersionSummary, ExportInfo, Execution, RevisionSummary, SignatureRecord,
)


class NotExportable(Exception):
    """What was asked for does not exist (yet); str() says what to do."""


def _person(user: User | None) -> str:
    if user is None:
        return pgettext("certificate: who acted", "a former member")
    return f"{user.name} <{user.email}>"


def export_info(agreement: Agreement, revision: Revision) -> ExportInfo:
    return ExportInfo(
        agreement_id=agreement.id, title=agreement.title, language=agreement.language, status=agreement.status,
        provider_name=agreement.provider_name, client_name=agreement.client_name,
        revision_number=revision.number, revision_hash=revision.hash, revision_created_at=revision.created_at,
        revision_author=name_of(revision.author),
        paper=agreement_paper(agreement.language, agreement.paper_size),
    )


def tables_of(agreement: Agreement, document: Document) -> list[Table]:
    return agreement_tables(current_app.extensions["clause_library"], document.terms, agreement.language)


def signature_records(agreement: Agreement, revision: Revision | None = None) -> list[SignatureRecord]:
    """Every signature (on one revision, when given), oldest first; a voided one is marked invalid.

    Matched by the revision row, not its hash: an amendment that restores an earlier text
    has that text's hash, and its signatures are still its own.
    """
    query = select(Signature).where(Signature.agreement_id == agreement.id)
    if revision is not None:
        query = query.where(Signature.revision_id == revision.id)
    rows = db.session.scalars(query.order_by(Signature.id))
    return [SignatureRecord(side=s.side, organisation=s.organisation, name=s.full_name, title=s.job_title,
                            email=s.email, signed_at=s.signed_at, ip=s.ip, revision_number=s.revision_number,
                            revision_hash=s.revision_hash, statement=s.consent_text, valid=not s.void,
                            joined_via=s.joined_via, invited_by=s.invited_by, invited_at=s.invited_at,
                            joined_at=s.joined_at)
            for s in rows]


def pick_revision(agreement: Agreement, number: int | None) -> Revision:
    """Revision `number`, or the newest one; NotExportable when there is none."""
    revisions = revisions_of(agreement)
    if not revisions:
        raise NotExportable("There is no revision yet: save the draft as a revision first.")
    if number is None:
        return revisions[0]
    for revision in revisions:
        if revision.number == number:
            return revision
    raise NotExportable(f"Revision {number} does not exist; this agreement has revisions 1 to {revisions[0].number}.")


def executed_version(agreement: Agreement, number: int | None = None) -> Version:
    """Executed version `number` (0: the original, N: amendment N), or the latest one."""
    versions = versions_of(agreement)
    if not versions and agreement.executed_outside:
        raise NotExportable(_("This agreement was imported as executed: it was signed outside Accord, so there is no "
                              "signed document here. Its Word document and terms file are on this page."))
    if not versions:
        raise NotExportable(f"The agreement is {agreement.status}: the signed document exists once both sides signed.")
    if number is None:
        return versions[-1]
    found = next((v for v in versions if v.number == number), None)
    if found is None:
        raise NotExportable(f"There is no executed version {number}: the versions are "
                            + ", ".join(v.name for v in versions) + ".")
    return found


def amendment_records(agreement: Agreement, up_to: Revision) -> list[AmendmentRecord]:
    """The amendments executed up to revision `up_to`, each with its change to the terms as a JSON Patch."""
    rows = db.session.scalars(select(Amendment).where(Amendment.agreement_id == agreement.id,
                                                      Amendment.status == "executed").order_by(Amendment.number))
    records = []
    for amendment in rows:
        if amendment.revision.number > up_to.number:
            break
        before, after = revision_document(amendment.base_revision), revision_document(amendment.revision)
        records.append(AmendmentRecord(amendment.number, amendment.effective_on, amendment.executed_at,
                                       amendment.revision.hash, amendment.reason,
                                       tuple(json_patch(before.terms, after.terms))))
    return records


def comment_threads(agreement: Agreement) -> list[CommentThread]:
    """Every comment thread, oldest first, each its first comment then its replies, for the redline's Word comments."""
    return [CommentThread(clause_key=thread.first.clause_key, resolved=thread.resolved,
                          comments=tuple(ClauseComment(author=name_of(c.author), at=c.created_at, text=c.body)
                                         for c in thread.comments))
            for thread in threads_of(agreement, every_clause=True)]


def _event_words() -> dict[str, str]:
    """What an audited action means, in the current language. The English is what certificates
    said before they were translated, so an English certificate re-renders byte for byte."""
    return {
        "agreement.created": _("Created the agreement"),
        "agreement.shared": _("Shared the draft with the client"),
        "agreement.executed": _("Both sides signed: the agreement is executed"),
        "amendment.opened": _("Opened the amendment"),
        "agreement.reopened": _("Reopened the agreement for changes"),
        "agreement.paper_size_changed": _("Settings: paper size changed"),
        "turn.sent": _("Sent the draft to the other side"),
        "comment.added": _("Commented"),
        "comment.resolved": _("Comment: resolved"),
        "comment.reopened": _("Comment: reopened"),
        "member.joined": _("Member: joined"),
        "member.removed": _("Member: removed"),
        "member.role_changed": _("Member: role changed"),
        "invitation.created": _("Invitation: created"),
        "invitation.revoked": _("Invitation: revoked"),
        "clause.edited": _("Clause: edited"),
        "interview.saved": _("Interview: saved"),
        "interview.terms_replaced": _("Interview: terms replaced"),
        "health.acknowledged": _("Health: acknowledged"),
        "health.acknowledgement_withdrawn": _("Health: acknowledgement withdrawn"),
        "signature.refused": _("Signature: refused"),
        "amendment.abandoned": _("Amendment: abandoned"),
    }


def _proposal_words() -> dict[str, str]:
    return {
        "created": _("Proposal %(number)s: created"),
        "accepted": _("Proposal %(number)s: accepted"),
        "rejected": _("Proposal %(number)s: rejected"),
        "withdrawn": _("Proposal %(number)s: withdrawn"),
        "superseded": _("Proposal %(number)s: superseded"),
    }


def _describe(event: AuditEvent) -> str:
    """One line of the certificate's events, in the current language (the agreement's)."""
    d = event.details or {}
    action = event.action
    if action == "revision.created":
        return _("Saved revision %(number)s (SHA-256 %(hash)s…)", number=d.get("number"),
                 hash=str(d.get("hash", ""))[:16])
    if action.startswith("proposal."):
        outcome = action.split(".", 1)[1]
        sentence = _proposal_words().get(outcome)
        if sentence is None:
            return f"Proposal {d.get('proposal', '')}: {outcome.replace('_', ' ')}"
        return sentence % {"number": d.get("proposal", "")}
    if action == "agreement.signed":
        values = {"revision": d.get("revision"), "name": d.get("name"), "title": d.get("title")}
        if d.get("side") == "provider":
            return _("Signed revision %(revision)s for the provider as %(name)s, %(title)s", **values)
        if d.get("side") == "client":
            return _("Signed revision %(revision)s for the client as %(name)s, %(title)s", **values)
        return f"Signed revision {d.get('revision')} for the {d.get('side')} as {d.get('name')}, {d.get('title')}"
    if action == "agreement.executed" and d.get("amendment"):
        return _("Both sides signed: amendment %(number)s is executed", number=d["amendment"])
    if action == "agreement.status_changed":
        return _("Status: %(status)s", status=status_word(str(d.get("status"))))
    return _event_words().get(action, action.replace(".", ": ").replace("_", " ").capitalize())


def _verify_url(executed: AuditEvent | None) -> str:
    """The verification address printed in a signed document: the one recorded when it was executed.

    Executions recorded before the address was kept print PUBLIC_URL as configured, as they did then.
    """
    recorded = (executed.details or {}).get("verify_url") if executed and executed.action == "agreement.executed" else None
    return recorded if isinstance(recorded, str) and recorded else configured_public_url("/verify")


def execution_of(agreement: Agreement, version: Version) -> Execution:
    """The signature page and certificate of completion of one executed version.

    The events run from the round's start - the first share for the original, the
    opening of the amendment for an amendment - to its execution, described in the
    agreement's language.
    """
    with in_language(agreement.language):
        return _execution_of(agreement, version)


def _execution_of(agreement: Agreement, version: Version) -> Execution:
    revision = version.revision
    events = list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.agreement_id == agreement.id).order_by(AuditEvent.id)))
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_({e.actor_id for e in events if e.actor_id})))}
    if version.number == 0:
        start = next((i for i, e in enumerate(events) if e.action == "agreement.shared"), 0)
    else:
        start = next((i for i, e in enumerate(events)
                      if e.action == "amendment.opened" and e.details.get("number") == version.number), 0)
    end = next((i for i, e in enumerate(events) if i >= start and e.action == "agreement.executed"), len(events) - 1)
    # A side's webhook settings configure its own systems, not the agreement: not in the certificate.
    shown = [e for e in events[start:end + 1] if not e.action.startswith("webhook.")]
    versions = versions_of(agreement)
    previous = max((v.revision.number for v in versions if v.number < version.number), default=0)
    return Execution(
        executed_at=version.executed_at,
        executed_hash=revision.hash,
        signatures=tuple(s for s in signature_records(agreement, revision) if s.valid),
        events=tuple(CertificateEvent(at=e.at, person=_person(users.get(e.actor_id)) if e.actor_id
                                      else pgettext("certificate: who acted", "system"),
                                      ip=e.ip, description=_describe(e)) for e in shown),
        revisions=tuple(RevisionSummary(number=r.number, hash=r.hash, created_at=r.created_at,
                                        author=name_of(r.author), message=r.message)
                        for r in reversed(revisions_of(agreement)) if previous < r.number <= revision.number),
        verify_url=_verify_url(events[end] if events else None),
        audit_head=events[end].hash if events else "",
        amendment=_amendment_info(agreement, version, versions) if version.number else None,
    )


def _amendment_info(agreement: Agreement, version: Version, versions: list[Version]) -> AmendmentInfo | None:
    """Amendment `version.number`: its date, what it changed against the text it amends, and the executions before it.

    The changes are the redline of the amended text against its base, so they name the clauses
    as the parties negotiated them; term names are in the current language (the agreement's).
    """
    amendment = db.session.scalar(select(Amendment).where(Amendment.agreement_id == agreement.id,
                                                          Amendment.number == version.number))
    if amendment is None or amendment.revision is None:
        return None
    redline = redline_between(revision_document(amendment.base_revision), revision_document(amendment.revision))
    return AmendmentInfo(
        number=amendment.number,
        effective_on=amendment.effective_on or version.executed_at.date(),
        reason=amendment.reason,
        base_revision_number=amendment.base_revision.number,
        base_revision_hash=amendment.base_revision.hash,
        clauses=tuple(ChangedClause(number=c.number or c.old_number or "", title=c.title, status=c.status)
                      for c in redline.changes()),
        terms=tuple(ChangedTerm(name=str(t.label), old=t.old, new=t.new) for t in redline.terms),
        earlier=tuple(ExecutedVersionSummary(
            number=v.number, executed_at=v.executed_at, effective_on=v.effective_on,
            revision_number=v.revision.number, revision_hash=v.revision.hash,
            signatures=tuple(s for s in signature_records(agreement, v.revision) if s.valid))
            for v in versions if v.number < version.number),
    )
