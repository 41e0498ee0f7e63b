"""The private calendar feed: a revocable address per person listing what their executed
agreements have falling due, read back with an iCalendar library."""
from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import icalendar
import pytest
from conftest import csrf_token
from sqlalchemy import select

from authoring.demo import DEMO_PASSWORD, DEMO_TITLE, DEMO_TITLE_ES, DEMO_TITLE_EXECUTED, DEMO_TITLES, create_demo
from authoring.extensions import db
from authoring.models import Agreement
from authoring.reviews.services import executed_terms

FEED_RE = re.compile(r'data-testid="feed-url">([^<]+)<')


@pytest.fixture
def demo(app):
    with app.app_context():
        assert create_demo()
        return db.session.scalar(select(Agreement.id).where(Agreement.title == DEMO_TITLE_EXECUTED))


def feed_path(client, action="create") -> str | None:
    page = client.post("/account/calendar", data={"csrf_token": csrf_token(client, "/account/calendar"),
                                                  "action": action}).get_data(as_text=True)
    found = FEED_RE.search(page)
    return urlsplit(found.group(1)).path if found else None


def test_the_feed_lists_milestones_reviews_renewal_and_end_of_executed_agreements(app, demo, login):
    client = login(app.test_client(), "client@example.com", DEMO_PASSWORD)
    path = feed_path(client)
    anonymous = app.test_client()  # calendar programs do not log in: the address is the credential
    response = anonymous.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.get_data())
    events = {(str(e["SUMMARY"]), e["DTSTART"].dt) for e in calendar.walk("VEVENT")}
    with app.app_context():
        agreement = db.session.get(Agreement, demo)
        terms = executed_terms(agreement)
        start, end, renewal = agreement.effective_on, agreement.ends_on, agreement.renewal_opens_on
    onboarding = date.fromisoformat(next(m["due_date"] for m in terms["timeline"]["milestones"] if m["name"] == "Onboarding"))
    assert ("Milestone: Onboarding", onboarding) in events
    quarters = [date(start.year + (start.month - 1 + 3 * k) // 12, (start.month - 1 + 3 * k) % 12 + 1, 1) for k in range(1, 8)]
    assert start.day == 1 and all((f"Review: {DEMO_TITLE_EXECUTED}", day) in events for day in quarters)
    assert (f"Renewal window opens: {DEMO_TITLE_EXECUTED}", renewal) in events
    assert (f"Agreement ends: {DEMO_TITLE_EXECUTED}", end) in events
    # Only agreements in force: the demo's negotiating and draft agreements add nothing.
    not_in_force = (DEMO_TITLE, DEMO_TITLE_ES, *(title for language, title in DEMO_TITLES.items() if language != "he"))
    assert not any(title in summary for summary, _ in events for title in not_in_force)
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    assert anonymous.get(path).get_data() == response.get_data()  # nothing changed, nothing new for the client


def test_replacing_or_switching_off_the_address_ends_the_old_one(app, demo, login):
    client = login(app.test_client(), "provider@example.com", DEMO_PASSWORD)
    first = feed_path(client)
    assert app.test_client().get(first).status_code == 200
    second = feed_path(client)
    assert second != first
    assert app.test_client().get(first).status_code == 404
    assert app.test_client().get(second).status_code == 200
    assert feed_path(client, "revoke") is None
    assert app.test_client().get(second).status_code == 404
    assert app.test_client().get("/calendar/not-a-token.ics").status_code == 404


def test_a_person_sees_only_their_own_agreements(app, demo, login, make_user):
    make_user("outsider@example.com")
    outsider = login(app.test_client(), "outsider@example.com")
    calendar = icalendar.Calendar.from_ical(app.test_client().get(feed_path(outsider)).get_data())
    assert list(calendar.walk("VEVENT")) == []


def test_switching_the_feed_off_is_confirmed(app, demo, login):
    client = login(app.test_client(), "provider@example.com", DEMO_PASSWORD)
    assert feed_path(client) is not None
    page = client.post("/account/calendar", data={"csrf_token": csrf_token(client, "/account/calendar"),
                                                  "action": "revoke"}, follow_redirects=True).get_data(as_text=True)
    assert "Your calendar feed is off" in page


def test_the_feed_address_and_its_links_use_public_url(app, demo, login):
    app.config["PUBLIC_URL"] = "https://accord.example"
    client = login(app.test_client(), "client@example.com", DEMO_PASSWORD)
    page = client.post("/account/calendar", data={"csrf_token": csrf_token(client, "/account/calendar"),
                                                  "action": "create"}).get_data(as_text=True)
    address = FEED_RE.search(page).group(1)
    assert address.startswith("https://accord.example/calendar/")
    calendar = icalendar.Calendar.from_ical(app.test_client().get(urlsplit(address).path).get_data())
    links = {str(event["URL"]) for event in calendar.walk("VEVENT")}
    assert any(link.startswith(f"https://accord.example/agreements/{demo}") for link in links)
    assert all(link.startswith("https://accord.example/agreements/") for link in links)
