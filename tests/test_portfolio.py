"""The portfolio page and renewal readiness: figures from the imported incidents, each side's own
agreements only, the checklist 30 days before the notice deadline, and `flask remind` telling the owners once."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from authoring.demo import DEMO_PASSWORD, DEMO_TITLE_EXECUTED, create_demo
from authoring.extensions import db
from authoring.models import Agreement, OutboxMessage, User, utcnow
from authoring.operations.portfolio import portfolio

END = date(2026, 12, 31)
# The demo terms give 90 days' notice: the deadline is 2 October, the checklist shows 30 days before it.
OPENS = END - timedelta(days=90) - timedelta(days=30)


@pytest.fixture
def demo(app):
    with app.app_context():
        assert create_demo()
        return db.session.scalar(select(Agreement.id).where(Agreement.title == DEMO_TITLE_EXECUTED))


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def test_figures_are_those_of_the_demo_incidents(app, demo, login):
    with app.app_context():
        figures = portfolio(_user("provider@example.com").id, utcnow())
        mine = next(a for a in figures.agreements if a.agreement_id == demo)
        before, last = mine.months[-2], mine.months[-1]
        # The month before last: 3 P1, 4 P2, 2 P3 and 1 P4, all met (the excluded P2 does not count).
        assert (before.incidents, before.met, before.credit_amount) == (10, 10, Decimal("0.00"))
        # Last month: 4 P1 (one resolved late), 5 P2 (one answered late), 3 P3, and a P4 never resolved: 10 of 13;
        # P1 and P2 below their thresholds: 5 % + 3 % of the 4,000.00 EUR monthly fee.
        assert (last.incidents, last.met, last.credit_amount, last.currency) == (13, 10, Decimal("320.00"), "EUR")
        assert last.share_met == Decimal(10) / Decimal(13)
        # The client disputes one line of last month's report (still open); none of the month before.
        assert (last.disputes, last.disputes_open, last.dispute_rate) == (1, 1, Decimal(1) / Decimal(13))
        assert (before.disputes, before.disputes_open) == (0, 0)
        # Overall, across the Hebrew agreement too (no incidents there).
        assert (figures.totals[-1].incidents, figures.totals[-1].met) == (13, 10)
        assert mine.months[0].in_term and mine.months[0].incidents == 0

    html = login(app.test_client(), "provider@example.com", DEMO_PASSWORD).get("/portfolio").get_data(as_text=True)
    section = html[html.index(f'data-testid="agreement-{demo}"'):]
    assert "76.9%" in section and "€320.00" in section
    assert "Disputes (open)" in section and "1 (1)" in section and "7.7%" in section
    assert 'role="img"' in html and "<title" in html and "<desc" in html
    assert "SLA hit rate per month across your agreements" in html


def test_the_portfolio_costs_the_same_statements_however_many_agreements(app, demo, executed, add_member):
    def statements_for(email: str) -> int:
        with app.app_context():
            user_id = _user(email).id
            counted = []

            def count(*_args):
                counted.append(1)

            event.listen(db.engine, "before_cursor_execute", count)
            try:
                portfolio(user_id, utcnow())
            finally:
                event.remove(db.engine, "before_cursor_execute", count)
            return len(counted)

    before = statements_for("provider@example.com")
    with app.app_context():
        provider = _user("provider@example.com")
    for start in (date(2025, 1, 1), date(2025, 6, 1)):
        add_member(executed(start, "monthly"), provider, "provider", "viewer")
    assert statements_for("provider@example.com") == before <= 8


def test_each_side_sees_only_its_own_agreements(app, demo, executed, login):
    other = executed(date(2025, 1, 1), "quarterly", end=END)
    provider = login(app.test_client(), "provider@example.com", DEMO_PASSWORD).get("/portfolio").get_data(as_text=True)
    assert DEMO_TITLE_EXECUTED in provider and f'data-testid="agreement-{other}"' not in provider
    stranger = executed.as_("stranger").get("/portfolio")
    assert stranger.status_code == 200
    text = stranger.get_data(as_text=True)
    assert f'data-testid="agreement-{other}"' not in text and DEMO_TITLE_EXECUTED not in text
    owner = executed.as_("owner").get("/portfolio").get_data(as_text=True)
    assert f'data-testid="agreement-{other}"' in owner and DEMO_TITLE_EXECUTED not in owner
    assert app.test_client().get("/portfolio").status_code == 302  # not logged in


def _at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=timezone.utc)


def test_renewal_readiness_appears_30_days_before_the_notice_deadline_and_not_before(app, executed):
    agreement = executed(date(2025, 1, 1), "monthly", end=END)
    with app.app_context():
        owner = _user("owner@example.com")
        assert portfolio(owner.id, _at(OPENS - timedelta(days=1))).readiness == ()
        (found,) = portfolio(owner.id, _at(OPENS)).readiness
        assert found.agreement_id == agreement and found.notice_deadline == date(2026, 10, 2)
        # Monthly reviews from 1 February 2025 to 1 September 2026, none held; 20 months ended, none with data.
        assert len(found.reviews_due) == 20 and found.reviews_missing == found.reviews_due
        assert found.months_expected == 20 and found.months_missing[0] == date(2025, 1, 1) and not found.ready
        assert found.disputes_open == () and found.disputes_closed


def test_remind_sends_the_checklist_to_the_owners_once_in_their_language(app, executed, runner):
    agreement = executed(date(2025, 1, 1), "monthly", end=END)
    with app.app_context():
        db.session.get(User, _user("owner@example.com").id).language = "es"
        db.session.commit()
    for _run in range(2):
        result = runner.invoke(args=["remind", "--today", OPENS.isoformat()])
        assert result.exit_code == 0, result.output
    with app.app_context():
        messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.agreement_id == agreement,
                                                                  OutboxMessage.event == "reminder")).all()
        readiness = [m for m in messages if "[ ]" in m.body]
        assert [m.to_address for m in readiness] == ["owner@example.com"]  # owners only, once
        assert "Przegląd usług" in readiness[0].subject and "Renewal readiness" not in readiness[0].subject
        assert "20" in readiness[0].body
    assert runner.invoke(args=["remind", "--today", (OPENS - timedelta(days=1)).isoformat()]).exit_code == 0


def test_the_page_in_hebrew_reads_right_to_left(app, demo, login):
    with app.app_context():
        _user("provider@example.com").language = "he"
        db.session.commit()
    response = login(app.test_client(), "provider@example.com", DEMO_PASSWORD).get("/portfolio")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'dir="rtl"' in html and 'lang="he"' in html
    assert "SLA hit rate per month across your agreements" not in html and "תיק הסכמים" in html  # translated
    assert 'direction="ltr"' in html  # time runs left to right in the charts too
