"""Sign-off: who may sign what, recording a signature, executing, and reopening for changes.

Signing happens under the agreement's lock, against the revision hash the signer was
shown: if the text changed in between, the signature is refused, so a signature
racing an edit can never record a hash other than the text that is executed. Once a
side has signed, the draft accepts no edits or proposals (the interview and the
negotiation allow them only while drafting, negotiating or ready); an owner who
wants a change reopens the agreement, which voids the signatures given so far.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import has_request_context, request
from flask_babel import format_date, gettext as _, ngettext
from sqlalchemy import func, select

from ..access import can
from ..accounts.passwords import verify_password
from ..accounts.services import unconfirmed_refusal
from ..agreements.services import lock_agreement
from ..audit import chain_head, client_ip, record
from ..config import public_url
from ..document.names import named_signatory, same_name
from ..extensions import db
from ..interview.services import open_proposal_count, readiness
from ..models import Agreement, AuditEvent, Invitation, Membership, Revision, Signature, User, utcnow
from ..negotiation.labels import agreement_status_label
from ..negotiation.services import queue_in_their_language
from ..notifications import recipients
from ..reviews.amendments import Version, amendment_blockers, finish_amendment, signing_round, versions_of
from ..reviews.services import schedule_after_execution
from ..revisions.services import cut_revision, draft_of, latest_revision, revision_document
from .seal import signature_mac

SIGNABLE_STATUSES = ("ready", "signing")
SIDE_WORDS = {"provider": "the provider", "client": "the client"}
USER_AGENT_MAX = 512
# Re-entering the password is the signature's security procedure: it must not be guessable.
MAX_PASSWORD_FAILURES = 5
PASSWORD_WINDOW = timedelta(minutes=15)



class SigningError(Exception):
    """A signature that cannot be given; str() says why. `status` is the HTTP status to answer with."""

    status = 409


class SignatureRefused(SigningError):
    """The signer's own input is wrong (password, name, consent)."""

    status = 422


class EmailNotConfirmed(SigningError):
    """The signer has not confirmed their e-mail address yet."""

    status = 403


@dataclass(frozen=True)
class SigningState:
    """What the signing page shows: the revision to sign and who has signed it."""

    revision_number: int  # the revision a signature now would sign (the next one if the draft is unsaved)
    revision_hash: str
    needs_new_revision: bool
    signatures: list[Signature]  # every signature ever given, newest first
    blocking: list[str]  # why nobody can sign now (empty when signing is open)
    # side -> (name, title) of the signatory the terms name; a side the terms name nobody for is absent
    named: dict[str, tuple[str, str]] = field(default_factory=dict)
    executed: Version | None = None  # the version in force once executed: the original or the latest amendment

    def valid_for(self, side: str) -> Signature | None:
        return next((s for s in self.signatures if s.side == side and not s.void), None)


def consent_text(organisation: str, number: int, digest: str) -> str:
    """What the signer consents to, in the language they read it in (the sealed record keeps it as shown)."""
    return _("I agree to sign this agreement electronically. I understand that my electronic signature - my full "
             "name and title as typed, confirmed with my password - is legally binding on %(organisation)s as a "
             "handwritten signature would be; that I am signing revision %(number)s of the agreement, identified by "
             "the SHA-256 hash %(hash)s; and that I can download the signed document and its certificate of "
             "completion at any time.", organisation=organisation, number=number, hash=digest)


def signatures_of(agreement: Agreement) -> list[Signature]:
    """The signatures of the current signing round (the original, or the amendment), newest first."""
    return list(db.session.scalars(
        select(Signature).where(Signature.agreement_id == agreement.id,
                                Signature.amendment_number == signing_round(agreement)).order_by(Signature.id.desc())))


def _blocking(agreement: Agreement, document) -> list[str]:
    """Why the agreement cannot be signed now: status, interview, health checks, open proposals."""
    if agreement.status == "executed":
        return [_("The agreement is executed: nothing more to sign. A change needs an amendment.")]
    if agreement.status not in SIGNABLE_STATUSES:
        reasons = [_("The agreement is %(status)s. An owner marks it ready to sign once the interview is complete, "
                     "every proposal is answered and the checks pass (Interview › Review).",
                     status=agreement_status_label(agreement.status))]
    else:
        reasons = list(readiness(agreement, document).reasons)
    reasons += amendment_blockers(agreement, document)
    still_open = open_proposal_count(agreement)
    if still_open:
        reasons.append(ngettext("%(num)d proposal is still open.", "%(num)d proposals are still open.", still_open))
    return reasons


def signing_state(agreement: Agreement) -> SigningState:
    _draft, document = draft_of(agreement)
    latest = latest_revision(agreement)
    digest = document.sha256()
    fresh = latest is None or latest.hash != digest
    number = (latest.number + 1 if latest else 1) if fresh else latest.number
    named = {side: found for side in SIDE_WORDS if (found := named_signatory(document.terms, side))}
    versions = versions_of(agreement) if agreement.status == "executed" else []
    executed = versions[-1] if versions else None  # None too for an original imported as executed
    return SigningState(number, digest, fresh, signatures_of(agreement), _blocking(agreement, document), named,
                        executed)


def sign(agreement: Agreement, user: User, membership: Membership, *, password: str, full_name: str,
         job_title: str, consent: bool, shown_hash: str) -> Signature:
    """Record `user`'s signature for their side on the current text; execute when both sides signed it.

    `shown_hash` is the revision hash the signing page showed: a text changed since is refused.
    """
    if not can(membership, "sign"):
        raise SigningError(_("Only a signatory signs for their side."))
    refusal = unconfirmed_refusal(user, "sign")
    if refusal:
        raise EmailNotConfirmed(refusal)
    if _recent_refusals(user) >= MAX_PASSWORD_FAILURES:
        minutes = PASSWORD_WINDOW.seconds // 60
        raise SignatureRefused(ngettext("Too many wrong passwords. Wait %(num)d minute, then try again.",
                                        "Too many wrong passwords. Wait %(num)d minutes, then try again.", minutes))
    if not verify_password(user.password_hash, password):
        record("signature.refused", actor=user, agreement=agreement, reason="wrong password")
        db.session.commit()
        raise SignatureRefused(_("The password is not correct. Re-enter the password you sign in with."))
    if not full_name.strip() or not job_title.strip():
        raise SignatureRefused(_("Type your full name and your title as they should appear on the agreement."))
    if not consent:
        raise SignatureRefused(_("Tick the box to agree to sign electronically; without it nothing is signed."))

    draft, document = draft_of(agreement, for_update=True)
    blocking = _blocking(agreement, document)
    if blocking:
        db.session.rollback()
        raise SigningError(" ".join(blocking))
    earlier = signatures_of(agreement)
    if any(s.side == membership.side and not s.void for s in earlier):
        db.session.rollback()
        raise SigningError(_("The provider has already signed this revision.") if membership.side == "provider"
                           else _("The client has already signed this revision."))
    digest = document.sha256()
    if digest != shown_hash:
        db.session.rollback()
        raise SigningError(_("The text changed since you opened this page. Read the agreement again, then sign."))
    # The terms name real people: only the person they name signs for that side.
    named = named_signatory(document.terms, membership.side)
    if named is not None and not same_name(named[0], full_name):
        db.session.rollback()
        values = {"named": named[0], "name": full_name.strip()}
        raise SignatureRefused(
            _("The terms name %(named)s as the provider's signatory; you are %(name)s. Ask an owner to change the "
              "signatory in Interview › Background.", **values) if membership.side == "provider" else
            _("The terms name %(named)s as the client's signatory; you are %(name)s. Ask an owner to change the "
              "signatory in Interview › Background.", **values))
    revision = latest_revision(agreement)
    if revision is None or revision.hash != digest:
        revision = cut_revision(agreement, user, "The text for signature", membership.side, commit=False)

    for old in earlier:
        if not old.void and old.revision_id != revision.id:
            _void(old, "signed an earlier revision")

    organisation = agreement.organisation(membership.side)
    joined_via, invited_by, invited_at, joined_at = _how_joined(agreement, user, membership)
    signature = Signature(
        agreement_id=agreement.id, revision_id=revision.id, revision_number=revision.number,
        revision_hash=revision.hash, user_id=user.id, email=user.email, side=membership.side,
        organisation=organisation, full_name=full_name.strip(), job_title=job_title.strip(),
        amendment_number=signing_round(agreement),
        signed_at=utcnow().replace(microsecond=0), ip=client_ip(), user_agent=_user_agent(),
        consent_text=consent_text(organisation, revision.number, revision.hash), audit_head=chain_head(agreement.id),
        joined_via=joined_via, invited_by=invited_by, invited_at=invited_at, joined_at=joined_at,
    )
    signature.mac = signature_mac(signature)
    db.session.add(signature)
    db.session.flush()
    record("agreement.signed", actor=user, agreement=agreement, side=membership.side, revision=revision.number,
           hash=revision.hash, name=signature.full_name, title=signature.job_title, signature=signature.id)

    other = "client" if membership.side == "provider" else "provider"
    if any(s.side == other and not s.void and s.revision_id == revision.id for s in earlier):
        _execute(agreement, user, revision)
    else:
        agreement.status = "signing"
        agreement.turn = other
        record("agreement.status_changed", actor=user, agreement=agreement, status="signing")
        queue_in_their_language(agreement, recipients(agreement, sides=other, roles="signatory"), "signing.requested",
                                lambda: (
            _("%(organisation)s signed “%(title)s”: your signature is awaited", organisation=organisation,
              title=agreement.title),
            _("%(name)s (%(job_title)s) signed revision %(number)s for %(organisation)s. Read it and sign for your side.",
              name=signature.full_name, job_title=signature.job_title, number=revision.number,
              organisation=organisation)), path="/sign")
    db.session.commit()
    return signature


def _how_joined(agreement: Agreement, user: User, membership: Membership
                ) -> tuple[str, str | None, datetime | None, datetime | None]:
    """How `user` came to be on their side, for the sealed record and the certificate:
    (via, inviter, invited at, joined at); via is "invitation", "creator" or "unrecorded"."""
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.agreement_id == agreement.id, Invitation.accepted_by_id == user.id,
                                 Invitation.side == membership.side, Invitation.accepted_at.is_not(None))
        .order_by(Invitation.accepted_at.desc(), Invitation.id.desc()).limit(1))
    if invitation is not None:
        inviter = invitation.created_by
        return ("invitation", f"{inviter.name} <{inviter.email}>" if inviter else "a former member",
                _seconds(invitation.created_at), _seconds(invitation.accepted_at))
    if agreement.created_by_id == user.id:
        return "creator", None, None, _seconds(agreement.created_at)
    return "unrecorded", None, None, _seconds(membership.created_at)


def _seconds(when: datetime) -> datetime:
    return when.replace(microsecond=0)


def _execute(agreement: Agreement, user: User, revision: Revision) -> None:
    """Both sides signed `revision`: the agreement (or the amendment being negotiated) is executed."""
    amendment = finish_amendment(agreement, revision)
    agreement.status = "executed"
    agreement.turn = None
    if amendment is None:
        agreement.executed_at = utcnow().replace(microsecond=0)  # the original's; an amendment keeps its own
    agreement.executed_revision_id = revision.id
    schedule_after_execution(agreement, revision_document(revision))
    record("agreement.executed", actor=user, agreement=agreement, revision=revision.number, hash=revision.hash,
           amendment=amendment.number if amendment else None,
           effective_on=amendment.effective_on.isoformat() if amendment else None,
           # Printed in the signed document, which is verified by rendering it again: kept, so a
           # later change of PUBLIC_URL (or another development host) does not change the file.
           verify_url=public_url("/verify"))
    def compose() -> tuple[str, str]:
        values = {"title": agreement.title, "number": revision.number}
        if amendment is None:
            return (_("The agreement “%(title)s” is signed by both sides", **values),
                    _("Both sides signed revision %(number)s. The agreement is executed; the signed document and its "
                      "certificate of completion can be downloaded.", **values))
        values.update(amendment=amendment.number, date=format_date(amendment.effective_on))
        return (_("Amendment %(amendment)s of “%(title)s” is signed by both sides", **values),
                _("Both sides signed revision %(number)s. Amendment %(amendment)s is executed, effective from "
                  "%(date)s; the signed document and its certificate of completion can be downloaded.", **values))

    queue_in_their_language(agreement, recipients(agreement), "agreement.executed", compose, path="/sign")


def _void(signature: Signature, reason: str) -> None:
    # Voiding is not part of the sealed record: the act of signing stays exactly as it was.
    signature.voided_at = utcnow()
    signature.void_reason = reason


def reopen(agreement: Agreement, user: User, membership: Membership, reason: str) -> int:
    """An owner takes a ready or half-signed agreement back to negotiation; returns how many
    signatures that voided. Nothing executed can be reopened (that is an amendment)."""
    if not can(membership, "manage"):
        raise SigningError(_("Only an owner reopens the agreement for changes."))
    lock_agreement(agreement.id)
    if agreement.status not in SIGNABLE_STATUSES:
        db.session.rollback()
        raise SigningError(_("The agreement is %(status)s; only a ready or half-signed agreement is reopened.",
                             status=agreement_status_label(agreement.status)))
    voided = 0
    for signature in signatures_of(agreement):
        if not signature.void:
            _void(signature, f"the agreement was reopened for changes by {user.name}: {reason}")
            voided += 1
    agreement.status = "negotiating" if agreement.shared else "draft"
    record("agreement.reopened", actor=user, agreement=agreement, reason=reason, signatures_voided=voided,
           status=agreement.status)
    def compose() -> tuple[str, str]:
        body = _("%(name)s reopened the agreement for changes: %(reason)s", name=user.name, reason=reason)
        if voided:
            body += "\n" + ngettext("The %(num)d signature given so far is void.",
                                     "The %(num)d signatures given so far are void.", voided)
        return _("“%(title)s” was reopened for changes", title=agreement.title), body

    queue_in_their_language(agreement, recipients(agreement, exclude=user), "agreement.reopened", compose)
    db.session.commit()
    return voided


def _recent_refusals(user: User) -> int:
    since = utcnow() - PASSWORD_WINDOW
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.actor_id == user.id, AuditEvent.action == "signature.refused", AuditEvent.at > since))


def _user_agent() -> str:
    return (request.headers.get("User-Agent", "") if has_request_context() else "")[:USER_AGENT_MAX]
