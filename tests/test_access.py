"""Access rules, checked for every agreement route the app has (new routes are covered automatically).

A stranger gets 404 for every agreement URL and method; a viewer gets 403 for every write.
"""
from __future__ import annotations

import re

import pytest
from conftest import csrf_token

from authoring.access import PERMISSIONS, can, membership_of
from authoring.extensions import db
from authoring.models import Agreement, User
from authoring.negotiation.services import share
from authoring.models import ROLES

SAMPLE_VALUES = {"agreement_id": None, "membership_id": 1, "invitation_id": 1, "number": 1, "key": "general.confidentiality",
                 "step_key": "background", "rule_id": "review_cadence_set", "thread_id": 1, "action": "resolve",
                 "older": 1, "newer": 2, "version": 0}


def share_agreement(app, agreement_id, owner):
    with app.test_request_context(method="POST"):
        user = db.session.get(User, owner.id)
        share(db.session.get(Agreement, agreement_id), user, membership_of(user.id, agreement_id), "shared")


def agreement_routes(app):
    """(rule, method, view) for every URL that names an agreement."""
    for rule in app.url_map.iter_rules():
        if "agreement_id" not in rule.arguments:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, app.view_functions[rule.endpoint]


def url_for_rule(rule, agreement_id):
    path = rule.rule
    for name, value in {**SAMPLE_VALUES, "agreement_id": agreement_id}.items():
        path = re.sub(rf"<(?:[^:>]+:)?{name}>", str(value), path)
    assert "<" not in path, f"add a sample value for {path}"
    return path


def test_every_agreement_route_declares_its_permission(app):
    routes = list(agreement_routes(app))
    assert len(routes) >= 10
    for rule, method, view in routes:
        action = getattr(view, "required_action", None)
        assert action in PERMISSIONS, f"{method} {rule} is not wrapped by access.agreement_route"
        if method != "GET":
            assert action != "view", f"{method} {rule} writes but only needs 'view'"


def test_stranger_gets_404_everywhere(app, make_user, login, make_agreement):
    owner = make_user("owner@example.com")
    make_user("stranger@example.com")
    agreement = make_agreement(owner)
    stranger = login(app.test_client(), "stranger@example.com")
    token = csrf_token(stranger, "/agreements/new")
    for rule, method, _view in agreement_routes(app):
        response = stranger.open(url_for_rule(rule, agreement), method=method, data={"csrf_token": token})
        assert response.status_code == 404, f"{method} {rule}"
        assert b"owner@example.com" not in response.data


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_403_exactly_where_its_role_is_not_enough(app, make_user, login, make_agreement, add_member, role):
    owner = make_user("owner@example.com")
    member = make_user("member@example.com")
    agreement = make_agreement(owner)
    add_member(agreement, member, "client", role)
    share_agreement(app, agreement, owner)  # the whole negotiation surface is open to the client
    client = login(app.test_client(), "member@example.com")
    token = csrf_token(client, "/agreements/new")
    for rule, method, view in agreement_routes(app):
        response = client.open(url_for_rule(rule, agreement), method=method, data={"csrf_token": token})
        allowed = can(_Role(role), view.required_action)
        if allowed:
            assert response.status_code != 403, f"{role} refused {method} {rule}"
        else:
            assert response.status_code == 403, f"{role} allowed {method} {rule}: {response.status_code}"


def test_viewer_is_refused_every_write(app, make_user, login, make_agreement, add_member):
    owner, viewer = make_user("owner@example.com"), make_user("viewer@example.com")
    agreement = make_agreement(owner)
    add_member(agreement, viewer, "client", "viewer")
    client = login(app.test_client(), "viewer@example.com")
    token = csrf_token(client, "/agreements/new")
    writes = [(r, m) for r, m, _ in agreement_routes(app) if m != "GET"]
    assert writes
    for rule, method in writes:
        assert client.open(url_for_rule(rule, agreement), method=method, data={"csrf_token": token}).status_code == 403
    assert client.get(f"/agreements/{agreement}").status_code == 200


class _Role:
    def __init__(self, role):
        self.role = role
