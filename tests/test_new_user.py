"""What a new user tripped over (issue 12, part 6), each through HTTP as they met it.

A fresh draft is a draft, not "agreed"; the Activity page and proposals speak in
sentences with clause numbers and titles; every proposal can carry its reason; an
amendment's Sign page gives the amendment's execution time; nothing typed into a
negotiation form is thrown away; the client cannot cut revisions of the provider's
unshared draft; a conflict page marks what differs.
"""
from __future__ import annotations

import re
from datetime import date

from conftest import csrf_token, post_form
from sqlalchemy import select
from test_interview import post_step
from test_negotiation import KEY, act, deal, draft, proposal, propose_text  # noqa: F401 (deal is a fixture)

from authoring.extensions import db
from authoring.models import Agreement, Revision

BADGE_RE = re.compile(r'class="badge badge-state-(\w+)"')


def test_a_new_unshared_draft_says_draft_not_agreed(client, make_user, make_agreement, login):
    owner = make_user("owner@example.com")
    agreement_id = make_agreement(owner)
    login(client, "owner@example.com")
    page = client.get(f"/agreements/{agreement_id}").get_data(as_text=True)
    states = BADGE_RE.findall(page)
    assert states and set(states) == {"draft"}
    assert re.search(r"\d+ agreed", page) is None
    assert f"{len(states)} in the draft, not yet shared with Client S.A." in page
    overview = client.get(f"/agreements/{agreement_id}/negotiation").get_data(as_text=True)
    assert "</strong> agreed" not in overview and "in the draft, not yet shared" in overview


def test_once_shared_an_untouched_clause_is_agreed(deal):
    page = deal.as_("owner").get(f"/agreements/{deal.id}").get_data(as_text=True)
    assert set(BADGE_RE.findall(page)) == {"agreed"}
    assert "not yet shared" not in page
