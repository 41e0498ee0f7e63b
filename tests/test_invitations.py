"""Invitations and membership management."""
from __future__ import annotations

import re
from datetime import timedelta

from conftest import post_form, register_and_confirm
from sqlalchemy import select, update

from authoring.extensions import db
from authoring.models import Invitation, Membership

LINK = re.compile(r'id="invite-link" type="text" readonly value="http://localhost(/invitations/[^"]+)"')


def invite(client, agreement_id, side="client", role="owner", email=""):
    """An invitation link; by default the provider's owner invites the client's first owner."""
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
    # The e-mailed confirmation link logs the new account in and leads back to the invitation.
    assert register_and_confirm(app, guest, "cleo@example.com", name="Cleo Client", next_path=link
                                ).headers["Location"] == link
    accepted = post_form(guest, link, token_from=link)
    assert accepted.status_code == 302
    assert accepted.headers["Location"] == f"/agreements/{agreement}"
    dashboard = guest.get("/agreements").get_data(as_text=True)
    assert "Shared work" in dashboard and "<td>client</td>" in dashboard and "<td>owner</td>" in dashboard
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


# Each side governs itself ----------------------------------------------------------------

def _membership_ids(app, agreement_id) -> dict[str, int]:
    with app.app_context():
        return {m.user.email: m.id for m in db.session.scalars(
            select(Membership).where(Membership.agreement_id == agreement_id))}


def test_a_client_owner_cannot_invite_a_provider_signatory_nor_re_role_or_remove_provider_members(
        app, make_user, login, make_agreement):
    """The reported attack: a client owner invited a provider-side signatory, who then signed for the provider."""
    provider_owner = make_user("pown@example.com", name="Pia Provider")
    make_user("psign@example.com", name="Piotr Signer")
    agreement = make_agreement(provider_owner, title="Sides")
    provider = login(app.test_client(), "pown@example.com")
    assert post_form(login(app.test_client(), "psign@example.com"), invite(provider, agreement, "provider", "signatory"),
                     token_from="/agreements/new").status_code == 302
    link = invite(provider, agreement)  # the client's first owner
    guest = app.test_client()
    assert register_and_confirm(app, guest, "cleo@example.com", "Cleo Client", next_path=link).status_code == 302
    assert post_form(guest, link, token_from=link).status_code == 302
    client_owner = guest

    members = f"/agreements/{agreement}/members"
    refused = post_form(client_owner, f"/agreements/{agreement}/invitations",
                        {"side": "provider", "role": "signatory", "email": ""})
    assert refused.status_code == 403
    assert "Each side governs itself: you cannot invite members to the provider side" in refused.get_data(as_text=True)
    ids = _membership_ids(app, agreement)
    demote = post_form(client_owner, f"{members}/{ids['psign@example.com']}/role", {"role": "viewer"}, token_from=members)
    assert demote.status_code == 403 and "change the roles of members of the provider side" in demote.get_data(as_text=True)
    remove = post_form(client_owner, f"{members}/{ids['pown@example.com']}/remove", token_from=members)
    assert remove.status_code == 403 and "remove members of the provider side" in remove.get_data(as_text=True)
    with app.app_context():
        people = {m.user.email: (m.side, m.role) for m in db.session.scalars(
            select(Membership).where(Membership.agreement_id == agreement))}
        assert people == {"pown@example.com": ("provider", "owner"), "psign@example.com": ("provider", "signatory"),
                          "cleo@example.com": ("client", "owner")}
        assert not db.session.scalars(select(Invitation).where(Invitation.side == "provider",
                                                               Invitation.created_by_id != provider_owner.id)).all()
    # The page offers only what may be done: no provider side in the select, no controls on provider members.
    page = client_owner.get(members).get_data(as_text=True)
    assert '<option value="provider"' not in page and '<option value="client"' in page
    assert f"/members/{ids['psign@example.com']}/role" not in page
    assert f"/members/{ids['pown@example.com']}/remove" not in page
    assert f"/members/{ids['cleo@example.com']}/role" in page


def test_the_provider_owner_invites_only_the_clients_first_owner(app, make_user, login, make_agreement):
    owner = make_user("pown2@example.com")
    make_user("cown@example.com")
    agreement = make_agreement(owner)
    provider = login(app.test_client(), "pown2@example.com")
    refused = post_form(provider, f"/agreements/{agreement}/invitations", {"side": "client", "role": "signatory"})
    assert refused.status_code == 403
    assert "The client side has no owner yet: invite its first owner (role Owner)" in refused.get_data(as_text=True)
    page = provider.get(f"/agreements/{agreement}/members").get_data(as_text=True)
    assert '<option value="client">Client side — its first owner only</option>' in page
    first, second = invite(provider, agreement), invite(provider, agreement)
    client_owner = login(app.test_client(), "cown@example.com")
    assert post_form(client_owner, first, token_from="/agreements/new").status_code == 302
    # From now on the client side manages itself: the provider's second link lapses, no more client invitations.
    late = post_form(login(app.test_client(), "pown2@example.com"), second, token_from="/agreements/new")
    assert late.status_code == 409
    refused = post_form(provider, f"/agreements/{agreement}/invitations", {"side": "client", "role": "owner"})
    assert refused.status_code == 403 and "The client side has an owner, who invites its members" in refused.get_data(as_text=True)
    assert '<option value="client"' not in provider.get(f"/agreements/{agreement}/members").get_data(as_text=True)
    # The client owner invites their own side, and withdraws only their own side's links.
    assert invite(client_owner, agreement, "client", "signatory")
    with app.app_context():
        theirs = db.session.scalar(select(Invitation.id).where(Invitation.role == "signatory"))
    withdraw = post_form(provider, f"/agreements/{agreement}/invitations/{theirs}/revoke",
                         token_from=f"/agreements/{agreement}/members")
    assert withdraw.status_code == 403 and "withdraw invitations to the client side" in withdraw.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Invitation, theirs).revoked_at is None


def test_a_link_made_before_the_side_rules_no_longer_admits_anyone(app, make_user, login, make_agreement, add_member):
    """A provider-signatory invitation a client owner created before the fix is refused on acceptance."""
    owner, client_owner = make_user("pown3@example.com"), make_user("cown3@example.com")
    make_user("mallory@example.com")
    agreement = make_agreement(owner)
    add_member(agreement, client_owner, "client", "owner")
    with app.test_request_context(method="POST"):
        from authoring.document import token_hash
        from authoring.models import utcnow
        db.session.add(Invitation(agreement_id=agreement, token_hash=token_hash("old-link"), side="provider",
                                  role="signatory", created_by_id=client_owner.id,
                                  expires_at=utcnow() + timedelta(days=1)))
        db.session.commit()
    refused = post_form(login(app.test_client(), "mallory@example.com"), "/invitations/old-link",
                        token_from="/agreements/new")
    assert refused.status_code == 409 and "its author may no longer invite to the provider side" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Membership).where(Membership.side == "provider",
                                                          Membership.role == "signatory")) is None


def test_a_client_starts_an_agreement_and_invites_its_providers_first_owner(app, make_user, login):
    make_user("buyer@example.com", name="Bea Buyer")
    make_user("vendor@example.com", name="Vic Vendor")
    client_owner = login(app.test_client(), "buyer@example.com")
    created = post_form(client_owner, "/agreements/new", {"side": "client", "title": "Tendered support",
                                                          "language": "en", "provider_name": "Vendor Ltd",
                                                          "client_name": "Buyer S.A."})
    assert created.status_code == 302
    agreement = int(created.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        assert [(m.user.email, m.side, m.role) for m in db.session.scalars(
            select(Membership).where(Membership.agreement_id == agreement))] == [("buyer@example.com", "client", "owner")]
    page = client_owner.get(f"/agreements/{agreement}/members").get_data(as_text=True)
    assert '<option value="provider">Provider side — its first owner only</option>' in page
    refused = post_form(client_owner, f"/agreements/{agreement}/invitations", {"side": "provider", "role": "signatory"})
    assert refused.status_code == 403 and "The provider side has no owner yet" in refused.get_data(as_text=True)
    link = invite(client_owner, agreement, "provider", "owner")
    provider = login(app.test_client(), "vendor@example.com")
    assert post_form(provider, link, token_from="/agreements/new").status_code == 302
    # The provider side now governs itself, and its owner shares the draft as usual.
    refused = post_form(client_owner, f"/agreements/{agreement}/invitations", {"side": "provider", "role": "editor"})
    assert refused.status_code == 403 and "The provider side has an owner" in refused.get_data(as_text=True)
    assert invite(provider, agreement, "provider", "signatory")
    assert post_form(provider, f"/agreements/{agreement}/share", {"message": "Our draft"}).status_code == 302
