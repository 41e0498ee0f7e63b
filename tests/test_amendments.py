"""Amendments through HTTP: opened on an executed agreement, negotiated and signed like the
original, executed as "Amendment N"; versions, redlines, markers and signed files per version."""
from __future__ import annotations

import io
from datetime import date, timedelta

import docx

from conftest import csrf_token, post_form
from sqlalchemy import select
from test_negotiation import act, propose_text
from test_signing import sign

from authoring.extensions import db
from authoring.models import Agreement, Amendment, Revision, Signature, utcnow
from authoring.revisions.services import revision_document
from authoring.signing.seal import signature_intact

KEY = "general.confidentiality"


def open_amendment(client, agreement_id, reason="Stronger confidentiality", effective_on="", review=""):
    path = f"/agreements/{agreement_id}/reviews"
    return client.post(f"/agreements/{agreement_id}/amendments", data={
        "csrf_token": csrf_token(client, path), "reason": reason, "effective_on": effective_on, "review": review})


def amend_and_sign(executed, agreement_id, effective_on: str = "") -> None:
    assert open_amendment(executed.as_("owner"), agreement_id, effective_on=effective_on).status_code == 302
    assert propose_text(executed.as_("cedit"), agreement_id, KEY, lambda t: t + " It survives for ten years.").status_code == 302
    assert act(executed.as_("owner"), agreement_id, 1, "accept").status_code == 302
    assert post_form(executed.as_("owner"), f"/agreements/{agreement_id}/ready").status_code == 302
    assert sign(executed.as_("psign"), agreement_id, name="Pia Signer").status_code == 302
    assert sign(executed.as_("csign"), agreement_id, name="Carl Signer").status_code == 302


def test_an_amendment_is_negotiated_and_signed_like_the_original(app, executed):
    today = utcnow().date()
    agreement_id = executed(date(today.year - 1, 1, 1), "quarterly")
    with app.app_context():
        original = db.session.get(Agreement, agreement_id).executed_revision_id
    effective = (today + timedelta(days=10)).isoformat()

    assert open_amendment(executed.as_("cedit"), agreement_id).status_code == 403  # owners open amendments
    amend_and_sign(executed, agreement_id, effective_on=effective)

    with app.app_context():
        agreement = db.session.get(Agreement, agreement_id)
        amendment = db.session.scalar(select(Amendment).where(Amendment.agreement_id == agreement_id))
        assert agreement.status == "executed"
        assert (amendment.number, amendment.status, amendment.effective_on.isoformat()) == (1, "executed", effective)
        assert amendment.base_revision_id == original and agreement.executed_revision_id == amendment.revision_id
        assert "It survives for ten years." in revision_document(amendment.revision).clause(KEY).text
        signatures = list(db.session.scalars(select(Signature).where(Signature.agreement_id == agreement_id)))
        # The original's signatures stand; the amendment has its own, on its own revision.
        assert sorted((s.amendment_number, s.side, s.voided_at is None) for s in signatures) == [
            (0, "client", True), (0, "provider", True), (1, "client", True), (1, "provider", True)]
        assert all(signature_intact(s) for s in signatures)
        first = db.session.get(Revision, original)

    viewer = executed.as_("viewer")
    life = viewer.get(f"/agreements/{agreement_id}/reviews").get_data(as_text=True)
    assert "Original" in life and "Amendment 1" in life and "redline against" in life
    assert f"from={first.number}&amp;to={amendment.revision.number}" in life  # one click to the redline
    draft = viewer.get(f"/agreements/{agreement_id}").get_data(as_text=True)
    assert "amended by amendment 1" in draft and f"from={first.number}" in draft
    redline = viewer.get(f"/agreements/{agreement_id}/redline?from={first.number}&to={amendment.revision.number}")
    assert "It survives for ten years." in redline.get_data(as_text=True)


def test_each_executed_version_downloads_signed_and_verifies(app, executed, runner, tmp_path):
    today = utcnow().date()
    agreement_id = executed(date(today.year - 1, 1, 1))
    amend_and_sign(executed, agreement_id)
    viewer = executed.as_("viewer")
    latest = viewer.get(f"/agreements/{agreement_id}/signed.docx").get_data()
    assert viewer.get(f"/agreements/{agreement_id}/versions/1/signed.docx").get_data() == latest
    original = viewer.get(f"/agreements/{agreement_id}/versions/0/signed.docx").get_data()
    assert original != latest
    assert viewer.get(f"/agreements/{agreement_id}/versions/2/signed.docx").status_code == 404
    for name, data in (("original.docx", original), ("amended.docx", latest)):
        path = tmp_path / name
        path.write_bytes(data)
        result = runner.invoke(args=["verify", str(path)])
        assert result.exit_code == 0, result.output
    certificate = "\n".join(c.text for t in docx.Document(io.BytesIO(latest)).tables for row in t.rows for c in row.cells)
    assert "Opened the amendment" in certificate  # the amendment's certificate starts with its opening
    original_certificate = "\n".join(c.text for t in docx.Document(io.BytesIO(original)).tables for row in t.rows for c in row.cells)
    assert "Opened the amendment" not in original_certificate


def test_an_amendment_is_refused_unless_executed_and_only_one_at_a_time(app, executed):
    today = utcnow().date()
    agreement_id = executed(date(today.year - 1, 1, 1))
    owner = executed.as_("owner")
    past = open_amendment(owner, agreement_id, effective_on=(today - timedelta(days=1)).isoformat())
    assert past.status_code == 422 and "today or a later date" in past.get_data(as_text=True)
    assert open_amendment(owner, agreement_id).status_code == 302
    again = open_amendment(owner, agreement_id)
    assert again.status_code == 422 and "only an executed agreement is amended" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Agreement, agreement_id).status == "negotiating"


def test_the_terms_file_lists_amendments_with_a_json_patch_of_the_terms(app, executed, runner, tmp_path):
    import json

    import jsonpatch
    from jsonschema import Draft202012Validator

    today = utcnow().date()
    agreement_id = executed(date(today.year - 1, 1, 1))
    owner = executed.as_("owner")
    assert open_amendment(owner, agreement_id, reason="Faster P1 response").status_code == 302
    # A term change proposed by the provider's owner; the client accepts it.
    with app.test_request_context(method="POST"):
        from authoring.models import Membership, User
        from authoring.negotiation.services import propose
        agreement = db.session.get(Agreement, agreement_id)
        user = db.session.scalar(select(User).where(User.email == "owner@example.com"))
        membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
        proposal, _merged = propose(agreement, user, membership, "term", "services.availability_percent", "99.9",
                                    "99.5", "Faster recovery")
        number = proposal.number
    assert act(executed.as_("cedit"), agreement_id, number, "accept").status_code == 302
    assert post_form(owner, f"/agreements/{agreement_id}/ready").status_code == 302
    assert sign(executed.as_("psign"), agreement_id, name="Pia Signer").status_code == 302
    assert sign(executed.as_("csign"), agreement_id, name="Carl Signer").status_code == 302

    with app.app_context():
        amendment = db.session.scalar(select(Amendment).where(Amendment.agreement_id == agreement_id))
        before = revision_document(amendment.base_revision)
        latest, base_number = amendment.revision.number, amendment.base_revision.number
    data = json.loads(executed.as_("viewer").get(f"/agreements/{agreement_id}/revisions/{latest}/terms.json").get_data())
    schema = app.test_client().get("/schema/terms/v1.json").get_json()
    assert list(Draft202012Validator(schema).iter_errors(data)) == []
    [listed] = data["amendments"]
    assert (listed["number"], listed["reason"]) == (1, "Faster P1 response")
    assert {"op": "replace", "path": "/services/availability_percent", "value": "99.9"} in listed["terms_patch"]
    # An independent RFC 6902 implementation turns the old terms into the new ones with it.
    assert jsonpatch.apply_patch(before.terms, listed["terms_patch"]) == data["terms"]
    # The original's terms file lists no amendment; both verify.
    original = executed.as_("viewer").get(f"/agreements/{agreement_id}/revisions/{base_number}/terms.json").get_data()
    assert "amendments" not in json.loads(original)
    for name, raw in (("amended.json", json.dumps(data, ensure_ascii=False).encode()), ("original.json", original)):
        path = tmp_path / name
        path.write_bytes(raw)
        result = runner.invoke(args=["verify", str(path)])
        assert result.exit_code == 0, result.output


def _ready_amendment(executed, agreement_id):
    assert open_amendment(executed.as_("owner"), agreement_id).status_code == 302
    assert propose_text(executed.as_("cedit"), agreement_id, KEY, lambda t: t + " Also for staff.").status_code == 302
    assert act(executed.as_("owner"), agreement_id, 1, "accept").status_code == 302
    assert post_form(executed.as_("owner"), f"/agreements/{agreement_id}/ready").status_code == 302


def test_an_amendment_that_changes_nothing_is_never_signed(app, executed):
    agreement_id = executed(date(utcnow().date().year - 1, 1, 1))
    owner = executed.as_("owner")
    assert open_amendment(owner, agreement_id).status_code == 302
    refused = post_form(owner, f"/agreements/{agreement_id}/ready")
    assert refused.status_code == 409 and "changes nothing yet" in refused.get_data(as_text=True)
    response = sign(executed.as_("psign"), agreement_id)
    assert response.status_code == 409 and "changes nothing yet" in response.get_data(as_text=True)


def test_the_register_awaits_the_amendments_signature_not_the_originals(app, executed):
    agreement_id = executed(date(utcnow().date().year - 1, 1, 1))
    _ready_amendment(executed, agreement_id)
    assert sign(executed.as_("psign"), agreement_id, name="Pia Signer").status_code == 302
    page = executed.as_("csign").get("/agreements?attention=1").get_data(as_text=True)
    assert "your signature awaited" in page and f"/agreements/{agreement_id}" in page


def test_an_owner_abandons_an_amendment_and_the_executed_text_stands(app, executed):
    agreement_id = executed(date(utcnow().date().year - 1, 1, 1))
    with app.app_context():
        executed_hash = db.session.get(Revision, db.session.get(Agreement, agreement_id).executed_revision_id).hash
    _ready_amendment(executed, agreement_id)
    assert sign(executed.as_("psign"), agreement_id, name="Pia Signer").status_code == 302
    owner = executed.as_("owner")
    path = f"/agreements/{agreement_id}/reviews"
    assert owner.post(f"/agreements/{agreement_id}/amendments/abandon",
                      data={"csrf_token": csrf_token(owner, path), "reason": ""}).status_code == 422
    response = owner.post(f"/agreements/{agreement_id}/amendments/abandon",
                          data={"csrf_token": csrf_token(owner, path), "reason": "Not worth it this year"})
    assert response.status_code == 302
    with app.app_context():
        from authoring.document import Document
        from authoring.models import Draft
        agreement = db.session.get(Agreement, agreement_id)
        assert agreement.status == "executed"
        assert Document.from_json(db.session.get(Draft, agreement_id).document).sha256() == executed_hash
        amendment = db.session.scalar(select(Amendment).where(Amendment.agreement_id == agreement_id))
        assert amendment.status == "abandoned"
        round_one = db.session.scalars(select(Signature).where(Signature.amendment_number == 1)).all()
        assert round_one and all(s.voided_at is not None for s in round_one)
        assert all(s.voided_at is None for s in db.session.scalars(select(Signature).where(Signature.amendment_number == 0)))
    # A review can be held meanwhile and afterwards, and a new amendment is number 2.
    assert open_amendment(owner, agreement_id).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Amendment.number).where(Amendment.status == "open")) == 2
    assert executed.as_("cedit").get(f"/agreements/{agreement_id}/reviews/new").status_code == 200


def test_certificates_keep_the_original_wording_and_name_the_amendment(app, executed):
    agreement_id = executed(date(utcnow().date().year - 1, 1, 1))
    amend_and_sign(executed, agreement_id)
    viewer = executed.as_("viewer")

    def cells(path):
        word = docx.Document(io.BytesIO(viewer.get(path).get_data()))
        return "\n".join(c.text for t in word.tables for row in t.rows for c in row.cells)

    assert "Both sides signed: the agreement is executed" in cells(f"/agreements/{agreement_id}/versions/0/signed.docx")
    assert "Both sides signed: amendment 1 is executed" in cells(f"/agreements/{agreement_id}/versions/1/signed.docx")


def test_an_amendment_form_refused_after_a_review_keeps_naming_that_review(app, executed):
    agreement_id = executed(date(utcnow().date().year - 1, 1, 1))
    refused = open_amendment(executed.as_("owner"), agreement_id, reason="", review="7")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'name="review" value="7"' in page and "Say what the amendment is for" in page
