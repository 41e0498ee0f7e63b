"""The agreement's history in sentences a lawyer reads.

An audit event stores an action code and details for machines ("proposal.created",
{"proposal": 3, "kind": "clause_text", "target": "sanctions.credit_cap"}); people read
"Jan Kowalski (client) proposed new wording for 8.2 Cap on service credits (proposal 3)."
This module turns each event the code records into such a sentence, naming clauses
by their number and title in the current draft and proposals by what they change;
an event it does not know still reads as words, never as a code. Proposal summaries
on the negotiation pages use the same words.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from flask import current_app
from sqlalchemy import select

from ..config import LANGUAGES
from ..document import Document
from ..extensions import db
from ..interview.health import CLAUSE_RULE_PREFIX, RULES_BY_ID
from ..interview.steps import STEPS_BY_KEY, term_name
from ..models import Agreement, AuditEvent, Comment, Invitation, Proposal, User
from ..negotiation.changes import ChangeNames, change_names, describe

STATUS_WORDS = {"draft": "drafting", "negotiating": "negotiation", "ready": "ready to sign", "signing": "signing",
                "executed": "executed", "in_review": "in review", "terminated": "terminated", "expired": "expired"}
ROLE_WORDS = {"owner": "owner", "editor": "editor", "reviewer": "reviewer (legal)", "signatory": "signatory",
              "viewer": "viewer"}


@dataclass(frozen=True)
class Context:
    """What the sentences of one agreement's events need: names, people's sides, proposals, threads."""

    names: ChangeNames
    sides: dict[int, str] = field(default_factory=dict)  # user id -> side, for members
    proposals: dict[int, Proposal] = field(default_factory=dict)  # number -> proposal
    threads: dict[int, str | None] = field(default_factory=dict)  # comment id -> clause key (None: the agreement)
    invitations: dict[int, str | None] = field(default_factory=dict)  # invitation id -> e-mail it was for


def person(user: User | None, side: str | None) -> str:
    """ "Jan Kowalski (client)"; someone whose account is gone is "a former member"."""
    if user is None:
        return "A former member"
    return f"{user.name} ({side})" if side else user.name


def _quoted(text: Any) -> str:
    text = str(text or "").strip()
    return f": “{text}”" if text else ""


def _proposal(context: Context, number: Any) -> str:
    """ "proposal 3 (new wording for 8.2 Cap on service credits)", or "proposal 3" if unknown."""
    proposal = context.proposals.get(number) if isinstance(number, int) else None
    if proposal is None:
        return f"proposal {number}"
    return f"proposal {number} ({describe_proposal(proposal, context.names)})"


def describe_proposal(proposal: Proposal, names: ChangeNames) -> str:
    """What a proposal changes: "new wording for 8.2 Cap on service credits"."""
    return describe(proposal.kind, proposal.target, proposal.value, names, proposal.base_value)


def proposal_sentence(proposal: Proposal, names: ChangeNames) -> str:
    """ "Jan Kowalski (client) proposed new wording for 8.2 Cap on service credits"."""
    verb = f"countered proposal {proposal.counter_of.number} with" if proposal.counter_of else "proposed"
    return f"{person(proposal.author, proposal.side)} {verb} {describe_proposal(proposal, names)}"


# One sentence per action: (who, details, context) -> the rest of the sentence after "who".
Phrase = Callable[[str, dict[str, Any], Context], str]


def _created(who, d, c):
    language = LANGUAGES.get(d.get("language"), d.get("language"))
    how = " as the renewal of the agreement before it" if d.get("renews") else (
        " from an imported terms file" if d.get("imported_from") else "")
    return f"{who} created the agreement “{d.get('title', '')}” in {language}{how}"


def _status(who, d, c):
    status = d.get("status")
    if status == "ready":
        acknowledged = len(d.get("acknowledged") or [])
        return f"{who} marked the agreement ready to sign" + (
            f", with {acknowledged} health check{'s' if acknowledged != 1 else ''} acknowledged" if acknowledged else "")
    if status == "signing":
        return "The agreement is being signed: the other side's signature is awaited"
    reason = f" because {d['reason']}" if d.get("reason") else ""
    return f"The agreement went back to {STATUS_WORDS.get(status, status)}{reason}"


def _executed(who, d, c):
    if d.get("amendment"):
        effective = f", effective from {d['effective_on']}" if d.get("effective_on") else ""
        return f"Both sides signed revision {d.get('revision')}: amendment {d['amendment']} is executed{effective}"
    return f"Both sides signed revision {d.get('revision')}: the agreement is executed"


def _signed(who, d, c):
    return (f"{who} signed revision {d.get('revision')} for the {d.get('side')} as "
            f"{d.get('name')}, {d.get('title')}")


def _turn(who, d, c):
    what = f"sent revision {d['revision']}" if d.get("revision") else "sent their side's proposals"
    return f"{who} {what} to the {d.get('to')}{_quoted(d.get('message'))}"


def _proposed(who, d, c):
    proposal = c.proposals.get(d.get("proposal"))
    if proposal is not None:
        change = describe_proposal(proposal, c.names)
    elif d.get("kind"):
        change = describe(d["kind"], str(d.get("target", "")), None, c.names)
    else:
        change = "a change"
    verb = f"countered proposal {d['counter_of']} with" if d.get("counter_of") else "proposed"
    return f"{who} {verb} {change} (proposal {d.get('proposal')})"


def _accepted(who, d, c):
    merged = ", merged with changes made since it was proposed" if d.get("merged") else ""
    return f"{who} accepted {_proposal(c, d.get('proposal'))}{merged}"


def _where(c: Context, key: Any) -> str:
    return c.names.clause(key) if key else "the agreement as a whole"


def _commented(who, d, c):
    if d.get("thread"):
        return f"{who} replied to a comment on {_where(c, c.threads.get(d['thread']))}"
    return f"{who} commented on {_where(c, d.get('clause'))}"


def _thread(verb: str) -> Phrase:
    return lambda who, d, c: f"{who} {verb} a comment thread on {_where(c, c.threads.get(d.get('thread')))}"


def _interview_saved(who, d, c):
    step = STEPS_BY_KEY.get(d.get("step"))
    changed = [c.names.clause(key) for key in d.get("clauses_changed") or []]
    listed = "; ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    return (f"{who} saved the interview step “{step.title if step else d.get('step')}”"
            + (f", which changed {listed}" if changed else ""))


def _rule(rule_id: Any, c: Context) -> str:
    rule = RULES_BY_ID.get(rule_id)
    if rule is None and isinstance(rule_id, str) and rule_id.startswith(CLAUSE_RULE_PREFIX):
        return f"that {c.names.clause(rule_id[len(CLAUSE_RULE_PREFIX):])} states the terms"
    return f"“{rule.title}”" if rule else f"“{rule_id}”"


def _invited(who, d, c):
    whom = d.get("email") or "anyone holding the link"
    return f"{who} invited {whom} to join the {d.get('side')} side as {ROLE_WORDS.get(d.get('role'), d.get('role'))}"


def _revoked(who, d, c):
    email = c.invitations.get(d.get("invitation"))
    return f"{who} revoked the invitation" + (f" for {email}" if email else "")


def _reviewed(who, d, c):
    missed = " (held late)" if d.get("missed") else ""
    actions = d.get("actions") or 0
    return (f"{who} recorded review {d.get('review')}, held on {d.get('held_on')}{missed}, with {actions} "
            f"action{'s' if actions != 1 else ''}" + (f"; next review {d['next_review']}" if d.get("next_review") else ""))


def _terminated(who, d, c):
    under = f" under {c.names.clause(d['clause'])}" if d.get("clause") else ""
    return f"{who} recorded the termination of the agreement on {d.get('on')}{under}{_quoted(d.get('reason'))}"


def _amendment_opened(who, d, c):
    effective = f", to take effect on {d['effective_on']}" if d.get("effective_on") else ""
    review = f" after review {d['review']}" if d.get("review") else ""
    return f"{who} opened amendment {d.get('number')}{review}{effective}{_quoted(d.get('reason'))}"


def _reopened(who, d, c):
    voided = d.get("signatures_voided") or 0
    what = f", voiding {voided} signature{'s' if voided != 1 else ''}" if voided else ""
    return f"{who} reopened the agreement for changes{what}{_quoted(d.get('reason'))}"


def _clause_edited(who, d, c):
    merged = ", merged with a change made meanwhile" if d.get("merged") else ""
    changed = d.get("terms_changed") or {}
    terms = ("; the new wording set " + ", ".join(f"“{term_name(path)}” to {value}" for path, value in changed.items())
             if isinstance(changed, dict) and changed else "")
    dropped = d.get("no_longer_states") or []
    unstated = ("; it no longer states " + ", ".join(f"“{term_name(path)}”" for path in dropped)
                if isinstance(dropped, list) and dropped else "")
    return f"{who} edited {c.names.clause(d.get('clause', ''))}{merged}{terms}{unstated}"


PHRASES: dict[str, Phrase] = {
    # Agreement and people
    "agreement.created": _created,
    "agreement.shared": lambda who, d, c: f"{who} shared the draft with the client{_quoted(d.get('message'))}",
    "agreement.status_changed": _status,
    "agreement.renewed": lambda who, d, c: f"{who} started the renewal “{d.get('title', '')}”, a new agreement",
    "agreement.terminated": _terminated,
    "agreement.expired": lambda who, d, c: f"The agreement expired: its term ended on {d.get('ended_on')}",
    "invitation.created": _invited,
    "invitation.revoked": _revoked,
    "member.joined": lambda who, d, c: f"{who} joined the {d.get('side')} side as {ROLE_WORDS.get(d.get('role'), d.get('role'))}",
    "member.role_changed": lambda who, d, c: (f"{who} changed {d.get('member')}'s role from "
                                              f"{ROLE_WORDS.get(d.get('old'), d.get('old'))} to {ROLE_WORDS.get(d.get('new'), d.get('new'))}"),
    "member.removed": lambda who, d, c: f"{who} removed {d.get('member')} ({d.get('side')} {d.get('role')}) from the agreement",
    # Drafting
    "clause.edited": _clause_edited,
    "revision.created": lambda who, d, c: f"{who} saved revision {d.get('number')}{_quoted(d.get('message'))}",
    "interview.saved": _interview_saved,
    "interview.terms_replaced": lambda who, d, c: f"{who} replaced the terms{_quoted(d.get('reason'))}",
    "health.acknowledged": lambda who, d, c: f"{who} acknowledged the health check {_rule(d.get('rule'), c)}{_quoted(d.get('reason'))}",
    "health.acknowledgement_withdrawn": lambda who, d, c: f"{who} withdrew the acknowledgement of the health check {_rule(d.get('rule'), c)}",
    # Negotiation
    "turn.sent": _turn,
    "proposal.created": _proposed,
    "proposal.accepted": _accepted,
    "proposal.rejected": lambda who, d, c: f"{who} rejected {_proposal(c, d.get('proposal'))}{_quoted(d.get('reason'))}",
    "proposal.withdrawn": lambda who, d, c: f"{who} withdrew {_proposal(c, d.get('proposal'))}",
    "proposal.superseded": lambda who, d, c: f"{who}'s counter-proposal replaced {_proposal(c, d.get('proposal'))}",
    "comment.added": _commented,
    "comment.resolved": _thread("resolved"),
    "comment.reopened": _thread("reopened"),
    # Signing, amendments, reviews
    "agreement.signed": _signed,
    "signature.refused": lambda who, d, c: f"{who} tried to sign with a wrong password; nothing was signed",
    "agreement.executed": _executed,
    "agreement.reopened": _reopened,
    "amendment.opened": _amendment_opened,
    "amendment.abandoned": lambda who, d, c: f"{who} abandoned amendment {d.get('number')}{_quoted(d.get('reason'))}",
    "review.recorded": _reviewed,
    # Accounts (events without an agreement)
    "account.registered": lambda who, d, c: f"{who} created an account",
    "account.logged_in": lambda who, d, c: f"{who} logged in",
    "account.logged_out": lambda who, d, c: f"{who} logged out",
    "account.login_failed": lambda who, d, c: f"A log-in as {d.get('email')} failed: wrong password",
    "account.login_throttled": lambda who, d, c: f"Log-ins as {d.get('email')} were paused after too many failures",
    "account.password_changed": lambda who, d, c: f"{who} changed their password",
    "account.confirmation_sent": lambda who, d, c: f"A link to confirm the e-mail address of {who} was sent",
    "account.email_confirmed": lambda who, d, c: f"{who} confirmed their e-mail address",
    "calendar.token_created": lambda who, d, c: f"{who} created a calendar feed link",
    "calendar.token_revoked": lambda who, d, c: f"{who} revoked their calendar feed link",
}

# Details no reader needs: internal counters and references the sentence already resolves.
_HIDDEN = frozenset({"draft_version", "based_on", "rebased", "signature", "invitation", "hash", "comment", "thread"})


def _fallback(who: str, action: str, details: dict[str, Any]) -> str:
    """An action without a sentence of its own (a newer feature's): still words, not a code."""
    noun, _, verb = action.partition(".")
    words = f"{noun.replace('_', ' ')} {verb.replace('_', ' ')}".strip()
    shown = [f"{key.replace('_', ' ')} {value}" for key, value in sorted(details.items())
             if key not in _HIDDEN and value not in (None, "", [], {}) and not isinstance(value, (dict, list))]
    return f"{who}: {words}" + (f" ({'; '.join(shown)})" if shown else "")


def event_sentence(event: AuditEvent, context: Context) -> str:
    """The event as one sentence, ending with a full stop."""
    details = event.details or {}
    who = person(event.actor, context.sides.get(event.actor_id)) if event.actor_id else "The system"
    phrase = PHRASES.get(event.action)
    try:
        sentence = phrase(who, details, context) if phrase else _fallback(who, event.action, details)
    except (AttributeError, KeyError, TypeError, ValueError):  # details of an older shape
        sentence = _fallback(who, event.action, details)
    return sentence if sentence.endswith((".", "”", "!", "?")) else sentence + "."


def activity_context(agreement: Agreement, document: Document) -> Context:
    """Names from the current draft and the agreement's proposals, threads and invitations (four queries)."""
    names = change_names(document, current_app.extensions["clause_library"], agreement.language)
    sides = {m.user_id: m.side for m in agreement.memberships}
    proposals = {p.number: p for p in db.session.scalars(select(Proposal).where(Proposal.agreement_id == agreement.id))}
    threads = dict(db.session.execute(select(Comment.id, Comment.clause_key).where(Comment.agreement_id == agreement.id)).all())
    invitations = dict(db.session.execute(select(Invitation.id, Invitation.email)
                                          .where(Invitation.agreement_id == agreement.id)).all())
    return Context(names, sides, proposals, threads, invitations)


def event_sentences(agreement: Agreement, document: Document, events: list[AuditEvent]) -> dict[int, str]:
    """Each event's sentence, by event id, for the Activity page."""
    context = activity_context(agreement, document)
    return {event.id: event_sentence(event, context) for event in events}
