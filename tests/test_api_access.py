"""The pages' access rules, through the API, for every API route that names an agreement
(new routes are covered automatically): a stranger gets 404, a role too weak 403, and a
token limited to other agreements 404 - before the body is even read."""
from __future__ import annotations

import pytest
from api_helpers import api_as, is_problem, share_as
from test_access import SAMPLE_VALUES, _Role, agreement_routes, url_for_rule

from authoring.access import PERMISSIONS, can
from authoring.models import ROLES


def test_every_api_route_declares_its_permission(app):
    routes = list(agreement_routes(app, api=True))
    assert len(routes) >= 12
    for rule, method, view in routes:
        action = getattr(view, "required_action", None)
        assert action in PERMISSIONS, f"{method} {rule} is not wrapped by api.blueprint.agreement_access"
        if method != "GET":
            assert action != "view", f"{method} {rule} writes but only needs 'view'"


def test_a_stranger_gets_404_from_every_api_route(app, runner, make_user, make_agreement):
    owner, stranger = make_user("owner@example.com"), make_user("stranger@example.com")
    agreement = make_agreement(owner)
    api = api_as(app, runner, stranger)
    for rule, method, _view in agreement_routes(app, api=True):
        # a body that would fail validation: the stranger must not learn that the agreement exists
        response = api.open(url_for_rule(rule, agreement), method, json={"unexpected": True})
        body = is_problem(response, 404)
        assert "owner@example.com" not in response.get_data(as_text=True), f"{method} {rule}"
        assert body["instance"] == url_for_rule(rule, agreement)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_403_exactly_where_its_role_is_not_enough(app, runner, make_user, make_agreement, add_member,
                                                                 role):
    owner, member = make_user("owner@example.com"), make_user("member@example.com")
    agreement = make_agreement(owner)
    add_member(agreement, member, "client", role)
    share_as(app, agreement, owner)
    api = api_as(app, runner, member)
    for rule, method, view in agreement_routes(app, api=True):
        response = api.open(url_for_rule(rule, agreement), method, json={})
        if can(_Role(role), view.required_action):
            assert response.status_code != 403 or "not-allowed" in response.get_json()["type"], \
                f"{role} refused {method} {rule}: {response.get_data(as_text=True)}"
            assert response.status_code < 500, f"{role}: {method} {rule}"
        else:
            is_problem(response, 403)


def test_a_token_limited_to_one_agreement_is_a_stranger_to_the_others(app, runner, make_user, make_agreement):
    owner = make_user("owner@example.com")
    mine, other = make_agreement(owner, title="Mine"), make_agreement(owner, title="Other")
    api = api_as(app, runner, owner, True, "--agreement", str(mine))
    assert api.get(f"/api/v1/agreements/{mine}").status_code == 200  # its own agreement it reaches
    refused = [is_problem(api.open(url_for_rule(rule, other), method, json={}), 404)["status"]
               for rule, method, _view in agreement_routes(app, api=True)]
    assert len(refused) > 20 and set(refused) == {404}


def test_sample_values_cover_every_api_route(app):
    for rule, _method, _view in agreement_routes(app, api=True):
        url_for_rule(rule, 1)  # asserts that every <argument> has a sample value
    assert "path" in SAMPLE_VALUES
