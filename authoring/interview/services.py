"""Interview operations: save a step, choose clauses, acknowledge health checks, mark ready.

Each save changes only the terms the step (and the member's side) owns, re-assembles
the document (re-rendering every clause that follows the terms) and bumps the draft's
version, all in one transaction under the agreement's lock.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from ..access import can
from ..agreements.services import back_from_ready, lock_agreement
from ..audit import record
from ..document import Document
from ..document.canonical import content_hash
from ..document.names import named_signatory, same_name
from ..extensions import db
from ..i18n import DEFAULT, in_language
from ..library import OMIT, ClauseLibrary, assemble, current_choices
from ..document.terms import changed_terms, with_term
from ..models import Agreement, Draft, HealthAcknowledgement, Membership, Proposal, User, utcnow
from ..reviews.amendments import amendment_blockers
from ..reviews.wording import status_word
from ..revisions.services import draft_of, write_draft
from .health import CLAUSE_RULE_PREFIX, RULES_BY_ID, Finding, Rule, check_health, clause_findings
from .steps import STEPS, Step, apply_form, form_data, step_status, step_terms
from .steps import term_name as step_term_name

EDITABLE_STATUSES = ("draft", "ready")
NEGOTIABLE_STATUSES = ("negotiating", "ready")


class StepConflict(Exception):
    """Someone saved this step after the caller opened it."""


class NotReady(Exception):
    def __init__(self, reasons: list[str]):
        super().__init__(_("The agreement is not ready to sign yet."))
        self.reasons = reasons


def library() -> ClauseLibrary:
    return current_app.extensions["clause_library"]


def step_clauses(step: Step):
    """The library clauses this step offers a choice of."""
    return [clause for section in library() if section.step == step.key for clause in section.clauses]


def can_edit_step(agreement: Agreement, membership: Membership, step: Step) -> bool:
    """Before sharing: editors of either side fill the background (their own party), the provider
    drafts the rest. Once shared: whoever may propose changes any step, as proposals."""
    if step.form is None:
        return False
    if agreement.shared:
        return can(membership, "propose") and agreement.status in NEGOTIABLE_STATUSES
    if not can(membership, "edit") or agreement.status not in EDITABLE_STATUSES:
        return False
    return step.key == "background" or membership.side == "provider"


def can_choose_clauses(agreement: Agreement, membership: Membership, step: Step) -> bool:
    return can_edit_step(agreement, membership, step) and (agreement.shared or membership.side == "provider")


def base_token(step: Step, document: Document, side: str) -> str:
    """What the step looked like when the form was opened: a save based on anything else is stale."""
    choices = current_choices(document)
    chosen = {clause.id: choices.get(clause.id, OMIT) for clause in step_clauses(step)}
    return content_hash({"terms": step_terms(step, document.terms, side), "clauses": chosen})


def save_step(agreement: Agreement, user: User, membership: Membership, step: Step, data: dict[str, Any],
              base: str, choices: dict[str, str] | None = None, counter_of: Proposal | None = None,
              reason: str = "") -> list[Proposal]:
    """Store a step's answers (and clause choices); StepConflict when it changed since `base`.

    Once the draft is shared nothing is written: each changed term and clause choice
    becomes a proposal to the other side (returned), each carrying `reason`. `counter_of`
    is the proposal of the other side this save answers; the change to the same term
    supersedes it.
    """
    draft, document = draft_of(agreement, for_update=True)
    if base_token(step, document, membership.side) != base:
        raise StepConflict(_("Someone else saved this step after you opened it. Your answers are still in the "
                             "form below: check them against the agreement, then save again."))
    terms = library().catalogue.complete(apply_form(step, library().catalogue, document.terms, data, membership.side))
    chosen = current_choices(document)
    for clause_id, variant in (choices or {}).items():
        chosen[clause_id] = variant
    if agreement.shared:
        return _propose_step(agreement, user, membership, document, terms, chosen, counter_of, reason)
    updated = assemble(library(), terms, agreement.language, chosen, previous=document)
    if updated.sha256() == document.sha256():
        db.session.rollback()
        return []
    write_draft(draft, updated, user)
    before = {clause.key: clause for clause in document.clauses()}
    changed_clauses = sorted(c.key for c in updated.clauses() if before.get(c.key) != c)
    record("interview.saved", actor=user, agreement=agreement, step=step.key, side=membership.side,
           draft_version=draft.version, clauses_changed=changed_clauses)
    with in_language(DEFAULT):  # the audit log is in English, whoever saved
        why = f"the step “{step.title}” changed after the agreement was marked ready"
    back_from_ready(agreement, user, why)
    db.session.commit()
    return []


def _propose_step(agreement, user, membership, document, terms, chosen, counter_of, reason) -> list[Proposal]:
    from ..negotiation.services import propose  # negotiation builds on the interview

    changes = [("term", path, new, old)
               for path, old, new in changed_terms(document.terms, terms, values=library().catalogue.values())]
    before = current_choices(document)
    changes += [("clause_variant", clause_id, variant, before.get(clause_id, OMIT))
                for clause_id, variant in chosen.items() if before.get(clause_id, OMIT) != variant]
    if counter_of is not None and not any((k, t) == (counter_of.kind, counter_of.target) for k, t, _n, _o in changes):
        raise StepConflict(_("Your counter-proposal must change what proposal %(number)s changes.",
                             number=counter_of.number))
    proposals = []
    for kind, target, value, base_value in changes:
        countered = counter_of if counter_of is not None and (kind, target) == (counter_of.kind, counter_of.target) else None
        proposal, _rebased = propose(agreement, user, membership, kind, target, value, base_value, reason,
                                     counter_of=countered, commit=False)
        proposals.append(proposal)
    db.session.commit()
    return proposals


@dataclass(frozen=True)
class WhoSigns:
    """The background step's signatory block: the side's signatory members, and whether the
    person the terms name is one of them (signing compares names the same way)."""

    signatories: list[str]
    named: str | None
    named_is_signatory: bool


def who_signs(agreement: Agreement, side: str, terms: dict[str, Any]) -> WhoSigns:
    signatories = [m.user.name for m in agreement.memberships if m.side == side and m.role == "signatory"]
    named = named_signatory(terms, side)
    return WhoSigns(signatories, named[0] if named else None,
                    named is not None and any(same_name(named[0], person) for person in signatories))


# Health checks and readiness -----------------------------------------------------------

def acknowledgements(agreement: Agreement) -> dict[str, HealthAcknowledgement]:
    rows = db.session.scalars(select(HealthAcknowledgement).where(HealthAcknowledgement.agreement_id == agreement.id))
    return {row.rule: row for row in rows}


@dataclass(frozen=True)
class Readiness:
    status: dict[str, list[str]]
    findings: list[Finding]
    acknowledged: dict[str, HealthAcknowledgement]

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.rule.id not in self.acknowledged]

    @property
    def by_rule(self) -> list[tuple[Any, list[str]]]:
        """Failing rules in order, each with all its messages."""
        grouped: dict[str, tuple[Any, list[str]]] = {}
        for finding in self.findings:
            grouped.setdefault(finding.rule.id, (finding.rule, []))[1].append(finding.message)
        return list(grouped.values())

    @property
    def reasons(self) -> list[str]:
        missing = [_("Step “%(title)s”: %(missing)s", title=s.title, missing=", ".join(self.status[s.key]))
                   for s in STEPS[:-1] if self.status[s.key]]
        return missing + [_("%(rule)s: %(problem)s", rule=f.rule.title, problem=f.message) for f in self.blocking]


def readiness(agreement: Agreement, document: Document) -> Readiness:
    findings = check_health(document.terms) + clause_findings(library(), document, agreement.language)
    return Readiness(step_status(document.terms), findings, acknowledgements(agreement))


def health_rule(agreement: Agreement, rule_id: str) -> Rule:
    """A rule of the health checks by id: one of RULES, or the text check of a clause of this draft.

    KeyError when there is none (a clause check exists only while that clause fails it,
    or while an acknowledgement of it stands).
    """
    if rule_id in RULES_BY_ID:
        return RULES_BY_ID[rule_id]
    _draft, document = draft_of(agreement)
    for finding in clause_findings(library(), document, agreement.language):
        if finding.rule.id == rule_id:
            return finding.rule
    if rule_id.startswith(CLAUSE_RULE_PREFIX) and rule_id in acknowledgements(agreement):
        return Rule(rule_id, _("A clause: its text and the terms"), "review", None)
    raise KeyError(rule_id)


def acknowledge(agreement: Agreement, user: User, rule_id: str, reason: str) -> None:
    """An owner accepts a failing rule for a stated reason (kept in the audit log)."""
    lock_agreement(agreement.id)
    health_rule(agreement, rule_id)  # KeyError for an unknown rule
    existing = acknowledgements(agreement).get(rule_id)
    if existing is not None:
        existing.reason, existing.user_id, existing.created_at = reason, user.id, utcnow()
    else:
        db.session.add(HealthAcknowledgement(agreement_id=agreement.id, rule=rule_id, reason=reason, user_id=user.id))
    record("health.acknowledged", actor=user, agreement=agreement, rule=rule_id, reason=reason)
    db.session.commit()


def withdraw_acknowledgement(agreement: Agreement, user: User, rule_id: str) -> None:
    lock_agreement(agreement.id)
    existing = acknowledgements(agreement).get(rule_id)
    if existing is not None:
        db.session.delete(existing)
        record("health.acknowledgement_withdrawn", actor=user, agreement=agreement, rule=rule_id)
    db.session.commit()


def open_proposal_count(agreement: Agreement) -> int:
    return db.session.scalar(select(func.count()).select_from(Proposal).where(
        Proposal.agreement_id == agreement.id, Proposal.status == "open"))


def mark_ready(agreement: Agreement, user: User) -> None:
    """Draft or negotiating -> ready: every step complete, no proposal open, every failing check
    fixed or acknowledged."""
    _draft, document = draft_of(agreement, for_update=True)
    if agreement.status not in ("draft", "negotiating"):
        raise NotReady([_("The agreement is %(status)s: only a draft or a negotiated agreement becomes ready.",
                          status=status_word(agreement.status))])
    state = readiness(agreement, document)
    reasons = list(state.reasons) + amendment_blockers(agreement, document)
    still_open = open_proposal_count(agreement)
    if still_open:
        reasons.append(ngettext("%(num)d proposal is still open: answer or withdraw it first.",
                                "%(num)d proposals are still open: answer or withdraw them first.", still_open))
    if reasons:
        db.session.rollback()
        raise NotReady(reasons)
    agreement.status = "ready"
    record("agreement.status_changed", actor=user, agreement=agreement, status="ready",
           acknowledged=sorted(f.rule.id for f in state.findings))
    db.session.commit()


def set_terms(agreement: Agreement, user: User, terms: dict[str, Any], reason: str) -> Draft:
    """Replace the draft's terms wholesale (demo data, imports) and re-assemble its clauses."""
    draft, document = draft_of(agreement, for_update=True)
    write_draft(draft, assemble(library(), terms, agreement.language, current_choices(document), previous=document), user)
    record("interview.terms_replaced", actor=user, agreement=agreement, reason=reason, draft_version=draft.version)
    db.session.commit()
    return draft


# One term at a time (the JSON API) -----------------------------------------------------------

class TermRefused(ValueError):
    """A term change that cannot be made; `errors` lists (JSON pointer in the value, why)."""

    def __init__(self, message: str, errors: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.errors = errors or []


class DraftChanged(Exception):
    """The draft changed since the caller read it (its hash moved on)."""


def step_of_term(path: str, side: str) -> Step | None:
    """The interview step whose form asks for the term at `path` on behalf of `side` (None: none does)."""
    for step in STEPS:
        if step.form is not None and any(path == pattern or path.startswith(pattern + ".")
                                         for pattern in step.term_paths(side).values()):
            return step
    return None


def _value_problems(path: str, value: Any) -> list[tuple[str, str]]:
    """What the interview's fields would refuse in `value` (bounds, lengths), down into its rows."""
    from ..library.formatting import is_blank
    from .steps import term_value_problem

    if isinstance(value, dict):
        # A term that is one value made of fields (support hours) is judged whole first.
        whole = term_value_problem(path, value)
        if whole:
            return [("", whole)]
        return [(f"/{name}{pointer}", problem) for name, child in value.items()
                for pointer, problem in _value_problems(f"{path}.{name}", child)]
    if isinstance(value, list):
        return [(f"/{index}{pointer}", problem) for index, row in enumerate(value)
                for pointer, problem in _value_problems(path, row)]
    if is_blank(value) or isinstance(value, bool):
        return []
    problem = term_value_problem(path, value)
    return [("", problem)] if problem else []


def check_term_change(agreement: Agreement, membership: Membership, path: str, value: Any) -> Step:
    """The step that asks for `path`, when this member may change it to `value` now.

    NotAllowed when the member's side or role may not answer that step (each side answers
    its own party); TermRefused when there is no such term or the value is not typed as the
    terms file types it, or is beyond what the interview's field accepts.
    """
    from ..export.terms_import import term_value_errors
    from ..negotiation.services import NotAllowed

    step = step_of_term(path, membership.side)
    if step is None:
        other = "client" if membership.side == "provider" else "provider"
        if step_of_term(path, other) is not None:
            raise NotAllowed(_("Each side fills in its own party: this term is the other side's to answer."))
        raise TermRefused(_("There is no term %(path)s in the interview.", path=repr(path)))
    if not can_edit_step(agreement, membership, step):
        raise NotAllowed(_("Your side or role may not change the answers of the step “%(title)s” now.",
                           title=step.title))
    errors = term_value_errors(path, value)
    if errors is None:
        raise TermRefused(_("There is no term %(path)s in the interview.", path=repr(path)))
    errors = errors or _value_problems(path, value)
    if errors:
        raise TermRefused(_("This value cannot be used for %(term)s.", term=step_term_name(path)), errors)
    return step


def change_term(agreement: Agreement, user: User, membership: Membership, path: str, value: Any,
                base_hash: str, reason: str = "") -> list[Proposal]:
    """Change one term as its interview step would: written to the draft before the draft is
    shared, proposed to the other side after (the proposals are returned).

    `base_hash` is the draft's hash the caller read: DraftChanged when the draft moved on
    (StepConflict when the step's answers changed while this ran). Refused as
    `check_term_change` says.
    """
    step = check_term_change(agreement, membership, path, value)
    _draft, document = draft_of(agreement)
    if document.sha256() != base_hash:
        raise DraftChanged()
    terms = with_term(document.terms, path, value)
    data = form_data(step, library().catalogue, terms, membership.side)
    return save_step(agreement, user, membership, step, data, base_token(step, document, membership.side),
                     reason=reason)


def propose_term(agreement: Agreement, user: User, membership: Membership, path: str, value: Any, base_value: Any,
                 reason: str = "", counter_of: Proposal | None = None) -> Proposal:
    """Propose one term's new value, made on `base_value` (what the author saw), as the interview would."""
    from ..negotiation.services import propose

    check_term_change(agreement, membership, path, value)
    proposal, _rebased = propose(agreement, user, membership, "term", path, value, base_value, reason, counter_of)
    return proposal
