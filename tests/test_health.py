"""Health-check rules and step completeness, as plain Python over the terms dict (no app, no database).

Every case starts from the healthy English demo terms and changes only the values that matter.
"""
from __future__ import annotations

import copy

import pytest

from authoring.demo_terms import demo_terms
from authoring.interview.health import RULES, RULES_BY_ID, check_health
from authoring.interview.steps import STEPS, step_status

DEMO = demo_terms("en", "T")


def terms(changes: dict | None = None) -> dict:
    """A deep copy of the demo terms with `changes` applied ("a.b.0.c" paths; digits index lists)."""
    result = copy.deepcopy(DEMO)
    for path, value in (changes or {}).items():
        *parents, last = path.split(".")
        node = result
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[int(last) if isinstance(node, list) else last] = value
    return result


def failing(t: dict) -> set[str]:
    return {finding.rule.id for finding in check_health(t)}


def messages(t: dict) -> str:
    return "\n".join(finding.message for finding in check_health(t))


P, M, CREDITS = "services.priorities", "timeline.milestones", "sanctions.credits"
SCHEDULE, LEVELS = "costs.payment_schedule", "escalation.levels"
AMOUNTS = {f"{SCHEDULE}.0.percent": None, f"{SCHEDULE}.0.amount": "48000.00",
           f"{SCHEDULE}.1.percent": None, f"{SCHEDULE}.1.amount": "48000.00"}

# (rule id, changes, ids expected to fail, fragments the messages must contain)
FAILING = [
    ("response_within_resolution", {f"{P}.0.response_hours": "5", f"{P}.0.resolution_hours": "4"},
     {"response_within_resolution"}, ["Priority P1", "response time (5 h)", "resolution time (4 h)"]),
    ("service_levels_have_targets", {f"{P}.1.resolution_hours": None},
     {"service_levels_have_targets"}, ["Priority P2 needs both"]),
    ("availability_realistic", {"services.availability_percent": "100"}, {"availability_realistic"}, ["100%"]),
    ("availability_realistic", {"services.availability_percent": "100.00"}, {"availability_realistic"}, ["100%"]),
    # A term that ends before it starts cannot hold the milestones or the renewal notice either.
    ("term_dates_in_order", {"timeline.end_date": "2026-12-31"},
     {"term_dates_in_order", "milestones_inside_term", "renewal_notice_shorter"}, ["must come after"]),
    ("milestones_inside_term", {f"{M}.0.due_date": "2026-12-31"},
     {"milestones_inside_term"}, ["“Onboarding”", "2026-12-31", "outside the term"]),
    ("milestones_inside_term", {f"{M}.1.due_date": "2029-01-01"},
     {"milestones_inside_term"}, ["“Monitoring live”", "2029-01-01"]),
    ("milestones_inside_term", {f"{M}.0.due_date": None}, {"milestones_inside_term"}, ["“Onboarding” has no due date"]),
    ("milestones_in_order", {f"{M}.0.due_date": "2027-04-30"},
     {"milestones_in_order"}, ["“Monitoring live” is due before “Onboarding”"]),
    ("acceptance_feedback_window", {"client.feedback_days": None}, {"acceptance_feedback_window"}, ["feedback window"]),
    ("acceptance_feedback_window", {f"{M}.0.acceptance_days": None},
     {"acceptance_feedback_window"}, ["“Onboarding”", "no acceptance period"]),
    ("renewal_notice_shorter", {"timeline.end_date": "2027-12-31", "timeline.renewal_notice_days": 365},
     {"renewal_notice_shorter"}, ["(365 days)", "term (365 days)"]),
    ("payment_schedule_adds_up", {f"{SCHEDULE}.1.percent": "40"}, {"payment_schedule_adds_up"}, ["90%", "not 100%"]),
    ("payment_schedule_adds_up", {**AMOUNTS, "costs.contract_value": None},
     {"payment_schedule_adds_up"}, ["no contract value"]),
    ("payment_schedule_adds_up", {**AMOUNTS, f"{SCHEDULE}.1.amount": "42000.00"},
     {"payment_schedule_adds_up"}, ["90000.00", "contract value 96000.00"]),
    ("payment_schedule_adds_up", {f"{SCHEDULE}.0.percent": None, f"{SCHEDULE}.0.amount": "48000.00"},
     {"payment_schedule_adds_up"}, ["mixes percentages and amounts"]),
    ("payment_schedule_adds_up", {f"{SCHEDULE}.1.milestone": "Go-live"},
     {"payment_schedule_adds_up"}, ["“Balance”", "“Go-live”", "not in the timeline"]),
    ("payment_schedule_adds_up", {f"{SCHEDULE}.1.trigger": "date"}, {"payment_schedule_adds_up"}, ["“Balance”", "has none"]),
    # A blank milestone must not "match" a timeline milestone that has no name either.
    ("payment_schedule_adds_up", {f"{SCHEDULE}.1.milestone": None, f"{M}.0.name": None},
     {"payment_schedule_adds_up"}, ["“Balance”", "not in the timeline"]),
    ("money_has_currency", {"costs.currency": None}, {"money_has_currency"}, ["without a currency"]),
    ("money_has_currency", {"costs.currency": "  "}, {"money_has_currency"}, ["without a currency"]),
    ("within_budget", {"costs.contract_value": "120000.00"},
     {"within_budget"}, ["(120000.00)", "budget ceiling (110000.00)"]),
    ("credits_for_every_level", {CREDITS: DEMO["sanctions"]["credits"][:3]},
     {"credits_for_every_level"}, ["Priority P4", "no credit"]),
    ("credits_for_every_level", {f"{CREDITS}.3.no_credit": False}, {"credits_for_every_level"}, ["Priority P4"]),
    ("credit_cap_within_limits", {"sanctions.credit_cap_percent": "120"},
     {"credit_cap_within_limits"}, ["(120%) is above 100% of the monthly fee", "liability cap (100%)"]),
    ("credit_cap_within_limits", {"sanctions.credit_cap_percent": "50", "sanctions.liability_cap_percent": "40"},
     {"credit_cap_within_limits"}, ["(50%) is above the liability cap (40%)"]),
    ("credit_cap_within_limits", {f"{CREDITS}.0.credit_percent": "20"},
     {"credit_cap_within_limits"}, ["credit for P1 (20%)", "credit cap (15%)"]),
    ("escalation_grows", {f"{LEVELS}.1.response_hours": "1"},
     {"escalation_grows"}, ["“Level 2”", "within 1 h", "(2 h)"]),
    ("contacts_for_every_stage", {"parties.client.contacts.billing.name": " "},
     {"contacts_for_every_stage"}, ["client has no billing contact"]),
    ("review_cadence_set", {"change.review_cadence": None}, {"review_cadence_set"}, ["review cadence"]),
    ("support_hours_as_data", {"services.support_hours": "Weekdays, office hours"}, {"support_hours_as_data"},
     ["not yet stated as days and times", "“Weekdays, office hours”"]),
    ("support_hours_as_data", {"services.time_zone": "Warsaw time"}, {"support_hours_as_data"},
     ["“Warsaw time” is not a time zone"]),
]

# (rule id probed, changes that keep the terms healthy)
PASSING = [
    ("response_within_resolution", {f"{P}.0.response_hours": "4", f"{P}.0.resolution_hours": "4"}),
    ("service_levels_have_targets", {P: []}),
    ("availability_realistic", {"services.availability_percent": "99.99"}),
    ("availability_realistic", {"services.availability_percent": None}),
    ("term_dates_in_order", {"timeline.end_date": "2027-12-31"}),
    ("milestones_inside_term", {f"{M}.1.due_date": "2028-12-31"}),
    ("milestones_inside_term", {f"{M}.0.due_date": "2027-01-01"}),
    ("milestones_in_order", {f"{M}.0.due_date": "2027-03-31"}),
    ("acceptance_feedback_window", {f"{M}.0.accepted_by": "provider", f"{M}.1.accepted_by": "provider",
                                    "client.feedback_days": None}),
    ("acceptance_feedback_window", {"client.feedback_days": 0}),
    ("renewal_notice_shorter", {"timeline.end_date": "2027-12-31", "timeline.renewal_notice_days": 364}),
    ("renewal_notice_shorter", {"timeline.renewal_notice_days": None}),
    ("payment_schedule_adds_up", AMOUNTS),
    ("payment_schedule_adds_up", {f"{SCHEDULE}.0.percent": "33.33", f"{SCHEDULE}.1.percent": "66.67"}),
    ("payment_schedule_adds_up", {SCHEDULE: []}),
    ("money_has_currency", {"costs.currency": None, "costs.contract_value": None, "costs.monthly_fee": None,
                            "background.budget_ceiling": None, "costs.rates": []}),
    ("within_budget", {"costs.contract_value": "110000.00"}),
    ("within_budget", {"background.budget_ceiling": None}),
    ("credits_for_every_level", {f"{CREDITS}.3.no_credit": True}),
    ("credits_for_every_level", {f"{CREDITS}.3.credit_percent": "0.5", f"{CREDITS}.3.no_credit": False}),
    ("credit_cap_within_limits", {f"{CREDITS}.0.credit_percent": "15"}),
    ("credit_cap_within_limits", {"sanctions.credit_cap_percent": "100", "sanctions.liability_cap_percent": "100"}),
    ("escalation_grows", {f"{LEVELS}.1.response_hours": "2"}),
    ("escalation_grows", {f"{LEVELS}.1.response_hours": None}),
    ("contacts_for_every_stage", {"parties.client.contacts.billing.email": None}),
    ("review_cadence_set", {"change.review_cadence": "annually"}),
    ("support_hours_as_data", {"services.support_hours": "24 hours a day, 7 days a week"}),
    ("support_hours_as_data", {"services.support_hours": None, "services.time_zone": None}),
]


@pytest.mark.parametrize("rule_id, changes, expected, fragments", FAILING,
                         ids=[f"{case[0]}-{i}" for i, case in enumerate(FAILING)])
def test_rule_fails_with_a_specific_message(rule_id, changes, expected, fragments):
    t = terms(changes)
    assert failing(t) == expected
    text = "\n".join(f.message for f in check_health(t) if f.rule.id == rule_id)
    for fragment in fragments:
        assert fragment in text


@pytest.mark.parametrize("rule_id, changes", PASSING, ids=[f"{case[0]}-{i}" for i, case in enumerate(PASSING)])
def test_rule_passes_the_boundary_or_empty_case(rule_id, changes):
    assert check_health(terms(changes)) == []


def test_every_rule_has_a_failing_and_a_passing_case():
    assert {case[0] for case in FAILING} == set(RULES_BY_ID) == {case[0] for case in PASSING}
    assert len(RULES) == len(RULES_BY_ID) == 17


def test_payment_schedule_of_50_and_40_percent_is_reported_as_90_percent():
    findings = check_health(terms({f"{SCHEDULE}.1.percent": "40"}))
    assert [f.message for f in findings] == ["The payment schedule adds up to 90%, not 100%."]
    assert findings[0].rule.step == "costs"


def test_client_billing_contact_left_blank_names_the_side_and_the_stage():
    message = messages(terms({"parties.client.contacts.billing.name": ""}))
    assert "client" in message and "billing" in message and "provider" not in message


def test_renewal_notice_counts_the_end_date_as_part_of_the_term():
    # 1 January to 31 December is a year of 365 days; a notice of 364 days is (just) shorter.
    year = {"timeline.end_date": "2027-12-31"}
    assert "renewal_notice_shorter" not in failing(terms({**year, "timeline.renewal_notice_days": 364}))
    assert "renewal_notice_shorter" in failing(terms({**year, "timeline.renewal_notice_days": 365}))
    assert "term (731 days)" in messages(terms({"timeline.renewal_notice_days": 800}))


def test_instalment_on_a_timeline_milestone_passes_and_on_an_unknown_one_fails():
    assert check_health(terms({f"{SCHEDULE}.1.milestone": "Onboarding"})) == []
    assert failing(terms({f"{SCHEDULE}.1.milestone": "monitoring live"})) == {"payment_schedule_adds_up"}


def test_rules_with_nothing_to_check_pass_but_the_steps_still_ask_for_it():
    t = terms({M: [], P: [], CREDITS: [], LEVELS: [], SCHEDULE: [], "costs.rates": []})
    assert check_health(t) == []
    status = step_status(t)
    assert status["services"] == ["At least one priority level"]
    assert status["costs"] == ["A payment schedule"]
    assert status["escalation"] == ["At least one escalation level"]
    assert status["timelines"] == status["sanctions"] == []


def test_rules_tolerate_garbage_values_without_crashing():
    t = terms({"services.availability_percent": "lots", "timeline.end_date": "someday",
               f"{P}.0.response_hours": True, f"{SCHEDULE}.0.percent": "half"})
    assert failing(t) == {"service_levels_have_targets", "payment_schedule_adds_up"}
    assert "50%, not 100%" in messages(t)


def test_demo_terms_are_healthy_and_complete_in_english_and_spanish():
    for language in ("en", "es"):
        t = demo_terms(language, "T")
        assert check_health(t) == []
        assert step_status(t) == {step.key: [] for step in STEPS}


def test_empty_terms_leave_every_step_missing_something_and_review_lists_the_others():
    status = step_status({})
    assert set(status) == {step.key for step in STEPS}
    assert all(status[step.key] for step in STEPS)
    assert status["review"] == [f"Complete the step “{step.title}”" for step in STEPS if step.key != "review"]


def test_removing_the_provider_registration_leaves_background_asking_for_it():
    status = step_status(terms({"parties.provider.registration": None}))
    assert status["background"] == ["Provider: registration number"]
    assert status["review"] == ["Complete the step “Background”"]
    assert all(missing == [] for key, missing in status.items() if key not in ("background", "review"))


def test_check_health_does_not_modify_the_terms():
    t = terms({f"{SCHEDULE}.1.percent": "40"})
    before = copy.deepcopy(t)
    check_health(t)
    step_status(t)
    assert t == before
