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
from markupsafe import Markup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from ..config import LANGUAGES
from ..document import Document
from ..extensions import db
from ..interview.health import CLAUSE_RULE_PREFIX, RULES_BY_ID
from ..interview.steps import STEPS_BY_KEY, term_name
from ..models import Agreement, AuditEvent, Comment, Invitation, Proposal, User
from .forms import PAPER_LABELS, ROLE_WORDS, SIDE_NAMES as SIDE_WORDS
from .settings import AUTOMATIC
from ..negotiation.changes import ChangeNames, change_names, describe

# Words inside sentences, in the interface language; stored values stay as they are.
STATUS_WORDS = {"draft": _l("drafting"), "negotiating": _l("negotiation"), "ready": _l("ready to sign"),
                "signing": _l("signing"), "executed": _l("executed"), "in_review": _l("in review"),
                "terminated": _l("terminated"), "expired": _l("expired")}


@dataclass(frozen=True)
class Context:
    """What the sentences of one agreement's events need: names, people's sides, proposals, threads."""

    names: ChangeNames
    sides: dict[int, str] = field(default_factory=dict)  # user id -> side, for members
    proposals: dict[int, Proposal] = field(default_factory=dict)  # number -> proposal
    threads: dict[int, str | None] = field(default_factory=dict)  # comment id -> clause key (None: the agreement)
    invitations: dict[int, str | None] = field(default_factory=dict)  # invitation id -> e-mail it was for


def _word(table: dict, value: Any) -> str:
    """`value`'s word from `table`, or the value itself for one the table does not know."""
    return str(table.get(value, value)) if isinstance(value, str) else str(value)


def person(user: User | None, side: str | None) -> str:
    """ "Jan Kowalski (client)"; someone whose account is gone is "a former member"."""
    if user is None:
        return _("A former member")
    return _("%(name)s (%(side)s)", name=user.name, side=_word(SIDE_WORDS, side)) if side else user.name


def _quoted(text: Any) -> Markup | str:
    """The words a person typed (a message, a reason) after the sentence, isolated as data (<bdi>).

    Returned as Markup, so `sentence + _quoted(...)` escapes the sentence and keeps the element:
    the quote reads in its own direction inside a sentence in the interface language.
    """
    text = str(text or "").strip()
    return Markup(": “<bdi>%s</bdi>”") % text if text else ""


def _per_side(side: Any, provider: str, client: str) -> str:
    """The sentence for the side named; KeyError (an older event's shape) for anything else."""
    return {"provider": provider, "client": client}[side]


def _proposal(context: Context, number: Any) -> str:
    """ "proposal 3 (new wording for 8.2 Cap on service credits)", or "proposal 3" if unknown."""
    proposal = context.proposals.get(number) if isinstance(number, int) else None
    if proposal is None:
        return _("proposal %(number)s", number=number)
    return _("proposal %(number)s (%(change)s)", number=number, change=describe_proposal(proposal, context.names))


def describe_proposal(proposal: Proposal, names: ChangeNames) -> str:
    """What a proposal changes: "new wording for 8.2 Cap on service credits"."""
    return describe(proposal.kind, proposal.target, proposal.value, names, proposal.base_value)


def proposal_sentence(proposal: Proposal, names: ChangeNames) -> str:
    """ "Jan Kowalski (client) proposed new wording for 8.2 Cap on service credits"."""
    who, change = person(proposal.author, proposal.side), describe_proposal(proposal, names)
    if proposal.counter_of:
        return _("%(who)s countered proposal %(number)s with %(change)s", who=who,
                 number=proposal.counter_of.number, change=change)
    return _("%(who)s proposed %(change)s", who=who, change=change)


# One sentence per action: (who, details, context) -> the sentence, "who" in it.
Phrase = Callable[[str, dict[str, Any], Context], str]


def _created(who, d, c):
    language = LANGUAGES.get(d.get("language"), d.get("language"))
    values = {"who": who, "title": d.get("title", ""), "language": language}
    if d.get("renews"):
        return _("%(who)s created the agreement “%(title)s” in %(language)s as the renewal of the agreement "
                 "before it", **values)
    if d.get("imported_csv"):
        source = d["imported_csv"]
        return _("%(who)s created the agreement “%(title)s” in %(language)s from line %(line)s of the CSV file "
                 "“%(file)s” (SHA-256 %(hash)s…)", line=source.get("line"), file=source.get("file") or "",
                 hash=str(source.get("sha256", ""))[:12], **values)
    if d.get("imported_from"):
        return _("%(who)s created the agreement “%(title)s” in %(language)s from an imported terms file", **values)
    return _("%(who)s created the agreement “%(title)s” in %(language)s", **values)


def _status(who, d, c):
    status = d.get("status")
    if status == "ready":
        acknowledged = len(d.get("acknowledged") or [])
        if acknowledged:
            return ngettext("%(who)s marked the agreement ready to sign, with %(num)d health check acknowledged",
                            "%(who)s marked the agreement ready to sign, with %(num)d health checks acknowledged",
                            acknowledged, who=who)
        return _("%(who)s marked the agreement ready to sign", who=who)
    if status == "signing":
        return _("The agreement is being signed: the other side's signature is awaited")
    if d.get("reason"):
        # The reason was stored as words when it happened; it is shown as stored.
        return _("The agreement went back to %(status)s because %(reason)s", status=_word(STATUS_WORDS, status),
                 reason=d["reason"])
    return _("The agreement went back to %(status)s", status=_word(STATUS_WORDS, status))


def _executed(who, d, c):
    if d.get("amendment"):
        if d.get("effective_on"):
            return _("Both sides signed revision %(revision)s: amendment %(amendment)s is executed, effective from "
                     "%(date)s", revision=d.get("revision"), amendment=d["amendment"], date=d["effective_on"])
        return _("Both sides signed revision %(revision)s: amendment %(amendment)s is executed",
                 revision=d.get("revision"), amendment=d["amendment"])
    return _("Both sides signed revision %(revision)s: the agreement is executed", revision=d.get("revision"))


def _signed(who, d, c):
    values = {"who": who, "revision": d.get("revision"), "name": d.get("name"), "title": d.get("title")}
    return _per_side(d.get("side"),
                     _("%(who)s signed revision %(revision)s for the provider as %(name)s, %(title)s", **values),
                     _("%(who)s signed revision %(revision)s for the client as %(name)s, %(title)s", **values))


def _turn(who, d, c):
    if d.get("revision"):
        sentence = _per_side(d.get("to"),
                             _("%(who)s sent revision %(revision)s to the provider", who=who, revision=d["revision"]),
                             _("%(who)s sent revision %(revision)s to the client", who=who, revision=d["revision"]))
    else:
        sentence = _per_side(d.get("to"), _("%(who)s sent their side's proposals to the provider", who=who),
                             _("%(who)s sent their side's proposals to the client", who=who))
    return sentence + _quoted(d.get("message"))


def _proposed(who, d, c):
    proposal = c.proposals.get(d.get("proposal"))
    if proposal is not None:
        change = describe_proposal(proposal, c.names)
    elif d.get("kind"):
        change = describe(d["kind"], str(d.get("target", "")), None, c.names)
    else:
        change = _("a change")
    if d.get("counter_of"):
        return _("%(who)s countered proposal %(counter)s with %(change)s (proposal %(number)s)", who=who,
                 counter=d["counter_of"], change=change, number=d.get("proposal"))
    return _("%(who)s proposed %(change)s (proposal %(number)s)", who=who, change=change, number=d.get("proposal"))


def _accepted(who, d, c):
    proposal = _proposal(c, d.get("proposal"))
    if d.get("merged"):
        return _("%(who)s accepted %(proposal)s, merged with changes made since it was proposed", who=who,
                 proposal=proposal)
    return _("%(who)s accepted %(proposal)s", who=who, proposal=proposal)


def _where(c: Context, key: Any) -> str:
    return c.names.clause(key) if key else _("the agreement as a whole")


def _commented(who, d, c):
    if d.get("thread"):
        return _("%(who)s replied to a comment on %(where)s", who=who, where=_where(c, c.threads.get(d["thread"])))
    return _("%(who)s commented on %(where)s", who=who, where=_where(c, d.get("clause")))


def _resolved(who, d, c):
    return _("%(who)s resolved a comment thread on %(where)s", who=who, where=_where(c, c.threads.get(d.get("thread"))))


def _thread_reopened(who, d, c):
    return _("%(who)s reopened a comment thread on %(where)s", who=who, where=_where(c, c.threads.get(d.get("thread"))))


def _interview_saved(who, d, c):
    step = STEPS_BY_KEY.get(d.get("step"))
    title = str(step.title) if step else d.get("step")
    changed = [c.names.clause(key) for key in d.get("clauses_changed") or []]
    if not changed:
        return _("%(who)s saved the interview step “%(step)s”", who=who, step=title)
    listed = "; ".join(changed[:3])
    if len(changed) > 3:
        listed = ngettext("%(list)s and %(num)d more", "%(list)s and %(num)d more", len(changed) - 3, list=listed)
    return _("%(who)s saved the interview step “%(step)s”, which changed %(clauses)s", who=who, step=title,
             clauses=listed)


def _health(acknowledged: bool) -> Phrase:
    def phrase(who, d, c):
        rule_id = d.get("rule")
        rule = RULES_BY_ID.get(rule_id)
        if rule is None and isinstance(rule_id, str) and rule_id.startswith(CLAUSE_RULE_PREFIX):
            clause = c.names.clause(rule_id[len(CLAUSE_RULE_PREFIX):])
            if acknowledged:
                return _("%(who)s acknowledged the health check that %(clause)s states the terms", who=who,
                         clause=clause) + _quoted(d.get("reason"))
            return _("%(who)s withdrew the acknowledgement of the health check that %(clause)s states the terms",
                     who=who, clause=clause)
        title = str(rule.title) if rule else rule_id
        if acknowledged:
            return _("%(who)s acknowledged the health check “%(rule)s”", who=who, rule=title) + _quoted(d.get("reason"))
        return _("%(who)s withdrew the acknowledgement of the health check “%(rule)s”", who=who, rule=title)
    return phrase


def _invited(who, d, c):
    role = _word(ROLE_WORDS, d.get("role"))
    if d.get("email"):
        return _per_side(d.get("side"),
                         _("%(who)s invited %(email)s to join the provider side as %(role)s", who=who,
                           email=d["email"], role=role),
                         _("%(who)s invited %(email)s to join the client side as %(role)s", who=who,
                           email=d["email"], role=role))
    return _per_side(d.get("side"),
                     _("%(who)s invited anyone holding the link to join the provider side as %(role)s", who=who,
                       role=role),
                     _("%(who)s invited anyone holding the link to join the client side as %(role)s", who=who,
                       role=role))


def _revoked(who, d, c):
    email = c.invitations.get(d.get("invitation"))
    if email:
        return _("%(who)s revoked the invitation for %(email)s", who=who, email=email)
    return _("%(who)s revoked the invitation", who=who)


def _reviewed(who, d, c):
    actions = d.get("actions") or 0
    values = {"who": who, "review": d.get("review"), "date": d.get("held_on"), "next": d.get("next_review")}
    if d.get("missed") and d.get("next_review"):
        return ngettext("%(who)s recorded review %(review)s, held on %(date)s (held late), with %(num)d action; "
                        "next review %(next)s",
                        "%(who)s recorded review %(review)s, held on %(date)s (held late), with %(num)d actions; "
                        "next review %(next)s", actions, **values)
    if d.get("missed"):
        return ngettext("%(who)s recorded review %(review)s, held on %(date)s (held late), with %(num)d action",
                        "%(who)s recorded review %(review)s, held on %(date)s (held late), with %(num)d actions",
                        actions, **values)
    if d.get("next_review"):
        return ngettext("%(who)s recorded review %(review)s, held on %(date)s, with %(num)d action; "
                        "next review %(next)s",
                        "%(who)s recorded review %(review)s, held on %(date)s, with %(num)d actions; "
                        "next review %(next)s", actions, **values)
    return ngettext("%(who)s recorded review %(review)s, held on %(date)s, with %(num)d action",
                    "%(who)s recorded review %(review)s, held on %(date)s, with %(num)d actions", actions, **values)


def _sla_imported(who, d, c):
    values = {"who": who, "file": d.get("file"), "hash": str(d.get("sha256", ""))[:12], "new": d.get("created") or 0,
              "updated": d.get("updated") or 0}
    rows = d.get("rows") or 0
    if d.get("kind") == "outages":
        return ngettext("%(who)s imported %(num)d outage from “%(file)s” (SHA-256 %(hash)s…): %(new)s new, "
                        "%(updated)s updated",
                        "%(who)s imported %(num)d outages from “%(file)s” (SHA-256 %(hash)s…): %(new)s new, "
                        "%(updated)s updated", rows, **values)
    return ngettext("%(who)s imported %(num)d incident from “%(file)s” (SHA-256 %(hash)s…): %(new)s new, "
                    "%(updated)s updated",
                    "%(who)s imported %(num)d incidents from “%(file)s” (SHA-256 %(hash)s…): %(new)s new, "
                    "%(updated)s updated", rows, **values)


def _dispute_opened(who, d, c):
    values = {"who": who, "line": d.get("line"), "period": d.get("period"), "number": d.get("dispute")}
    if d.get("line_kind") == "incident":
        return _("%(who)s disputed incident %(line)s in the service report for %(period)s (dispute %(number)s)", **values)
    return _("%(who)s disputed the figures of priority %(line)s in the service report for %(period)s "
             "(dispute %(number)s)", **values)


def _dispute_answered(who, d, c):
    number, status = d.get("dispute"), d.get("status")
    if status == "accepted":
        return _("%(who)s accepted dispute %(number)s", who=who, number=number)
    if status == "rejected":
        return _("%(who)s rejected dispute %(number)s", who=who, number=number)
    if status == "escalated":
        return _("%(who)s escalated dispute %(number)s", who=who, number=number)
    return _("%(who)s wrote in dispute %(number)s", who=who, number=number)


def _terminated(who, d, c):
    if d.get("clause"):
        sentence = _("%(who)s recorded the termination of the agreement on %(date)s under %(clause)s", who=who,
                     date=d.get("on"), clause=c.names.clause(d["clause"]))
    else:
        sentence = _("%(who)s recorded the termination of the agreement on %(date)s", who=who, date=d.get("on"))
    return sentence + _quoted(d.get("reason"))


def _amendment_opened(who, d, c):
    values = {"who": who, "number": d.get("number"), "review": d.get("review"), "date": d.get("effective_on")}
    if d.get("review") and d.get("effective_on"):
        sentence = _("%(who)s opened amendment %(number)s after review %(review)s, to take effect on %(date)s",
                     **values)
    elif d.get("review"):
        sentence = _("%(who)s opened amendment %(number)s after review %(review)s", **values)
    elif d.get("effective_on"):
        sentence = _("%(who)s opened amendment %(number)s, to take effect on %(date)s", **values)
    else:
        sentence = _("%(who)s opened amendment %(number)s", **values)
    return sentence + _quoted(d.get("reason"))


def _reopened(who, d, c):
    voided = d.get("signatures_voided") or 0
    if voided:
        sentence = ngettext("%(who)s reopened the agreement for changes, voiding %(num)d signature",
                            "%(who)s reopened the agreement for changes, voiding %(num)d signatures", voided, who=who)
    else:
        sentence = _("%(who)s reopened the agreement for changes", who=who)
    return sentence + _quoted(d.get("reason"))


def _clause_edited(who, d, c):
    clause = c.names.clause(d.get("clause", ""))
    parts = [_("%(who)s edited %(clause)s, merged with a change made meanwhile", who=who, clause=clause)
             if d.get("merged") else _("%(who)s edited %(clause)s", who=who, clause=clause)]
    changed = d.get("terms_changed") or {}
    if isinstance(changed, dict) and changed:
        settings = ", ".join(_("“%(term)s” to %(value)s", term=term_name(path), value=value)
                                for path, value in changed.items())
        parts.append(_("the new wording set %(settings)s", settings=settings))
    dropped = d.get("no_longer_states") or []
    if isinstance(dropped, list) and dropped:
        terms = ", ".join(f"“{term_name(path)}”" for path in dropped)
        parts.append(_("it no longer states %(terms)s", terms=terms))
    return "; ".join(parts)


def _joined(who, d, c):
    role = _word(ROLE_WORDS, d.get("role"))
    return _per_side(d.get("side"), _("%(who)s joined the provider side as %(role)s", who=who, role=role),
                     _("%(who)s joined the client side as %(role)s", who=who, role=role))


def _role_changed(who, d, c):
    return _("%(who)s changed %(member)s's role from %(old)s to %(new)s", who=who, member=d.get("member"),
             old=_word(ROLE_WORDS, d.get("old")), new=_word(ROLE_WORDS, d.get("new")))


def _paper_size(who, d, c):
    paper = PAPER_LABELS.get("" if d.get("new") == AUTOMATIC else d.get("new"), d.get("new"))
    return _("%(who)s set the paper of the agreement's documents to %(paper)s", who=who, paper=paper)


def _removed(who, d, c):
    return _("%(who)s removed %(member)s (%(side)s %(role)s) from the agreement", who=who, member=d.get("member"),
             side=_word(SIDE_WORDS, d.get("side")), role=_word(ROLE_WORDS, d.get("role")))


PHRASES: dict[str, Phrase] = {
    # Agreement and people
    "agreement.created": _created,
    "agreement.shared": lambda who, d, c: (
        _("%(who)s shared the draft with the client", who=who) + _quoted(d.get("message"))),
    "agreement.status_changed": _status,
    "agreement.renewed": lambda who, d, c: (
        _("%(who)s started the renewal “%(title)s”, a new agreement", who=who, title=d.get("title"))),
    "agreement.terminated": _terminated,
    "agreement.paper_size_changed": _paper_size,
    "agreement.expired": lambda who, d, c: (
        _("The agreement expired: its term ended on %(date)s", who=who, date=d.get("ended_on"))),
    "invitation.created": _invited,
    "invitation.revoked": _revoked,
    "member.joined": _joined,
    "member.role_changed": _role_changed,
    "member.removed": _removed,
    # Drafting
    "clause.edited": _clause_edited,
    "revision.created": lambda who, d, c: (
        _("%(who)s saved revision %(number)s", who=who, number=d.get("number")) + _quoted(d.get("message"))),
    "interview.saved": _interview_saved,
    "interview.terms_replaced": lambda who, d, c: (
        _("%(who)s replaced the terms", who=who) + _quoted(d.get("reason"))),
    "health.acknowledged": _health(acknowledged=True),
    "health.acknowledgement_withdrawn": _health(acknowledged=False),
    # Negotiation
    "turn.sent": _turn,
    "proposal.created": _proposed,
    "proposal.accepted": _accepted,
    "proposal.rejected": lambda who, d, c: (
        _("%(who)s rejected %(proposal)s", who=who, proposal=_proposal(c, d.get("proposal")))
        + _quoted(d.get("reason"))),
    "proposal.withdrawn": lambda who, d, c: (
        _("%(who)s withdrew %(proposal)s", who=who, proposal=_proposal(c, d.get("proposal")))),
    "proposal.superseded": lambda who, d, c: (
        _("%(who)s's counter-proposal replaced %(proposal)s", who=who, proposal=_proposal(c, d.get("proposal")))),
    "comment.added": _commented,
    "word.imported": lambda who, d, c: ngettext(
        "%(who)s imported the Word file “%(file)s” (SHA-256 %(hash)s…) and proposed %(num)d change",
        "%(who)s imported the Word file “%(file)s” (SHA-256 %(hash)s…) and proposed %(num)d changes",
        len(d.get("proposals") or []), who=who, file=d.get("file"), hash=str(d.get("sha256", ""))[:12]),
    "comment.resolved": _resolved,
    "comment.reopened": _thread_reopened,
    # Signing, amendments, reviews
    "agreement.signed": _signed,
    "signature.refused": lambda who, d, c: (
        _("%(who)s tried to sign with a wrong password; nothing was signed", who=who)),
    "agreement.executed": _executed,
    "agreement.imported_executed": lambda who, d, c: (
        _("%(who)s imported the agreement as executed: it was signed outside Accord, so no signatures are recorded "
          "here; revision %(revision)s holds its terms", who=who, revision=d.get("revision"))),
    "agreement.reopened": _reopened,
    "amendment.opened": _amendment_opened,
    "amendment.abandoned": lambda who, d, c: (
        _("%(who)s abandoned amendment %(number)s", who=who, number=d.get("number")) + _quoted(d.get("reason"))),
    "review.recorded": _reviewed,
    "sla.imported": _sla_imported,
    "dispute.opened": _dispute_opened,
    "dispute.answered": _dispute_answered,
    # Accounts (events without an agreement)
    "account.registered": lambda who, d, c: _("%(who)s created an account", who=who),
    "account.logged_in": lambda who, d, c: _("%(who)s logged in", who=who),
    "account.logged_out": lambda who, d, c: _("%(who)s logged out", who=who),
    "account.login_failed": lambda who, d, c: (
        _("A log-in as %(email)s failed: wrong password", who=who, email=d.get("email"))),
    "account.login_throttled": lambda who, d, c: (
        _("Log-ins as %(email)s were paused after too many failures", who=who, email=d.get("email"))),
    "account.password_changed": lambda who, d, c: _("%(who)s changed their password", who=who),
    "account.confirmation_sent": lambda who, d, c: (
        _("A link to confirm the e-mail address of %(who)s was sent", who=who)),
    "account.email_confirmed": lambda who, d, c: _("%(who)s confirmed their e-mail address", who=who),
    "calendar.token_created": lambda who, d, c: _("%(who)s created a calendar feed link", who=who),
    "calendar.token_revoked": lambda who, d, c: _("%(who)s revoked their calendar feed link", who=who),
    "api_token.created": lambda who, d, c: _("%(who)s created the API token “%(name)s”", who=who, name=d.get("name")),
    "api_token.revoked": lambda who, d, c: _("%(who)s revoked the API token “%(name)s”", who=who, name=d.get("name")),
    # Webhooks: a side's own systems; the sentence names no address (both sides read this log).
    "webhook.created": lambda who, d, c: _("%(who)s added a webhook endpoint for their side's systems", who=who),
    "webhook.paused": lambda who, d, c: _("%(who)s paused a webhook endpoint of their side", who=who),
    "webhook.resumed": lambda who, d, c: _("%(who)s resumed a webhook endpoint of their side", who=who),
    "webhook.deleted": lambda who, d, c: _("%(who)s deleted a webhook endpoint of their side", who=who),
    "webhook.secret_rotated": lambda who, d, c: (
        _("%(who)s replaced the signing secret of a webhook endpoint of their side", who=who)),
    "webhook.test_sent": lambda who, d, c: _("%(who)s sent a test event to a webhook endpoint of their side", who=who),
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
    who = person(event.actor, context.sides.get(event.actor_id)) if event.actor_id else _("The system")
    phrase = PHRASES.get(event.action)
    try:
        sentence = phrase(who, details, context) if phrase else _fallback(who, event.action, details)
    except (AttributeError, KeyError, TypeError, ValueError):  # details of an older shape
        sentence = _fallback(who, event.action, details)
    return sentence if sentence.endswith((".", "”", "!", "?")) else sentence + "."


def activity_context(agreement: Agreement, document: Document, events: list[AuditEvent] | None = None) -> Context:
    """Names from the current draft and the proposals, threads and invitations the `events` name (all
    of the agreement's when None); four queries, each reading only what the sentences need."""
    names = change_names(document, current_app.extensions["clause_library"], agreement.language)
    sides = {m.user_id: m.side for m in agreement.memberships}
    proposals = select(Proposal).where(Proposal.agreement_id == agreement.id)
    threads = select(Comment.id, Comment.clause_key, Comment.agreement_id)
    invitations = select(Invitation.id, Invitation.email).where(Invitation.agreement_id == agreement.id)
    if events is not None:
        named = _named(events)
        proposals = proposals.where(Proposal.number.in_(named["proposal"]))
        # By primary key, then kept only when this agreement's: an index search per id, not a scan of its comments.
        threads = threads.where(Comment.id.in_(named["thread"]))
        invitations = invitations.where(Invitation.id.in_(named["invitation"]))
    else:
        threads = threads.where(Comment.agreement_id == agreement.id)
    return Context(names, sides, {p.number: p for p in db.session.scalars(proposals)},
                   {id_: key for id_, key, owner in db.session.execute(threads) if owner == agreement.id},
                   dict(db.session.execute(invitations).all()))


def _named(events: list[AuditEvent]) -> dict[str, set[int]]:
    """The proposal numbers, thread ids and invitation ids the events' details name."""
    named: dict[str, set[int]] = {"proposal": set(), "thread": set(), "invitation": set()}
    for event in events:
        details = event.details if isinstance(event.details, dict) else {}
        for key in ("proposal", "counter_of"):
            if isinstance(details.get(key), int):
                named["proposal"].add(details[key])
        if isinstance(details.get("thread"), int):
            named["thread"].add(details["thread"])
        if isinstance(details.get("invitation"), int):
            named["invitation"].add(details["invitation"])
    return named


def event_sentences(agreement: Agreement, document: Document, events: list[AuditEvent]) -> dict[int, str]:
    """Each event's sentence, by event id, for the Activity page (its context read for these events only)."""
    context = activity_context(agreement, document, events)
    return {event.id: event_sentence(event, context) for event in events}
