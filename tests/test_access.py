"""Access rules, checked for every agreement route the app has (new routes are covered automatically).

A stranger gets 404 for every agreement URL and method; a viewer gets 403 for every write;
and no member of either side, whatever their role, acts on the other side's members,
invitations, proposals or signatures.
"""
from __future__ import annotations

import re

import pytest
from conftest import csrf_token

from sqlalchemy import select

from authoring.access import PEOPLE, PERMISSIONS, can, membership_of
from authoring.agreements.services import create_invitation
from authoring.extensions import db
from authoring.models import Agreement, Invitation, Membership, Proposal, Signature, User, WebhookEndpoint
from authoring.negotiation.services import propose, share
from authoring.revisions.services import draft_of
from authoring.models import ROLES, SIDES

SAMPLE_VALUES = {"agreement_id": None, "membership_id": 1, "invitation_id": 1, "number": 1, "key": "general.confidentiality",
                 "step_key": "background", "rule_id": "review_cadence_set", "thread_id": 1, "action": "resolve",
                 "older": 1, "newer": 2, "version": 0, "upload_id": 1, "endpoint_id": 1, "path": "costs.payment_due_days"}


def share_agreement(app, agreement_id, owner):
    with app.test_request_context(method="POST"):
        user = db.session.get(User, owner.id)
        share(db.session.get(Agreement, agreement_id), user, membership_of(user.id, agreement_id), "shared")


def agreement_routes(app, api: bool = False):
    """(rule, method, view) for every page URL that names an agreement (with `api`: every
    API URL instead, which answers to tokens, not to cookies - see tests/test_api_access.py)."""
    for rule in app.url_map.iter_rules():
        if "agreement_id" not in rule.arguments or rule.rule.startswith("/api/") != api:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, app.view_functions[rule.endpoint]


def url_for_rule(rule, agreement_id, **values):
    path = rule.rule
    for name, value in {**SAMPLE_VALUES, **values, "agreement_id": agreement_id}.items():
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
    with app.app_context():
        own = membership_of(member.id, agreement).id  # a member of its own side: the side rules allow that
    client = login(app.test_client(), "member@example.com")
    token = csrf_token(client, "/agreements/new")
    for rule, method, view in agreement_routes(app):
        response = client.open(url_for_rule(rule, agreement, membership_id=own), method=method,
                               data={"csrf_token": token})
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


OTHER = {"provider": "client", "client": "provider"}
PEOPLE_ENDPOINTS = {"agreements.invite", "agreements.revoke", "agreements.set_role", "agreements.remove"}


def test_every_route_acting_on_people_is_governed_by_the_side_rules(app):
    """A new route that invites, re-roles or removes people must be added to PEOPLE_ENDPOINTS
    (and call the side rules): the matrix below checks those endpoints against the other side."""
    people_routes = {rule.endpoint for rule, method, _ in agreement_routes(app)
                     if method == "POST" and any(word in rule.rule for word in ("/members/", "/invitations"))}
    assert people_routes == PEOPLE_ENDPOINTS
    for rule in ("invite", "revoke", "change_role", "remove"):
        assert all(actor_side == target_side for _role, actor_side, target_side in PEOPLE[rule])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("side", SIDES)
def test_no_side_acts_on_the_other_sides_people_proposals_or_signatures(app, make_user, login, make_agreement,
                                                                        add_member, side, role):
    """Every route, as a member of each side in each role, aimed at the other side's member,
    pending invitation, proposal and webhook endpoint, with forms that name the other side:
    nothing of the other side changes, people routes answer 403, nothing answers 5xx, and any
    signature given is for the signer's own side."""
    other = OTHER[side]
    owners = {"provider": make_user("powner@example.com", name="Pat Provider"),
              "client": make_user("cowner@example.com", name="Cat Client")}
    target = make_user("target@example.com", name="Tess Target")
    actor = make_user("actor@example.com", name="Alex Actor")
    agreement_id = make_agreement(owners["provider"])
    add_member(agreement_id, owners["client"], "client", "owner")
    add_member(agreement_id, target, other, "signatory")
    add_member(agreement_id, actor, side, role)
    share_agreement(app, agreement_id, owners["provider"])
    with app.test_request_context(method="POST"):
        agreement = db.session.get(Agreement, agreement_id)
        other_owner = db.session.get(User, owners[other].id)
        invitation, _token = create_invitation(agreement, other_owner, side=other, role="editor", email=None)
        _draft, document = draft_of(agreement)
        key = SAMPLE_VALUES["key"]
        proposal, _ = propose(agreement, other_owner, membership_of(other_owner.id, agreement_id), "clause_text", key,
                              document.clause(key).text + " Amended by the other side.", document.clause(key).text)
        endpoint = WebhookEndpoint(agreement_id=agreement_id, side=other, url="https://hooks.example.com/accord",
                                   secret_encrypted="sealed", events=["comment.added"], active=True)
        db.session.add(endpoint)
        db.session.commit()
        targets = {"membership_id": membership_of(target.id, agreement_id).id, "invitation_id": invitation.id,
                   "number": proposal.number, "endpoint_id": endpoint.id}
        before = sorted((m.user_id, m.side, m.role) for m in agreement.memberships if m.side == other)

    client = login(app.test_client(), "actor@example.com")
    token = csrf_token(client, "/agreements/new")
    data = {"csrf_token": token, "side": other, "role": "signatory", "email": "", "full_name": "Tess Target",
            "job_title": "Director", "password": "correct horse battery", "consent": "y", "reason": "because",
            "message": "a message"}
    for rule, method, view in agreement_routes(app):
        response = client.open(url_for_rule(rule, agreement_id, **targets), method=method, data=data)
        assert response.status_code < 500, f"{side} {role}: {method} {rule} gave {response.status_code}"
        if method == "POST" and view.__name__ in {e.split(".")[1] for e in PEOPLE_ENDPOINTS}:
            assert response.status_code == 403, f"{side} {role} acted on the {other} side: {method} {rule}"

    with app.app_context():
        agreement = db.session.get(Agreement, agreement_id)
        assert sorted((m.user_id, m.side, m.role) for m in agreement.memberships if m.side == other) == before
        assert db.session.get(Invitation, targets["invitation_id"]).revoked_at is None
        invited = db.session.scalars(select(Invitation).where(Invitation.agreement_id == agreement_id)).all()
        assert [i.id for i in invited if i.side == other] == [targets["invitation_id"]]
        assert db.session.scalar(select(Proposal.status).where(Proposal.number == targets["number"])) != "withdrawn"
        endpoint = db.session.get(WebhookEndpoint, targets["endpoint_id"])
        assert (endpoint.active, endpoint.secret_encrypted, endpoint.side) == (True, "sealed", other)
        assert [e.id for e in db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.side == other))] == [
            endpoint.id]
        sides = {m.user_id: m.side for m in db.session.scalars(select(Membership).where(
            Membership.agreement_id == agreement_id))}
        for signature in db.session.scalars(select(Signature).where(Signature.agreement_id == agreement_id)):
            assert signature.side == sides[signature.user_id]


class _Role:
    def __init__(self, role):
        self.role = role
