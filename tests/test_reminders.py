"""`flask --app app remind`: what falls due reaches the people who act on it, exactly once."""
from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from authoring.demo import DEMO_TITLE_EXECUTED, create_demo
from authoring.extensions import db
from authoring.models import Agreement, AuditEvent, OutboxMessage
from authoring.reviews.services import executed_terms


@pytest.fixture
def demo(app):
    """The demo's executed agreement (reviewed once, amended once) and its dates, read from the data."""
    with app.app_context():
        assert create_demo()
        agreement = db.session.scalar(select(Agreement).where(Agreement.title == DEMO_TITLE_EXECUTED))
        terms = executed_terms(agreement)
        milestones = {m["name"]: date.fromisoformat(m["due_date"]) for m in terms["timeline"]["milestones"]}
        return SimpleNamespace(id=agreement.id, milestones=milestones, review=agreement.next_review_on,
                               renewal=agreement.renewal_opens_on, end=agreement.ends_on)


def run(runner, day: str) -> int:
    result = runner.invoke(args=["remind", "--today", day])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("queued ") and last.endswith(("reminder", "reminders"))
    return int(last.split()[1])


def reminders(app, agreement_id) -> list[tuple[str, str]]:
    """(recipient, subject) of every reminder queued for the agreement, in order."""
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.agreement_id == agreement_id,
                                                              OutboxMessage.event == "reminder").order_by(OutboxMessage.id))
        return [(row.to_address, row.subject) for row in rows]


# The demo has two executed agreements on the same dates (in English and in Hebrew), with the same owners.
EXECUTED = 2


def test_each_reminder_reaches_owners_and_editors_once(app, runner, demo):
    onboarding, live = demo.milestones["Onboarding"], demo.milestones["Monitoring live"]
    day = onboarding - timedelta(days=5)
    assert run(runner, day.isoformat()) == 2 * EXECUTED  # Onboarding due within 7 days
    assert run(runner, day.isoformat()) == 0  # the same day again: nothing twice
    assert run(runner, (day + timedelta(days=1)).isoformat()) == 0  # nor the next day
    sent = reminders(app, demo.id)
    assert sorted(to for to, _ in sent) == ["client@example.com", "provider@example.com"]  # not legal, not signatories
    assert all(subject == f"Milestone “Onboarding” due on {onboarding.isoformat()}" for _, subject in sent)

    assert run(runner, (onboarding + timedelta(days=1)).isoformat()) == 2 * EXECUTED  # Onboarding overdue
    assert run(runner, (live - timedelta(days=3)).isoformat()) == 2 * EXECUTED  # Monitoring live due within 7 days
    assert run(runner, (live + timedelta(days=1)).isoformat()) == 2 * EXECUTED  # ...then overdue
    assert run(runner, (demo.review - timedelta(days=10)).isoformat()) == 2 * EXECUTED  # the next review within 14 days
    # Renewal readiness: 30 days before the notice deadline (90 days before the end), to the owners only.
    readiness = demo.end - timedelta(days=90 + 30)
    # The day before, only this: the English agreement's open dispute of last month's service report has
    # climbed to the second escalation level since - both sides' owners hear of it, once.
    assert run(runner, (readiness - timedelta(days=1)).isoformat()) == 2
    assert run(runner, readiness.isoformat()) == 2 * EXECUTED
    assert run(runner, (demo.renewal + timedelta(days=1)).isoformat()) == 2 * EXECUTED  # the renewal window is open
    subjects = {subject for _, subject in reminders(app, demo.id)}
    assert f"Dispute 1 of “{DEMO_TITLE_EXECUTED}” escalated to Level 2" in subjects
    assert "Milestone “Onboarding” is overdue" in subjects
    assert f"Review of “{DEMO_TITLE_EXECUTED}” due on {demo.review.isoformat()}" in subjects
    assert f"Renewal window open for “{DEMO_TITLE_EXECUTED}”" in subjects
    assert f"Renewal readiness for “{DEMO_TITLE_EXECUTED}”" in subjects
    assert run(runner, (demo.renewal + timedelta(days=5)).isoformat()) == 0


def test_an_agreement_past_its_end_without_renewal_expires(app, runner, demo):
    after = demo.end + timedelta(days=1)
    assert run(runner, after.isoformat()) == 0
    with app.app_context():
        assert db.session.get(Agreement, demo.id).status == "expired"
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "agreement.expired")).details == {
            "ended_on": demo.end.isoformat()}
    assert run(runner, (after + timedelta(days=1)).isoformat()) == 0  # nothing is sent about an expired agreement


def test_a_bad_day_is_refused(runner, app):
    result = runner.invoke(args=["remind", "--today", "2027-02-30"])
    assert result.exit_code != 0 and "does not match the format" in result.output
