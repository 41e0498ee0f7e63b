"""`flask --app app remind`: what falls due reaches the people who act on it, exactly once."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from authoring.demo import DEMO_TITLE_EXECUTED, create_demo
from authoring.extensions import db
from authoring.models import Agreement, AuditEvent, OutboxMessage


@pytest.fixture
def demo(app):
    """The demo's executed agreement: effective 2027-01-01, quarterly reviews, ends 2028-12-31,
    milestones Onboarding (2027-02-15) and Monitoring live (2027-03-31)."""
    with app.app_context():
        assert create_demo()
        return db.session.scalar(select(Agreement.id).where(Agreement.title == DEMO_TITLE_EXECUTED))


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


def test_each_reminder_reaches_owners_and_editors_once(app, runner, demo):
    assert run(runner, "2027-02-10") == 2  # Onboarding due within 7 days
    assert run(runner, "2027-02-10") == 0  # the same day again: nothing twice
    assert run(runner, "2027-02-11") == 0  # nor the next day
    sent = reminders(app, demo)
    assert sorted(to for to, _ in sent) == ["client@example.com", "provider@example.com"]  # not legal, not signatories
    assert all(subject == "Milestone “Onboarding” due on 2027-02-15" for _, subject in sent)

    assert run(runner, "2027-03-20") == 4  # Onboarding overdue; the review due on 2027-04-01 within 14 days
    subjects = {subject for _, subject in reminders(app, demo)}
    assert "Milestone “Onboarding” is overdue" in subjects
    assert f"Review of “{DEMO_TITLE_EXECUTED}” due on 2027-04-01" in subjects
    assert run(runner, "2027-03-25") == 2  # Monitoring live due on 2027-03-31
    assert run(runner, "2028-12-02") == 4  # the renewal window opened on 2028-12-01; Monitoring live overdue
    assert f"Renewal window open for “{DEMO_TITLE_EXECUTED}”" in {subject for _, subject in reminders(app, demo)}
    assert run(runner, "2028-12-20") == 0


def test_an_agreement_past_its_end_without_renewal_expires(app, runner, demo):
    assert run(runner, "2029-01-01") == 0
    with app.app_context():
        assert db.session.get(Agreement, demo).status == "expired"
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "agreement.expired")).details == {
            "ended_on": "2028-12-31"}
    assert run(runner, "2029-01-02") == 0  # nothing is sent about an expired agreement


def test_a_bad_day_is_refused(runner, app):
    result = runner.invoke(args=["remind", "--today", "2027-02-30"])
    assert result.exit_code != 0 and "does not match the format" in result.output
