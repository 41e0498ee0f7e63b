"""Invitations and membership management."""
from __future__ import annotations

import re
from datetime import timedelta

from conftest import post_form
from sqlalchemy import select, update

from authoring.extensions import db
from authoring.models import Invitation, Membership

LINK = re.compile(r'id="invite-link" type="text" readonly value="http://localhost(/invitations/[^"]+)"')


def invite(client, agreement_id, side="client", role="editor", email=""):
    response = post_form(client, f"/agreements/{agreement_id}/invitations", {"side": side, "role": role, "email": email})
    assert response.status_code == 201, response.get_data(as_text=True)
    return LINK.search(response.get_data(as_text=True)).group(1)


def test_invited_person_registers_accepts_and_sees_the_agreement(app, make_user, login, make_agreement):
    owner = make_user("own@example.com")
    agreement = make_agreement(owner, title="Shared work")
    provider = login(app.test_client(), "own@example.com")
    link = invite(provider, agreement)

    guest = app.test_client()
    page = guest.get(link).get_data(as_text=True)
    assert "You are invited" in page and "Shared work" in page and "Create an account" in page
    assert post_form(guest, f"/register?next={link}", {"name": "Cleo Client", "email": "cleo@example.com",
                                                        "password": "cleo's passphrase", "confirm": "cleo's passphrase"}
                     ).headers["Location"] == link
    accepted = post_form(guest, link, token_from=link)
    assert accepted.status_code == 302
    assert accepted.headers["Location"] == f"/agreements/{agreement}"
    dashboard = guest.get("/agreements").get_data(as_text=True)
    assert "Shared work" in dashboard and "<td>client</td>" in dashboard and "<td>editor</td>" in dashboard
    members = provider.get(f"/agreements/{agreement}/members").get_data(as_text=True)
    assert "Cleo Client" in members


def test_invitation_token_works_once(app, make_user, login, make_agreement):
    owner = make_user("own2@example.com")
    make_user("first@example.com")
    make_user("second@example.com")
    agreement = make_agreement(owner)
    link = invite(login(app.test_client(), "own2@example.com"), agreement)
    first = login(app.test_client(), "first@example.com")
    assert post_form(first, link, token_from="/agreements/new").status_code == 302
    second = login(app.test_client(), "second@example.com")
    reused = post_form(second, link, token_from="/agreements/new")
    assert reused.status_code == 410
    assert "already been used" in reused.get_data(as_text=True)
    assert second.get(f"/agreements/{agreement}").status_code == 404


def test_expired_revoked_and_bogus_tokens_are_refused_clearly(app, client, make_user, login, make_agreement):
    owner = make_user("own3@example.com")
    agreement = make_agreement(owner)
    provider = login(app.test_client(), "own3@example.com")
    expired, revoked = invite(provider, agreement), invite(provider, agreement)
    with app.app_context():
        first, second = db.session.scalars(select(Invitation).order_by(Invitation.id)).all()
        db.session.execute(update(Invitation).where(Invitation.id == first.id).values(
            expires_at=first.expires_at - timedelta(days=30)))
        db.session.commit()
        second_id = second.id
    members_page = provider.get(f"/agreements/{agreement}/members").get_data(as_text=True)
    assert members_page.count("Withdraw") == 1  # the expired one is no longer pending
    assert post_form(provider, f"/agreements/{agreement}/invitations/{second_id}/revoke",
                     token_from=f"/agreements/{agreement}/members").status_code == 302
    assert "has expired" in client.get(expired).get_data(as_text=True)
    assert "withdrawn" in client.get(revoked).get_data(as_text=True)
    bogus = client.get("/invitations/not-a-real-token")
    assert bogus.status_code == 410 and "not valid" in bogus.get_data(as_text=True)


def test_invitation_for_an_email_needs_that_account(app, make_user, login, make_agreement):
    owner = make_user("own4@example.com")
    make_user("wrong@example.com")
    make_user("right@example.com")
    agreement = make_agreement(owner)
    link = invite(login(app.test_client(), "own4@example.com"), agreement, email="Right@Example.com")
    wrong = post_form(login(app.test_client(), "wrong@example.com"), link, token_from="/agreements/new")
    assert wrong.status_code == 409 and "This invitation is for right@example.com" in wrong.get_data(as_text=True)
    assert post_form(login(app.test_client(), "right@example.com"), link, token_from="/agreements/new").status_code == 302


def test_member_cannot_accept_twice_and_invite_form_errors(app, make_user, login, make_agreement):
    owner = make_user("own5@example.com")
    agreement = make_agreement(owner)
    provider = login(app.test_client(), "own5@example.com")
    link = invite(provider, agreement)
    again = post_form(provider, link, token_from="/agreements/new")
    assert again.status_code == 409 and "already a member" in again.get_data(as_text=True)
    bad = post_form(provider, f"/agreements/{agreement}/invitations", {"side": "both", "role": "king", "email": "nope"})
    assert bad.status_code == 422
    assert bad.get_data(as_text=True).count("Not a valid choice.") == 2
    assert "Enter a valid e-mail address." in bad.get_data(as_text=True)


def test_owner_changes_roles_and_removes_members_but_never_the_last_owner(app, make_user, login, make_agreement, add_member):
    owner, helper = make_user("own6@example.com"), make_user("helper@example.com", name="Hal Helper")
    agreement = make_agreement(owner)
    add_member(agreement, helper, "provider", "viewer")
    provider = login(app.test_client(), "own6@example.com")
    with app.app_context():
        own_id, helper_id = [m.id for m in db.session.scalars(select(Membership).order_by(Membership.id))]
    members = f"/agreements/{agreement}/members"
    demote = post_form(provider, f"{members}/{own_id}/role", {"role": "editor"}, token_from=members)
    assert "at least one owner" in provider.get(demote.headers["Location"]).get_data(as_text=True)
    remove_self = post_form(provider, f"{members}/{own_id}/remove", token_from=members)
    assert "last owner cannot be removed" in provider.get(remove_self.headers["Location"]).get_data(as_text=True)
    promote = post_form(provider, f"{members}/{helper_id}/role", {"role": "owner"}, token_from=members)
    assert "Hal Helper is now owner." in provider.get(promote.headers["Location"]).get_data(as_text=True)
    bad_role = post_form(provider, f"{members}/{helper_id}/role", {"role": "emperor"}, token_from=members)
    assert "Choose one of the listed roles." in provider.get(bad_role.headers["Location"]).get_data(as_text=True)
    assert post_form(provider, f"{members}/{own_id}/remove", token_from=members).headers["Location"] == "/agreements"
    assert provider.get(f"/agreements/{agreement}").status_code == 404
    assert post_form(login(app.test_client(), "helper@example.com"), f"{members}/99999/remove",
                     token_from=members).status_code == 404
    activity = login(app.test_client(), "helper@example.com").get(f"/agreements/{agreement}/activity").get_data(as_text=True)
    assert "role from" in activity and " to owner." in activity and "from the agreement." in activity
    assert "member.role_changed" not in activity and "member.removed" not in activity
