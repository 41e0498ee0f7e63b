"""Exports of stored agreements through the pages and the CLI, read back as a person would see
them; import of terms files; verification of signed files; the demo's executed agreement."""
from __future__ import annotations

import io
import json
import re
import zipfile

import docx
import pytest
from conftest import csrf_token
from docx_review import accept_all, body_of, body_texts, clause_texts, part, reject_all
from jsonschema import Draft202012Validator
from sqlalchemy import func, select, text

from authoring.demo import DEMO_PASSWORD, DEMO_TITLE_EXECUTED, create_demo
from authoring.document import Document
from authoring.extensions import db
from authoring.models import Agreement, AuditEvent, Revision
from authoring.revisions.services import revision_document

HEBREW = "גיבוי יומי מוצפן"


@pytest.fixture
def demo(app):
    """The demo data; returns the executed agreement's id."""
    with app.app_context():
        assert create_demo()
        return db.session.scalar(select(Agreement.id).where(Agreement.title == DEMO_TITLE_EXECUTED))


@pytest.fixture
def member(app, login):
    def as_(email):
        return login(app.test_client(), email, DEMO_PASSWORD)
    return as_


def revision_texts(app, agreement_id, number) -> list[tuple[str, str]]:
    """Each clause as (heading as the DOCX shows it, text) in a stored revision."""
    with app.app_context():
        revision = db.session.scalar(select(Revision).where(Revision.agreement_id == agreement_id,
                                                            Revision.number == number))
        document = revision_document(revision)
    return [(f"{n}  {c.title}", c.text) for _s, _section, clauses in document.numbered() for n, c in clauses]


def upload(client, path, data: bytes, name="file.json"):
    return client.post(path, data={"csrf_token": csrf_token(client, path), "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_the_demo_leaves_an_agreement_negotiated_over_two_revisions_and_executed(app, demo):
    with app.app_context():
        agreement = db.session.get(Agreement, demo)
        revisions = db.session.scalar(select(func.count()).select_from(Revision).where(Revision.agreement_id == demo))
        assert agreement.status == "executed" and revisions >= 2
        assert db.session.get(Revision, agreement.executed_revision_id).number == revisions


def test_signed_docx_shows_the_text_signature_page_certificate_and_footer_hash(app, demo, member):
    """The original as signed (the demo amended it later: version 0 is the original)."""
    client = member("signer@example.com")
    response = client.get(f"/agreements/{demo}/versions/0/signed.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_data()
    with app.app_context():
        executed = db.session.scalar(select(Revision).where(Revision.agreement_id == demo, Revision.number == 2))
        document = revision_document(executed)
    word = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in word.paragraphs]
    everything = "\n".join(paragraphs + [c.text for t in word.tables for row in t.rows for c in row.cells])
    for _n, section, clauses in document.numbered():
        assert any(p.endswith(section.title) for p in paragraphs)
        for _number, clause in clauses:
            assert clause.text in paragraphs
    assert any(HEBREW in p for p in paragraphs)
    for name, title in (("Tomasz Nowak", "Chief Operating Officer"), ("Olga Ivanova", "Chief Financial Officer")):
        assert name in everything and title in everything
    assert "Shared the draft with the client" in everything
    assert executed.hash in everything
    footer = "\n".join(p.text for p in word.sections[0].footer.paragraphs)
    assert executed.hash in footer
    assert f"urn:accord:agreement:{demo}:revision:{executed.number}:sha256:{executed.hash}" == word.core_properties.identifier
    # Byte-identical when exported again.
    assert client.get(f"/agreements/{demo}/versions/0/signed.docx").get_data() == data


def test_exports_are_for_members_only(app, demo, make_user, login):
    make_user("outsider@example.com")
    outsider = login(app.test_client(), "outsider@example.com")
    for path in ("signed.docx", "revisions/1/export.docx", "revisions/1/terms.json", "redline/1-2.docx"):
        assert outsider.get(f"/agreements/{demo}/{path}").status_code == 404


def test_cli_exports_match_the_downloads_and_refuse_what_does_not_exist(app, demo, member, runner, tmp_path):
    client = member("provider@example.com")
    for args, path in ((["docx", "--revision", "1"], "revisions/1/export.docx"),
                       (["terms", "--revision", "2"], "revisions/2/terms.json"),
                       (["redline", "--from", "1", "--to", "2"], "redline/1-2.docx"),
                       (["signed"], "signed.docx")):
        output = tmp_path / "out"
        result = runner.invoke(args=["export", *args, "--agreement", str(demo), "-o", str(output)])
        assert result.exit_code == 0, result.output
        assert output.read_bytes() == client.get(f"/agreements/{demo}/{path}").get_data(), args
    missing = runner.invoke(args=["export", "docx", "--agreement", str(demo), "--revision", "9", "-o", str(tmp_path / "x")])
    assert missing.exit_code != 0 and "Revision 9 does not exist" in missing.output
    assert not (tmp_path / "x").exists()
    unsigned = runner.invoke(args=["export", "signed", "--agreement", "1", "-o", str(tmp_path / "y")])
    assert unsigned.exit_code != 0 and "exists once both sides signed" in unsigned.output


def test_redline_docx_accepts_to_the_newer_and_rejects_to_the_older_revision(app, demo, member):
    client = member("legal@example.com")
    data = client.get(f"/agreements/{demo}/redline/1-2.docx").get_data()
    body = body_of(data)
    assert clause_texts(accept_all(body)) == revision_texts(app, demo, 2)
    assert clause_texts(reject_all(body)) == revision_texts(app, demo, 1)
    # The whole document, paragraph by paragraph and cell by cell: title page, contents, tables.
    assert body_texts(accept_all(body)) == body_texts(body_of(client.get(f"/agreements/{demo}/revisions/2/export.docx")
                                                             .get_data()))
    assert body_texts(reject_all(body)) == body_texts(body_of(client.get(f"/agreements/{demo}/revisions/1/export.docx")
                                                             .get_data()))
    inserted = "".join(t.text for t in body.iter("{*}ins") for t in t.iter("{*}t"))
    assert HEBREW in inserted
    authors = {e.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}author") for e in body.iter("{*}ins")}
    assert "Jan Kowalski" in authors  # the client editor whose proposal made the change


def test_redline_docx_of_the_english_demo_carries_its_comments(app, demo, member):
    data = member("legal@example.com").get("/agreements/1/redline/1-3.docx").get_data()
    comments = part(data, "word/comments.xml")
    texts = ["".join(c.itertext()) for c in comments]
    assert any("ISO/IEC 20000-1" in t for t in texts)
    assert len(list(body_of(data).iter("{*}commentReference"))) == len(texts)


def test_terms_file_of_every_demo_agreement_validates_against_the_published_schema(app, demo, member):
    client = member("provider@example.com")
    schema = client.get("/schema/terms/v1.json")
    assert schema.status_code == 200 and schema.mimetype == "application/schema+json"
    validator = Draft202012Validator(schema.get_json())
    with app.app_context():
        latest = dict(db.session.execute(select(Revision.agreement_id, func.max(Revision.number)).group_by(Revision.agreement_id)).all())
    for agreement_id, number in latest.items():
        data = json.loads(client.get(f"/agreements/{agreement_id}/revisions/{number}/terms.json").get_data())
        assert list(validator.iter_errors(data)) == []
        assert data["agreement"]["id"] == agreement_id and data["revision"]["number"] == number
    executed = json.loads(client.get(f"/agreements/{demo}/revisions/2/terms.json").get_data())
    assert [s["name"] for s in executed["signatures"]] == ["Tomasz Nowak", "Olga Ivanova"]


def test_a_terms_file_exported_imported_and_exported_again_gives_the_same_terms(app, demo, member):
    client = member("provider@example.com")
    exported = client.get(f"/agreements/{demo}/revisions/2/terms.json").get_data()
    response = upload(client, "/import", exported)
    assert response.status_code == 302
    new_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    with app.app_context():
        imported = db.session.get(Agreement, new_id)
        assert imported.status == "draft" and imported.title == DEMO_TITLE_EXECUTED
    page = client.get(f"/agreements/{new_id}/revisions").get_data(as_text=True)
    assert client.post(f"/agreements/{new_id}/revisions", data={
        "csrf_token": csrf_token(client, f"/agreements/{new_id}/revisions"), "message": "Imported"}).status_code == 302, page
    again = json.loads(client.get(f"/agreements/{new_id}/revisions/1/terms.json").get_data())
    original = json.loads(exported)
    assert again["terms"] == original["terms"]
    assert again["sections"] == original["sections"]
    assert again["revision"]["sha256"] == original["revision"]["sha256"]


def test_an_invalid_terms_file_is_refused_with_every_pointer_and_nothing_is_created(app, demo, member, runner, tmp_path):
    client = member("provider@example.com")
    data = json.loads(client.get(f"/agreements/{demo}/revisions/2/terms.json").get_data())
    data["terms"]["costs"]["payment_due_days"] = "thirty"
    data["agreement"]["language"] = "xx"
    data["sections"][0]["clauses"][0]["sha256"] = "0" * 64
    raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Agreement))
    response = upload(client, "/import", raw)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for pointer in ("/terms/costs/payment_due_days", "/agreement/language", "/sections/0/clauses/0/sha256"):
        assert pointer in page
    assert upload(client, "/import", b"{not json").status_code == 422
    path = tmp_path / "bad.json"
    path.write_bytes(raw)
    result = runner.invoke(args=["import", "terms", str(path), "--owner", "provider@example.com"])
    assert result.exit_code != 0 and "/terms/costs/payment_due_days" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Agreement)) == before


def _docx_with(data: bytes, old: str, new: str) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "word/document.xml":
                changed = content.replace(old.encode("utf-8"), new.encode("utf-8"), 1)
                assert changed != content
                content = changed
            target.writestr(entry, content)
    return out.getvalue()


def test_verify_says_match_for_untouched_files_and_no_match_after_one_changed_character(app, demo, member, runner, tmp_path):
    client = member("signer@example.com")
    signed = client.get(f"/agreements/{demo}/signed.docx").get_data()
    terms = client.get(f"/agreements/{demo}/revisions/2/terms.json").get_data()
    anonymous = app.test_client()  # anyone holding a file may check it
    for data, name in ((signed, "signed.docx"), (terms, "terms.json")):
        page = upload(anonymous, "/verify", data, name).get_data(as_text=True)
        assert "Match." in page and "Olga Ivanova" in page and "Tomasz Nowak" in page
        path = tmp_path / name
        path.write_bytes(data)
        result = runner.invoke(args=["verify", str(path)])
        assert result.exit_code == 0 and result.output.startswith("Match:"), result.output

    tampered_text = _docx_with(signed, HEBREW, HEBREW.replace("י", "ו", 1))
    terms_data = json.loads(terms)
    terms_data["terms"]["costs"]["payment_due_days"] += 1
    clause = terms_data["sections"][0]["clauses"][0]
    clause["text"] = clause["text"].replace("e", "é", 1)
    for data, name in ((tampered_text, "signed.docx"),
                       (json.dumps(terms_data, ensure_ascii=False).encode("utf-8"), "terms.json")):
        page = upload(anonymous, "/verify", data, name).get_data(as_text=True)
        assert "No match." in page
        path = tmp_path / name
        path.write_bytes(data)
        result = runner.invoke(args=["verify", str(path)])
        assert result.exit_code == 1 and result.output.startswith("No match:"), result.output
    # Only the agreement's terms changed (views untouched): still no match.
    only_terms = json.loads(terms)
    only_terms["terms"]["costs"]["payment_due_days"] += 1
    path.write_bytes(json.dumps(only_terms, ensure_ascii=False).encode("utf-8"))
    assert runner.invoke(args=["verify", str(path)]).exit_code == 1


def test_verify_reports_an_audit_trail_edited_in_the_database(app, demo, member, runner, tmp_path):
    signed = member("signer@example.com").get(f"/agreements/{demo}/signed.docx").get_data()
    path = tmp_path / "signed.docx"
    path.write_bytes(signed)
    with app.app_context():
        first = db.session.scalar(select(func.min(AuditEvent.id)).where(AuditEvent.agreement_id == demo))
        db.session.execute(text("UPDATE audit_events SET ip = '203.0.113.9' WHERE id = :id"), {"id": first})
        db.session.commit()
    result = runner.invoke(args=["verify", str(path)])
    assert result.exit_code == 1 and "was changed after it was written" in result.output


def test_verify_refuses_files_it_cannot_read_without_unpacking_them(app):
    client = app.test_client()
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w") as archive:
        for index in range(300):
            archive.writestr(f"word/part{index}.xml", "<x/>")
    page = upload(client, "/verify", bomb.getvalue(), "bomb.docx").get_data(as_text=True)
    assert "unpacks to more than a Word document can hold" in page
    page = upload(client, "/verify", b"PK\x03\x04 not really a zip", "broken.docx").get_data(as_text=True)
    assert "not a readable Word file" in page
    page = upload(client, "/verify", "שלום".encode("utf-8"), "x.json").get_data(as_text=True)
    assert "No match." in page and "not a valid terms file" in page


def test_the_executed_text_is_the_draft_and_each_round_of_signatures_signs_its_own_hash(app, demo):
    with app.app_context():
        from authoring.models import Draft, Signature
        agreement = db.session.get(Agreement, demo)
        draft = Document.from_json(db.session.get(Draft, demo).document)
        rounds = {}
        for amendment, digest in db.session.execute(select(Signature.amendment_number, Signature.revision_hash)
                                                    .where(Signature.agreement_id == demo, Signature.voided_at.is_(None))):
            rounds.setdefault(amendment, set()).add(digest)
        original = db.session.scalar(select(Revision.hash).where(Revision.agreement_id == demo, Revision.number == 2))
        assert rounds == {0: {original}, 1: {db.session.get(Revision, agreement.executed_revision_id).hash}}
        assert rounds[1] == {draft.sha256()}


def _docx_with_part(data: bytes, name: str, change) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry)
            target.writestr(entry, change(content) if entry.filename == name else content)
    return out.getvalue()


def test_verify_sees_hidden_text_and_swapped_parts_though_the_words_are_the_same(app, demo, member, runner, tmp_path):
    signed = member("signer@example.com").get(f"/agreements/{demo}/signed.docx").get_data()
    hidden = _docx_with_part(signed, "word/document.xml",
                             lambda xml: xml.replace(b"<w:rPr>", b"<w:rPr><w:vanish/>", 3))
    swapped = _docx_with_part(signed, "_rels/.rels", lambda xml: xml.replace(b"word/document.xml", b"word/main.xml"))
    swapped = zipfile.ZipFile(io.BytesIO(swapped))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for entry in swapped.infolist():
            target.writestr(entry, swapped.read(entry))
        target.writestr("word/main.xml", swapped.read("word/document.xml").replace(HEBREW.encode(), b"nothing"))
    # Word opens the part the relationships name: the swapped-in text is what its reader sees.
    for data, why in ((hidden, r"Some of its text is formatted as hidden, so a reader does not see it\."),
                      (out.getvalue(), r"Clause \d+\.\d+ \(Confidentiality\) differs from the executed text: “…[^”]*nothing")):
        path = tmp_path / "forged.docx"
        path.write_bytes(data)
        result = runner.invoke(args=["verify", str(path)])
        assert result.exit_code == 1 and re.search(why, result.output), result.output
        assert "identical" not in result.output and "word/" not in result.output


def test_a_difference_is_described_without_quoting_the_signed_text(app, demo, member, runner, tmp_path):
    signed = member("signer@example.com").get(f"/agreements/{demo}/signed.docx").get_data()
    path = tmp_path / "changed.docx"
    path.write_bytes(_docx_with(signed, HEBREW, "XYZ"))
    result = runner.invoke(args=["verify", str(path)])
    assert result.exit_code == 1 and "XYZ" in result.output
    assert HEBREW not in result.output  # whoever holds only the hash learns nothing of the record's text


def test_verify_needs_both_sides_sealed_signatures_on_the_executed_revision(app, demo, member, runner, tmp_path):
    signed = member("signer@example.com").get(f"/agreements/{demo}/signed.docx").get_data()
    path = tmp_path / "signed.docx"
    path.write_bytes(signed)
    with app.app_context():
        db.session.execute(text("UPDATE signatures SET voided_at = signed_at WHERE side = 'client'"))
        db.session.commit()
    result = runner.invoke(args=["verify", str(path)])
    # Without both sides' valid signatures there is no executed version to match at all.
    assert result.exit_code == 1 and "does not match any executed agreement" in result.output


def test_oversized_ids_are_not_found_rather_than_errors(app, demo, member):
    signed = member("signer@example.com").get(f"/agreements/{demo}/signed.docx").get_data()
    huge = _docx_with_part(signed, "docProps/core.xml",
                           lambda xml: re.sub(rb"agreement:\d+:", b"agreement:99999999999999999999:", xml))
    page = upload(app.test_client(), "/verify", huge, "huge.docx")
    assert page.status_code == 200 and "does not match any executed agreement" in page.get_data(as_text=True)
    assert member("signer@example.com").get("/agreements/99999999999999999999/sign").status_code == 404


def test_control_characters_in_user_text_never_break_an_export(app, demo, member, runner, tmp_path):
    with app.app_context():
        db.session.execute(text("UPDATE agreements SET title = 'Evil\x0btitle\x01' WHERE id = 1"))
        db.session.commit()
    client = member("provider@example.com")
    for path in ("revisions/3/export.docx", "redline/1-3.docx", "revisions/3/terms.json"):
        response = client.get(f"/agreements/1/{path}")
        assert response.status_code == 200, path
    word = docx.Document(io.BytesIO(client.get("/agreements/1/revisions/3/export.docx").get_data()))
    assert word.core_properties.title == "Evil\ufffdtitle\ufffd"


def test_the_certificate_says_who_invited_each_signer_and_when(app, demo, member):
    client = member("signer@example.com")
    word = docx.Document(io.BytesIO(client.get(f"/agreements/{demo}/versions/0/signed.docx").get_data()))
    paragraphs = [p.text for p in word.paragraphs]
    heading = paragraphs.index("Signatories and who invited them")
    assert paragraphs.index("Certificate of completion") < heading < paragraphs.index("Events")
    provider, client_line = paragraphs[heading + 1], paragraphs[heading + 2]
    assert re.fullmatch(r"Provider: Tomasz Nowak <director@example\.com>: invited by Maria Santos "
                        r"<provider@example\.com> on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC; accepted the invitation "
                        r"on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", provider), provider
    assert client_line.startswith("Client: Olga Ivanova <signer@example.com>: invited by Jan Kowalski "
                                  "<client@example.com> on "), client_line


def test_a_signed_file_stays_verifiable_after_a_release_words_the_document_differently(app, demo, member, monkeypatch):
    """A later release renders other bytes (a corrected translation, say): the file downloaded before it,
    recorded as issued, still matches; a copy changed by one character still does not."""
    signed = member("signer@example.com").get(f"/agreements/{demo}/signed.docx").get_data()
    from authoring.signing import verify

    rendered_today = verify.executed_docx
    monkeypatch.setattr(verify, "executed_docx", lambda agreement, version=None: _docx_with(
        rendered_today(agreement, version), HEBREW, HEBREW + " "))  # today's wording differs by a space
    anonymous = app.test_client()
    page = upload(anonymous, "/verify", signed, "signed.docx").get_data(as_text=True)
    assert "Match." in page and "byte for byte" in page and "Olga Ivanova" in page

    tampered = _docx_with(signed, HEBREW, HEBREW.replace("י", "ו", 1))
    assert "No match." in upload(anonymous, "/verify", tampered, "signed.docx").get_data(as_text=True)
    # Only files actually handed out are recognised: one rendered but never downloaded is not.
    with app.app_context():
        never_issued = _docx_with(rendered_today(db.session.get(Agreement, demo)), HEBREW, HEBREW + "  ")
    assert "No match." in upload(anonymous, "/verify", never_issued, "signed.docx").get_data(as_text=True)
