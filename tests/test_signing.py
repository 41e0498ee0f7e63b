"""Sign-off through HTTP: who may sign, what is refused and why, execution, the sealed
record, reopening, the locked text, and the tamper-evident audit log."""
from __future__ import annotations

import html
import json
import re

import pytest
from conftest import PASSWORD, post_form
from sqlalchemy import select, text
from test_negotiation import act, propose_text

from authoring.audit import verify_chain
from authoring.demo_terms import demo_terms
from authoring.document import Document
from authoring.extensions import db
from authoring.interview.services import mark_ready, set_terms
from authoring.models import Agreement, AuditEvent, Draft, Revision, Signature, User
from authoring.signing.seal import signature_intact

KEY = "general.confidentiality"
HASH_RE = re.compile(r'name="shown_hash" type="hidden" value="([0-9a-f]{64})"')


@pytest.fixture
def deal(app, make_user, make_agreement, add_member, login):
    """A complete, healthy agreement, shared and marked ready, with signatories on both sides."""
    people = {
        "owner": make_user("owner@example.com", name="Olivia Owner"),
        "psigner": make_user("psigner@example.com", name="Paul Signer"),
        "csigner": make_user("csigner@example.com", name="Ciro Firmante"),
        "ceditor": make_user("ceditor@example.com", name="Carmen Editor"),
        "cowner": make_user("cowner@example.com", name="Clara Owner"),
        "legal": make_user("legal@example.com", name="Lena Legal"),
        "viewer": make_user("viewer@example.com", name="Vera Viewer"),
        "stranger": make_user("stranger@example.com", name="Stan Stranger"),
    }
    agreement_id = make_agreement(people["owner"], title="Managed IT")
    for name, side, role in [("psigner", "provider", "signatory"), ("csigner", "client", "signatory"),
                             ("ceditor", "client", "editor"), ("cowner", "client", "owner"),
                             ("legal", "client", "reviewer"), ("viewer", "client", "viewer")]:
        add_member(agreement_id, people[name], side, role)
    with app.test_request_context(method="POST"):
        agreement = db.session.get(Agreement, agreement_id)
        terms = demo_terms("en", "Managed IT")
        # The client's signatory is named in the terms; the provider's is not (anyone of its signatories signs).
        terms["parties"]["provider"]["signatory_name"] = None
        terms["parties"]["client"]["signatory_name"] = "Ciro Firmante"
        set_terms(agreement, db.session.get(User, people["owner"].id), terms, "test")

    class Deal:
        id = agreement_id
        users = people

        @staticmethod
        def as_(name):
            return login(app.test_client(), f"{name}@example.com")

    owner = Deal.as_("owner")
    assert post_form(owner, f"/agreements/{agreement_id}/share", {"message": "Draft for you"}).status_code == 302
    assert post_form(owner, f"/agreements/{agreement_id}/ready").status_code == 302
    assert status_of(app, agreement_id) == "ready"
    return Deal


def status_of(app, agreement_id) -> str:
    with app.app_context():
        return db.session.get(Agreement, agreement_id).status


def signatures(app, agreement_id) -> list[Signature]:
    with app.app_context():
        rows = list(db.session.scalars(select(Signature).where(Signature.agreement_id == agreement_id).order_by(Signature.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def sign(client, agreement_id, *, name="Paul Signer", title="Director", password=PASSWORD, consent=True,
         shown_hash=None):
    page = client.get(f"/agreements/{agreement_id}/sign").get_data(as_text=True)
    shown = HASH_RE.search(page)  # no form while signing is blocked: post as a stale tab would
    data = {"full_name": name, "job_title": title, "password": password,
            "shown_hash": shown_hash or (shown.group(1) if shown else "0" * 64)}
    if consent:
        data["consent"] = "y"
    return post_form(client, f"/agreements/{agreement_id}/sign", data, token_from=f"/agreements/{agreement_id}/sign",
                     headers={"User-Agent": "Mozilla/5.0 (Test) Signer"})


def body(response) -> str:
    return response.get_data(as_text=True)


def test_only_a_signatory_signs_and_strangers_do_not_see_the_page(app, deal):
    stranger = deal.as_("stranger")
    assert stranger.get(f"/agreements/{deal.id}/sign").status_code == 404
    for name in ("owner", "ceditor", "legal", "viewer"):
        client = deal.as_(name)
        assert client.get(f"/agreements/{deal.id}/sign").status_code == 200
        response = post_form(client, f"/agreements/{deal.id}/sign",
                             {"full_name": "X", "job_title": "Y", "password": PASSWORD, "consent": "y", "shown_hash": "0" * 64})
        assert response.status_code == 403, name
    assert signatures(app, deal.id) == []


@pytest.mark.parametrize("change, status, message", [
    ({"password": "wrong password"}, 422, "The password is not correct"),
    ({"consent": False}, 422, "Tick the box to agree to sign electronically"),
    ({"name": ""}, 422, "Type your full name"),
    ({"title": "   "}, 422, "Type your title"),
])
def test_each_missing_piece_is_refused_with_a_clear_message_and_nothing_is_signed(app, deal, change, status, message):
    response = sign(deal.as_("psigner"), deal.id, **change)
    assert response.status_code == status
    assert message in body(response)
    assert signatures(app, deal.id) == []
    assert status_of(app, deal.id) == "ready"


def test_wrong_passwords_are_throttled(app, deal):
    client = deal.as_("psigner")
    for _ in range(5):
        assert "The password is not correct" in body(sign(client, deal.id, password="nope"))
    response = sign(client, deal.id)  # even the right password waits now
    assert response.status_code == 422 and "Too many wrong passwords" in body(response)
    assert signatures(app, deal.id) == []


def test_an_open_proposal_keeps_everyone_from_signing(app, deal):
    assert propose_text(deal.as_("ceditor"), deal.id, KEY, lambda t: t + " Also for five years.").status_code == 302
    response = sign(deal.as_("psigner"), deal.id)
    assert response.status_code == 409
    assert "1 proposal is still open." in body(response)
    assert signatures(app, deal.id) == []


def test_a_text_changed_since_the_page_was_opened_is_not_signed(app, deal):
    signer = deal.as_("psigner")
    old_hash = HASH_RE.search(body(signer.get(f"/agreements/{deal.id}/sign"))).group(1)
    # Meanwhile the client proposes, the provider accepts, and the owner marks it ready again.
    assert propose_text(deal.as_("ceditor"), deal.id, KEY, lambda t: t + " Survives for 5 years.").status_code == 302
    assert act(deal.as_("owner"), deal.id, 1, "accept").status_code == 302
    assert post_form(deal.as_("owner"), f"/agreements/{deal.id}/ready").status_code == 302
    response = sign(signer, deal.id, shown_hash=old_hash)
    assert response.status_code == 409
    assert "The text changed since you opened this page" in body(response)
    assert signatures(app, deal.id) == []


def test_both_signatures_on_one_revision_execute_the_agreement_and_lock_it(app, deal):
    assert sign(deal.as_("psigner"), deal.id, name="Paul Signer", title="Managing Director").status_code == 302
    assert status_of(app, deal.id) == "signing"
    # Once one side has signed, the text is frozen for everyone.
    assert "Proposals are made while the agreement is negotiated" in body(
        propose_text(deal.as_("ceditor"), deal.id, KEY, lambda t: t + " More."))
    again = sign(deal.as_("psigner"), deal.id)
    assert again.status_code == 409 and "The provider has already signed this revision." in body(again)

    client_signer = deal.as_("csigner")
    response = sign(client_signer, deal.id, name="Ciro Firmante", title="Director General")
    assert response.status_code == 302
    assert "the agreement is executed" in body(client_signer.get(response.headers["Location"]))
    rows = signatures(app, deal.id)
    assert [(s.side, s.full_name, s.job_title) for s in rows] == [
        ("provider", "Paul Signer", "Managing Director"), ("client", "Ciro Firmante", "Director General")]
    assert rows[0].revision_hash == rows[1].revision_hash
    with app.app_context():
        agreement = db.session.get(Agreement, deal.id)
        executed = db.session.get(Revision, agreement.executed_revision_id)
        draft_hash = __import__("authoring.document", fromlist=["Document"]).Document.from_json(
            db.session.get(Draft, deal.id).document).sha256()
        assert agreement.status == "executed" and agreement.executed_at is not None
        assert executed.hash == rows[0].revision_hash == draft_hash
        for row in rows:
            assert row.ip == "127.0.0.1" and row.user_agent == "Mozilla/5.0 (Test) Signer"
            assert row.revision_hash in row.consent_text and row.organisation in row.consent_text
            assert signature_intact(db.session.get(Signature, row.id))
        actions = [e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.agreement_id == deal.id))]
        assert actions.count("agreement.signed") == 2 and actions[-1] == "agreement.executed"

    # Executed: no proposal, no interview change, no reopening.
    assert "Proposals are made while the agreement is negotiated" in body(
        propose_text(deal.as_("ceditor"), deal.id, KEY, lambda t: t + " More."))
    reopened = post_form(deal.as_("owner"), f"/agreements/{deal.id}/reopen", {"reason": "One more thing"},
                         token_from=f"/agreements/{deal.id}/sign")
    assert reopened.status_code == 409 and "only a ready or half-signed agreement is reopened" in body(reopened)
    assert status_of(app, deal.id) == "executed"


def test_reopening_voids_the_signature_and_the_page_says_so(app, deal):
    assert sign(deal.as_("psigner"), deal.id).status_code == 302
    response = post_form(deal.as_("cowner"), f"/agreements/{deal.id}/reopen", {"reason": "Liability cap too low"},
                         token_from=f"/agreements/{deal.id}/sign")
    assert response.status_code == 302
    assert status_of(app, deal.id) == "negotiating"
    [row] = signatures(app, deal.id)
    assert row.void and "Liability cap too low" in row.void_reason
    page = body(deal.as_("viewer").get(f"/agreements/{deal.id}/sign"))
    assert "1 void signature" in page and "Liability cap too low" in page
    # A void signature never counts: the client signing now does not execute anything.
    assert post_form(deal.as_("owner"), f"/agreements/{deal.id}/ready").status_code == 302
    assert sign(deal.as_("csigner"), deal.id, name="Ciro Firmante").status_code == 302
    assert status_of(app, deal.id) == "signing"


def test_a_signature_row_edited_in_the_database_shows_as_altered(app, deal):
    assert sign(deal.as_("psigner"), deal.id, title="Director").status_code == 302
    assert "sealed" in body(deal.as_("viewer").get(f"/agreements/{deal.id}/sign"))
    with app.app_context():
        db.session.execute(text("UPDATE signatures SET job_title = 'Chairman'"))
        db.session.commit()
        assert not signature_intact(db.session.scalar(select(Signature)))
    assert "altered" in body(deal.as_("viewer").get(f"/agreements/{deal.id}/sign"))


def test_an_unshared_draft_cannot_be_edited_directly_once_signing_started(app, make_user, make_agreement, add_member, login):
    owner = make_user("solo@example.com", name="Solo Owner")
    signer = make_user("solosign@example.com", name="Solo Signer")
    agreement_id = make_agreement(owner)
    add_member(agreement_id, signer, "provider", "signatory")
    with app.test_request_context(method="POST"):
        agreement = db.session.get(Agreement, agreement_id)
        user = db.session.get(User, owner.id)
        terms = demo_terms("en", "Support agreement")
        terms["parties"]["provider"]["signatory_name"] = "Solo Signer"
        set_terms(agreement, user, terms, "test")
        mark_ready(agreement, user)
    assert sign(login(app.test_client(), "solosign@example.com"), agreement_id, name="Solo Signer").status_code == 302
    editor = login(app.test_client(), "solo@example.com")
    response = propose_text(editor, agreement_id, KEY, lambda t: t + " Changed after signing.")
    assert response.status_code == 422 and "its text can no longer change" in body(response)
    with app.app_context():
        assert "Changed after signing" not in db.session.get(Draft, agreement_id).document


def test_the_audit_chain_reports_an_edited_and_a_deleted_event(app, deal):
    assert sign(deal.as_("psigner"), deal.id).status_code == 302
    with app.app_context():
        assert verify_chain(deal.id) == []
        assert verify_chain(None) == []
        ids = list(db.session.scalars(select(AuditEvent.id).where(AuditEvent.agreement_id == deal.id).order_by(AuditEvent.id)))
        db.session.execute(text("UPDATE audit_events SET ip = '10.9.9.9' WHERE id = :id"), {"id": ids[1]})
        db.session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": ids[3]})
        db.session.commit()
        problems = verify_chain(deal.id)
        assert [(p.event_id, p.problem) for p in problems] == [(ids[1], "edited"), (ids[4], "missing before it")]
        assert "was changed after it was written" in str(problems[0])
    page = body(deal.as_("viewer").get(f"/agreements/{deal.id}/activity"))
    assert "This log was tampered with" in page
    assert "Entry 2 (interview terms replaced, " in page and "was changed after it was written" in page
    assert "Entry 5 (" in page and "entry 4 is missing" in page


def test_a_log_put_back_to_before_a_signature_is_reported(app, deal):
    """An attacker who saved the chain's head earlier deletes every later entry and puts the head
    back: the chain itself looks whole, but the sealed signature has no entry in it."""
    with app.app_context():
        saved = db.session.execute(text("SELECT seq, hash, mac FROM audit_heads WHERE chain = :id"), {"id": deal.id}).one()
    assert sign(deal.as_("psigner"), deal.id).status_code == 302
    with app.app_context():
        db.session.execute(text("DELETE FROM audit_events WHERE agreement_id = :id AND seq > :seq"),
                           {"id": deal.id, "seq": saved.seq})
        db.session.execute(text("UPDATE audit_heads SET seq = :seq, hash = :hash, mac = :mac WHERE chain = :id"),
                           {"id": deal.id, "seq": saved.seq, "hash": saved.hash, "mac": saved.mac})
        db.session.commit()
        assert [p.problem for p in verify_chain(deal.id)] == ["signature without entry"]
    page = " ".join(body(deal.as_("viewer").get(f"/agreements/{deal.id}/activity")).split())
    assert "The signature of Paul Signer (provider, " in page
    assert "its entry in this log is missing: the log was cut back to before it." in page


def test_a_terms_file_downloaded_while_signing_verifies_once_executed(app, deal, runner, tmp_path):
    assert sign(deal.as_("psigner"), deal.id).status_code == 302
    early = deal.as_("viewer").get(f"/agreements/{deal.id}/revisions/1/terms.json").get_data()
    assert [s["side"] for s in json.loads(early)["signatures"]] == ["provider"]
    assert sign(deal.as_("csigner"), deal.id, name="Ciro Firmante").status_code == 302
    path = tmp_path / "terms.json"
    path.write_bytes(early)
    result = runner.invoke(args=["verify", str(path)])
    assert result.exit_code == 0 and "Ciro Firmante (client)" in result.output, result.output
    # A signature the record does not hold is another matter.
    forged = early.replace(b'"name": "Paul Signer"', b'"name": "Paul Signor"')
    path.write_bytes(forged)
    result = runner.invoke(args=["verify", str(path)])
    assert result.exit_code == 1 and "It lists a signature that is not on record." in result.output, result.output


def test_a_signing_form_without_its_text_hash_says_to_reload(app, deal):
    client = deal.as_("psigner")
    response = post_form(client, f"/agreements/{deal.id}/sign", {"full_name": "Paul", "job_title": "Director",
                                                                 "password": PASSWORD, "consent": "y"},
                         token_from=f"/agreements/{deal.id}/sign")
    assert response.status_code == 422
    assert "Reload it and sign again." in body(response)
    assert signatures(app, deal.id) == []


@pytest.mark.parametrize("change, message", [
    ({"name": "Olga\u202eavlO"}, "Remove the invisible control characters"),
    ({"title": "Director\x07"}, "Remove the invisible control characters"),
])
def test_control_characters_in_a_sealed_name_are_refused(app, deal, change, message):
    response = sign(deal.as_("psigner"), deal.id, **change)
    assert response.status_code == 422 and message in body(response)
    assert signatures(app, deal.id) == []


def test_no_is_not_consent_and_a_hebrew_name_with_its_marks_signs(app, deal):
    client = deal.as_("psigner")
    page = client.get(f"/agreements/{deal.id}/sign").get_data(as_text=True)
    response = post_form(client, f"/agreements/{deal.id}/sign", {
        "full_name": "Paul", "job_title": "Director", "password": PASSWORD, "consent": "no",
        "shown_hash": HASH_RE.search(page).group(1)}, token_from=f"/agreements/{deal.id}/sign")
    assert response.status_code == 422 and "Tick the box" in body(response)
    assert sign(client, deal.id, name="נועה כהן\u200f", title="מנכ\"ל").status_code == 302
    assert signatures(app, deal.id)[0].full_name == "נועה כהן\u200f"


# Only the person the terms name signs; the record says who let each signer in -------------

def test_a_signatory_other_than_the_one_the_terms_name_is_refused(app, deal, make_user, add_member, login):
    add_member(deal.id, make_user("other@example.com", name="Sam Other"), "client", "signatory")
    other = login(app.test_client(), "other@example.com")
    page = body(other.get(f"/agreements/{deal.id}/sign"))
    assert "The terms name <strong>Ciro Firmante</strong>" in page and "You are signed in as Sam Other" in page
    response = sign(other, deal.id, name="Sam Other")
    assert response.status_code == 422
    assert ("The terms name Ciro Firmante as the client's signatory; you are Sam Other. Ask an owner to change "
            "the signatory in Interview › Background.") in html.unescape(body(response))
    assert signatures(app, deal.id) == []
    # The named person signs, however they space or case their name.
    assert sign(deal.as_("csigner"), deal.id, name="  ciro   FIRMANTE ").status_code == 302
    # The terms name nobody for the provider: its signatory signs under their own name.
    assert "The terms name" not in body(deal.as_("psigner").get(f"/agreements/{deal.id}/sign")).split('id="sign"')[1]
    assert sign(deal.as_("psigner"), deal.id, name="Paul Signer").status_code == 302
    assert status_of(app, deal.id) == "executed"


def _signed_docx_text(client, agreement_id) -> str:
    import io

    import docx

    word = docx.Document(io.BytesIO(client.get(f"/agreements/{agreement_id}/signed.docx").get_data()))
    return "\n".join([p.text for p in word.paragraphs] + [c.text for t in word.tables for r in t.rows for c in r.cells])


def test_a_signature_sealed_before_invitations_were_recorded_keeps_its_certificate(app, executed, runner, tmp_path):
    """Signatures from before this change carry no inviter: their certificate is worded as it was
    then (no new section), so the signed files made then still verify byte for byte."""
    from datetime import date

    from authoring.signing.seal import signature_mac

    agreement_id = executed(date(2026, 1, 1))
    with app.app_context():
        for row in db.session.scalars(select(Signature).where(Signature.agreement_id == agreement_id)):
            assert row.joined_via == "unrecorded"  # added directly by the fixture, not invited
            row.joined_via = row.invited_by = row.invited_at = row.joined_at = None
            row.mac = signature_mac(row)
        db.session.commit()
    owner = executed.as_("owner")
    text = _signed_docx_text(owner, agreement_id)
    assert "Signatories and who invited them" not in text and "Pia Signer" in text
    path = tmp_path / "signed.docx"
    path.write_bytes(owner.get(f"/agreements/{agreement_id}/signed.docx").get_data())
    result = runner.invoke(args=["verify", str(path)])
    assert result.exit_code == 0 and result.output.startswith("Match:"), result.output


def test_verify_refuses_a_provider_signature_by_someone_the_client_side_brought_in(app, executed, runner, tmp_path):
    """The attack's record, as left by the code before each side governed itself: the provider's
    signatory had joined through an invitation a client-side member created."""
    from datetime import date, timedelta

    from authoring.document import token_hash
    from authoring.models import Invitation

    agreement_id = executed(date(2026, 1, 1))
    path = tmp_path / "signed.docx"
    path.write_bytes(executed.as_("owner").get(f"/agreements/{agreement_id}/signed.docx").get_data())
    assert runner.invoke(args=["verify", str(path)]).exit_code == 0
    with app.app_context():
        users = {u.email: u for u in db.session.scalars(select(User))}
        signed_at = db.session.scalar(select(Signature.signed_at).where(Signature.side == "provider"))
        db.session.add(Invitation(agreement_id=agreement_id, token_hash=token_hash("legacy"), side="provider",
                                  role="signatory", created_by_id=users["cedit@example.com"].id,
                                  created_at=signed_at - timedelta(hours=2), expires_at=signed_at,
                                  accepted_at=signed_at - timedelta(hours=1),
                                  accepted_by_id=users["psign@example.com"].id))
        db.session.commit()
    result = runner.invoke(args=["verify", str(path)])
    assert result.exit_code == 1, result.output
    assert ("Pia Signer signed for the provider but was brought onto the provider side by Cleo Editor of the "
            "client side") in result.output


def test_background_says_whether_the_named_signatory_is_one_of_the_sides_signatories(app, deal):
    """Compared as signing compares names: case, spacing and invisible marks aside."""
    page = body(deal.as_("cowner").get(f"/agreements/{deal.id}/interview/background"))
    assert "Your side's signatories: <span dir=\"auto\">Ciro Firmante</span>." in page
    assert "who is not one of your side" not in page
    with app.test_request_context(method="POST"):
        agreement = db.session.get(Agreement, deal.id)
        terms = Document.from_json(db.session.get(Draft, deal.id).document).terms
        terms["parties"]["client"]["signatory_name"] = "  ciro\u200f  FIRMANTE "
        set_terms(agreement, db.session.get(User, deal.users["owner"].id), terms, "test")
    assert "who is not one of your side" not in body(deal.as_("cowner").get(f"/agreements/{deal.id}/interview/background"))
    with app.test_request_context(method="POST"):
        terms["parties"]["client"]["signatory_name"] = "Someone Else"
        set_terms(db.session.get(Agreement, deal.id), db.session.get(User, deal.users["owner"].id), terms, "test")
    page = body(deal.as_("cowner").get(f"/agreements/{deal.id}/interview/background"))
    assert "The terms name <span dir=\"auto\">Someone Else</span>, who is not one of your side" in page
