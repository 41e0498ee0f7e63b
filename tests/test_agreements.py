"""Agreement workspaces: create, dashboard, overview, members, activity."""
from __future__ import annotations

from conftest import post_form
from sqlalchemy import func, select

from authoring.extensions import db
from authoring.models import AuditEvent, Draft, Membership

NEW = {"title": "Soporte gestionado 2027", "language": "es", "provider_name": "Proveedor S.L.", "client_name": "Cliente S.A."}


def test_create_agreement_makes_creator_provider_owner(app, client, make_user, login):
    owner = make_user("owner@example.com", name="Olga Owner")
    login(client, "owner@example.com")
    response = post_form(client, "/agreements/new", NEW)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Soporte gestionado 2027" in page
    assert "Alcance de los servicios" in page  # the first draft is assembled in the agreement's language
    assert "Proveedor S.L." in page and "Cliente S.A." in page
    with app.app_context():
        membership = db.session.scalar(select(Membership))
        assert (membership.user_id, membership.side, membership.role) == (owner.id, "provider", "owner")
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 1
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.agreement_id == membership.agreement_id)) == "agreement.created"


def test_new_agreement_validation_keeps_what_was_typed(client, make_user, login):
    make_user("o2@example.com")
    login(client, "o2@example.com")
    cases = [({"title": ""}, "Give the agreement a title."),
             ({"title": "t" * 201}, "Field cannot be longer than 200 characters."),
             ({"language": "xx"}, "Not a valid choice."),
             ({"client_name": "   "}, "Name the client organisation.")]
    for change, message in cases:
        response = post_form(client, "/agreements/new", {**NEW, **change})
        page = response.get_data(as_text=True)
        assert response.status_code == 422, change
        assert message in page
        assert 'value="Proveedor S.L."' in page
    assert "You are not part of any agreement yet." in client.get("/agreements").get_data(as_text=True)


def test_dashboard_lists_only_my_agreements_with_status_and_side(client, make_user, login, make_agreement, add_member):
    me, other = make_user("me@example.com"), make_user("other@example.com")
    mine = make_agreement(me, title="Mine — עסקה", client_name="Client One")
    joined = make_agreement(other, title="Joined as client", provider_name="Provider Two")
    make_agreement(other, title="Not mine at all")
    add_member(joined, me, "client", "reviewer")
    login(client, "me@example.com")
    page = client.get("/agreements").get_data(as_text=True)
    assert "Mine — עסקה" in page and "Joined as client" in page
    assert "Not mine at all" not in page
    assert "Client One" in page and "Provider Two" in page  # the counterparty is shown
    assert page.count("badge-draft") == 2
    assert f'/agreements/{mine}"' in page


def test_activity_page_lists_events(client, make_user, login, make_agreement):
    owner = make_user("act@example.com", name="Ada Actor")
    agreement = make_agreement(owner, title="Logged")
    login(client, "act@example.com")
    post_form(client, f"/agreements/{agreement}/invitations", {"side": "client", "role": "owner", "email": ""})
    page = client.get(f"/agreements/{agreement}/activity").get_data(as_text=True)
    assert "Ada Actor (provider) created the agreement “Logged” in English." in page
    assert "Ada Actor (provider) invited anyone holding the link to join the client side as owner." in page
    assert "agreement.created" not in page and "invitation.created" not in page
    assert "hash chain is intact" in page and "tampered" not in page


def test_unknown_agreement_is_404(client, make_user, login):
    make_user("nf@example.com")
    login(client, "nf@example.com")
    response = client.get("/agreements/999")
    assert response.status_code == 404
    assert "not a member" in response.get_data(as_text=True)
