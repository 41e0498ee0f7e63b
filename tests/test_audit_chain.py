"""The audit chain against an attacker with write access to the database but not AUDIT_KEY.

Each tampering is done by direct SQL, as such an attacker would, and must be reported by
the Activity page and by `flask audit verify --full`; checks from a checkpoint read a
bounded number of events; the Activity page pages.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event as orm_event, select, text

from authoring.audit import (
    CHECKPOINT_EVERY, CHECKPOINT_MAX_AGE, check_chain, checkpoint_mac, event_hash, head_mac, record,
)
from authoring.document.canonical import content_hash
from authoring.extensions import db
from authoring.models import Agreement, AuditCheckpoint, AuditEvent, AuditHead, User
from conftest import post_form

EVENTS = 8  # entries in the agreement's chain of the `chain` fixture


@pytest.fixture
def chain(app, make_user, make_agreement, login):
    """An agreement whose chain holds EVENTS entries, and a client of its owner, logged in."""
    owner = make_user("owner@example.com", name="Olga Owner")
    agreement_id = make_agreement(owner, title="Chained")
    with app.app_context():
        agreement, user = db.session.get(Agreement, agreement_id), db.session.get(User, owner.id)
        for number in range(2, EVENTS + 1):
            record("comment.added", actor=user, agreement=agreement, number=number)
        db.session.commit()
    client = login(app.test_client(), "owner@example.com")
    return agreement_id, client


def rows(agreement_id: int) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.agreement_id == agreement_id).order_by(AuditEvent.id)))


def by_seq(agreement_id: int, seq: int) -> int:
    return db.session.scalar(select(AuditEvent.id).where(AuditEvent.agreement_id == agreement_id, AuditEvent.seq == seq))


def sql(statement: str, **params) -> None:
    db.session.execute(text(statement), params)


def activity(client, agreement_id: int, **query) -> str:
    response = client.get(f"/agreements/{agreement_id}/activity", query_string=query)
    assert response.status_code == 200
    return " ".join(response.get_data(as_text=True).split())


def assert_reported(app, client, agreement_id: int, *sentences: str) -> None:
    """The Activity page and the full CLI check both report every sentence."""
    page = activity(client, agreement_id)
    assert "This log was tampered with" in page and "hash chain is intact" not in page
    for sentence in sentences:
        assert sentence in page, sentence
    result = app.test_cli_runner().invoke(args=["audit", "verify", "--full"])
    assert result.exit_code == 1, result.output
    assert f"Agreement {agreement_id}:" in result.output
    for sentence in sentences:
        assert sentence in result.output, sentence


def rehash(agreement_id: int, from_seq: int, formula) -> None:
    """Recompute every hash from entry `from_seq` on with `formula(event, prev)`, and point the head
    at the new end, as an attacker who edited an entry would to hide it."""
    previous = ""
    for event in rows(agreement_id):
        if event.seq >= from_seq:
            digest = formula(event, previous)
            sql("UPDATE audit_events SET prev_hash = :prev, hash = :hash WHERE id = :id",
                prev=previous, hash=digest, id=event.id)
            previous = digest
        else:
            previous = event.hash
    sql("UPDATE audit_heads SET hash = :hash WHERE chain = :chain", hash=previous, chain=agreement_id)


def _fields(event: AuditEvent, prev: str) -> dict:
    return {"chain": event.agreement_id, "seq": event.seq, "prev": prev, "actor": event.actor_id,
            "at": event.at.isoformat(), "ip": event.ip, "action": event.action, "details": event.details}


def unkeyed_sha256(event: AuditEvent, prev: str) -> str:
    return content_hash(_fields(event, prev))


def formula_of_0004(event: AuditEvent, prev: str) -> str:
    return content_hash({"prev": prev, "agreement": event.agreement_id, "actor": event.actor_id,
                         "at": event.at.isoformat(), "ip": event.ip, "action": event.action, "details": event.details})


def test_an_intact_chain_is_reported_intact(app, chain):
    agreement_id, client = chain
    assert "The log's hash chain is intact: all 8 entries were checked now." in activity(client, agreement_id)
    result = app.test_cli_runner().invoke(args=["audit", "verify", "--full"])
    assert result.exit_code == 0 and "all intact." in result.output, result.output


def test_an_edited_middle_event(app, chain):
    agreement_id, client = chain
    with app.app_context():
        sql("UPDATE audit_events SET details = :details WHERE id = :id", details='{"number": 99}', id=by_seq(agreement_id, 4))
        db.session.commit()
    assert_reported(app, client, agreement_id, "Entry 4 (comment added, ", "was changed after it was written")


@pytest.mark.parametrize("formula", [unkeyed_sha256, formula_of_0004], ids=["unkeyed-sha256", "formula-of-0004"])
def test_an_edit_with_every_later_hash_recomputed(app, chain, formula):
    agreement_id, client = chain
    with app.app_context():
        sql("UPDATE audit_events SET ip = '203.0.113.66' WHERE id = :id", id=by_seq(agreement_id, 3))
        db.session.commit()
        rehash(agreement_id, 3, formula)
        db.session.commit()
    assert_reported(app, client, agreement_id, "Entry 3 (comment added, ", "Entry 8 (comment added, ",
                    "was changed after it was written",
                    "The record of where this log ends was altered in the database")


def test_a_deleted_middle_event(app, chain):
    agreement_id, client = chain
    with app.app_context():
        sql("DELETE FROM audit_events WHERE id = :id", id=by_seq(agreement_id, 5))
        db.session.commit()
    assert_reported(app, client, agreement_id, "Entry 6 (comment added, ", "does not follow the entry before it: "
                    "entry 5 is missing")


@pytest.mark.parametrize("count", [1, 3])
def test_the_newest_events_deleted(app, chain, count):
    agreement_id, client = chain
    with app.app_context():
        sql("DELETE FROM audit_events WHERE agreement_id = :chain AND seq > :keep", chain=agreement_id, keep=EVENTS - count)
        db.session.commit()
    expected = ("The newest entry of this log (entry 8) was deleted" if count == 1
                else "The newest 3 entries of this log (entries 6 to 8) were deleted")
    assert_reported(app, client, agreement_id, expected)


def test_the_newest_events_deleted_stay_reported_after_new_activity(app, chain):
    agreement_id, client = chain
    with app.app_context():
        sql("DELETE FROM audit_events WHERE agreement_id = :chain AND seq > 6", chain=agreement_id)
        db.session.commit()
    # The app goes on writing: the new entry follows the head (8), so the hole stays visible.
    post_form_invite(client, agreement_id)
    assert_reported(app, client, agreement_id, "Entry 9 (invitation created, ", "entries 7 to 8 are missing")


def test_the_newest_events_and_the_head_deleted(app, chain):
    agreement_id, client = chain
    with app.app_context():
        sql("DELETE FROM audit_events WHERE agreement_id = :chain AND seq > 6", chain=agreement_id)
        sql("DELETE FROM audit_heads WHERE chain = :chain", chain=agreement_id)
        db.session.commit()
    assert_reported(app, client, agreement_id, "The record of where this log ends was deleted from the database")
    # The app does not quietly start a new head: it says in the chain that it found none.
    post_form_invite(client, agreement_id)
    assert_reported(app, client, agreement_id, "When entry 7 was written (",
                    "the record of where this log ended had been deleted or altered")


def post_form_invite(client, agreement_id: int) -> None:
    response = post_form(client, f"/agreements/{agreement_id}/invitations", {"side": "provider", "role": "viewer", "email": ""})
    assert response.status_code == 201


@pytest.mark.parametrize("where", ["middle", "end", "end-with-head"])
def test_a_forged_event_inserted(app, chain, where):
    agreement_id, client = chain
    with app.app_context():
        # A copy of a real entry, made to say something else; its hash cannot be made right without the key.
        source = by_seq(agreement_id, 4 if where == "middle" else EVENTS)
        seq = 5 if where == "middle" else EVENTS + 1
        sql("INSERT INTO audit_events (agreement_id, actor_id, at, ip, action, details, seq, prev_hash, hash) "
            "SELECT agreement_id, actor_id, at, ip, 'agreement.signed', details, :seq, hash, hash FROM audit_events "
            "WHERE id = :id", seq=seq, id=source)
        if where == "end-with-head":
            forged = db.session.scalar(select(AuditEvent.hash).where(AuditEvent.id == source))
            sql("UPDATE audit_heads SET seq = :seq, hash = :hash WHERE chain = :chain", seq=seq, hash=forged, chain=agreement_id)
        db.session.commit()
    expected = {"middle": "is out of order", "end": "stands after the end of this log (entry 8)",
                "end-with-head": "The record of where this log ends was altered"}[where]
    assert_reported(app, client, agreement_id, f"Entry {seq} (agreement signed, ", "was changed after it was written", expected)


def test_two_events_swapped_by_id(app, chain):
    agreement_id, client = chain
    with app.app_context():
        first, second = by_seq(agreement_id, 3), by_seq(agreement_id, 4)
        sql("UPDATE audit_events SET id = :tmp WHERE id = :id", tmp=-1, id=first)
        sql("UPDATE audit_events SET id = :new WHERE id = :id", new=first, id=second)
        sql("UPDATE audit_events SET id = :new WHERE id = :tmp", new=second, tmp=-1)
        db.session.commit()
    assert_reported(app, client, agreement_id, "Entry 3 (comment added, ", "is out of order: it stands after entry 4")


def test_two_events_swapped_in_time(app, chain):
    agreement_id, client = chain
    with app.app_context():
        first, second = by_seq(agreement_id, 2), by_seq(agreement_id, 6)
        sql("UPDATE audit_events SET at = (SELECT at FROM audit_events WHERE id = :other) WHERE id = :id", other=second, id=first)
        sql("UPDATE audit_events SET at = (SELECT at FROM audit_events WHERE id = :other) - INTERVAL '1 day' WHERE id = :id"
            if db.engine.dialect.name == "postgresql" else
            "UPDATE audit_events SET at = '2000-01-01 00:00:00.000000' WHERE id = :id", other=first, id=second)
        db.session.commit()
    assert_reported(app, client, agreement_id, "Entry 2 (comment added, ", "Entry 6 (comment added, ",
                    "was changed after it was written")


def test_everything_recomputed_with_a_wrong_key(app, chain):
    agreement_id, client = chain
    with app.app_context():
        key = app.config["AUDIT_KEY"]
        app.config["AUDIT_KEY"] = "a guess at the key"  # the attacker knows the formula, not the key
        try:
            sql("UPDATE audit_events SET ip = '203.0.113.7' WHERE id = :id", id=by_seq(agreement_id, 2))
            db.session.commit()
            rehash(agreement_id, 1, lambda event, prev: event_hash(AuditEvent(**{**_columns(event), "prev_hash": prev})))
            head = db.session.get(AuditHead, agreement_id)
            sql("UPDATE audit_heads SET mac = :mac WHERE chain = :chain", mac=head_mac(agreement_id, head.seq, head.hash),
                chain=agreement_id)
            db.session.commit()
        finally:
            app.config["AUDIT_KEY"] = key
    assert_reported(app, client, agreement_id, "Entry 1 (agreement created, ", "Entry 8 (comment added, ",
                    "was changed after it was written", "The record of where this log ends was altered")


def _columns(event: AuditEvent) -> dict:
    return {name: getattr(event, name) for name in ("agreement_id", "actor_id", "at", "ip", "action", "details", "seq")}


def test_a_checkpoint_moved_to_hide_an_edit(app, chain):
    agreement_id, client = chain
    with app.app_context():
        for number in range(CHECKPOINT_EVERY):
            record("comment.added", agreement=db.session.get(Agreement, agreement_id), number=number)
        db.session.commit()
    assert "checked in full up to" not in activity(client, agreement_id)  # it checked everything and left a checkpoint
    with app.app_context():
        sql("UPDATE audit_events SET ip = '203.0.113.8' WHERE id = :id", id=by_seq(agreement_id, EVENTS + CHECKPOINT_EVERY))
        # Move the checkpoint past the edit, so a check from it would not read the edited entry.
        sql("UPDATE audit_checkpoints SET seq = seq + 1, hash = :hash WHERE chain = :chain", chain=agreement_id,
            hash=db.session.scalar(select(AuditHead.hash).where(AuditHead.chain == agreement_id)))
        db.session.commit()
    assert_reported(app, client, agreement_id, f"The checkpoint of this log up to entry {EVENTS + CHECKPOINT_EVERY + 1} "
                    "was altered in the database; the whole log was checked instead.",
                    f"Entry {EVENTS + CHECKPOINT_EVERY} (comment added, ", "was changed after it was written")


def test_entries_older_than_the_checkpoint_deleted_or_edited(app, chain):
    agreement_id, client = chain
    result = app.test_cli_runner().invoke(args=["audit", "verify", "--full"])  # leaves a checkpoint at entry 8
    assert result.exit_code == 0, result.output
    with app.app_context():
        sql("DELETE FROM audit_events WHERE id = :id", id=by_seq(agreement_id, 2))
        db.session.commit()
    page = activity(client, agreement_id)
    assert "1 entry older than entry 8 (checked in full on " in page and "was deleted from the database since." in page
    with app.app_context():
        sql("INSERT INTO audit_events (agreement_id, actor_id, at, ip, action, details, seq, prev_hash, hash) "
            "SELECT agreement_id, actor_id, at, ip, action, details, 2, prev_hash, hash FROM audit_events WHERE id = :id",
            id=by_seq(agreement_id, 3))
        sql("UPDATE audit_events SET ip = '203.0.113.9' WHERE id = :id", id=by_seq(agreement_id, 4))
        db.session.commit()
    # Count restored, one entry forged and one edited before the checkpoint: a check from the
    # checkpoint does not read them, a full one does...
    assert "hash chain is intact" in activity(client, agreement_id)
    result = app.test_cli_runner().invoke(args=["audit", "verify", "--full"])
    assert result.exit_code == 1 and "Entry 4 (comment added, " in result.output, result.output
    # ...and so does the page, once its checkpoint is a day old.
    with app.app_context():
        checkpoint = db.session.scalar(select(AuditCheckpoint).where(AuditCheckpoint.chain == agreement_id))
        checkpoint.made_at -= CHECKPOINT_MAX_AGE + timedelta(minutes=1)
        checkpoint.mac = checkpoint_mac(checkpoint)  # the app's own seal: time passing, not tampering
        db.session.commit()
    assert_reported(app, client, agreement_id, "Entry 2 (comment added, ", "Entry 4 (comment added, ",
                    "was changed after it was written")


def test_the_chain_of_events_without_an_agreement(app, chain):
    with app.app_context():
        newest = db.session.scalar(select(AuditEvent.id).where(AuditEvent.agreement_id.is_(None)).order_by(AuditEvent.id.desc()))
        sql("DELETE FROM audit_events WHERE id = :id", id=newest)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "Events without an agreement:" in result.output
    assert "The newest entry of this log (entry 1) was deleted from the database." in result.output


def test_a_signed_document_verifies_against_the_full_chain(app, chain):
    agreement_id, _client = chain
    with app.app_context():
        assert check_chain(agreement_id, full=True, checkpoint_after=1).intact
        db.session.commit()
        sql("UPDATE audit_events SET ip = '203.0.113.10' WHERE id = :id", id=by_seq(agreement_id, 2))
        db.session.commit()
        from authoring.audit import verify_chain
        assert check_chain(agreement_id).intact  # from the checkpoint: the edit is older
        assert [(p.problem, p.seq) for p in verify_chain(agreement_id)] == [("edited", 2)]


def test_a_long_chain_is_checked_from_its_checkpoint_reading_few_events(app, chain):
    agreement_id, client = chain
    with app.app_context():
        agreement = db.session.get(Agreement, agreement_id)
        for number in range(CHECKPOINT_EVERY + 40):
            record("comment.added", agreement=agreement, number=number)
        db.session.commit()
    total = EVENTS + CHECKPOINT_EVERY + 40
    page = activity(client, agreement_id)  # the first check reads everything, then leaves a checkpoint
    assert f"all {total} entries were checked now" in page
    with app.app_context():
        agreement = db.session.get(Agreement, agreement_id)
        for number in range(3):
            record("comment.added", agreement=agreement, number=number)
        db.session.commit()
    loaded = []
    with app.app_context():
        listener = lambda target, _context: loaded.append(target.seq)  # noqa: E731
        orm_event.listen(AuditEvent, "load", listener)
        try:
            report = check_chain(agreement_id)
        finally:
            orm_event.remove(AuditEvent, "load", listener)
        assert report.intact and report.since.seq == total
        assert sorted(loaded) == [total, total + 1, total + 2, total + 3] and report.read == 4
    assert f"checked in full up to entry {total} on " in activity(client, agreement_id)


def test_the_activity_page_pages(app, chain):
    agreement_id, client = chain
    with app.app_context():
        agreement = db.session.get(Agreement, agreement_id)
        for number in range(250 - EVENTS):
            record("comment.added", agreement=agreement, number=number)
        db.session.commit()

    def numbers(page: str) -> list[int]:
        return [int(n) for n in re.findall(r"<tr>\s*<td>(\d+)</td>", page)]

    first = activity(client, agreement_id)
    assert numbers(first) == list(range(250, 150, -1))
    assert "Page 1 of 3: 100 of the 250 entries." in first
    assert f'href="/agreements/{agreement_id}/activity?page=2" rel="next"' in first and 'rel="prev"' not in first
    second = activity(client, agreement_id, page=2)
    assert numbers(second) == list(range(150, 50, -1))
    assert 'rel="prev"' in second and 'rel="next"' in second
    last = activity(client, agreement_id, page=3)
    assert numbers(last) == list(range(50, 0, -1)) and 'rel="next"' not in last
    # Past the end, or not a page number: the nearest page, never an error.
    assert numbers(activity(client, agreement_id, page="99999999999999999999999")) == numbers(last)
    assert numbers(activity(client, agreement_id, page="-4")) == numbers(first)
    assert numbers(activity(client, agreement_id, page="two")) == numbers(first)


def test_migration_0006_seals_old_chains_without_hiding_old_tampering(app, chain, make_user, make_agreement):
    agreement_id, client = chain
    other = make_agreement(make_user("second@example.com"), title="Untouched")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "downgrade", "0005"]).exit_code == 0
    with app.app_context():
        # The unkeyed chain of 0004, intact, and then tampered with before the upgrade.
        events = list(db.session.execute(text(
            "SELECT id, agreement_id, actor_id, at, ip, action, details, prev_hash, hash FROM audit_events "
            "WHERE agreement_id = :chain ORDER BY id"), {"chain": other}).mappings())
        assert events and events[0]["prev_hash"] == ""
        third = db.session.scalar(text("SELECT id FROM audit_events WHERE agreement_id = :chain ORDER BY id LIMIT 1 OFFSET 2"),
                                  {"chain": agreement_id})
        sql("UPDATE audit_events SET ip = '203.0.113.11' WHERE id = :id", id=third)
        db.session.commit()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    result = runner.invoke(args=["audit", "verify", "--full"])
    assert result.exit_code == 1, result.output
    assert f"Agreement {agreement_id}:" in result.output and f"Agreement {other}:" not in result.output
    assert "Entry 3 (comment added, " in result.output and "was changed after it was written" in result.output
    with app.app_context():
        assert [e.seq for e in rows(other)] == list(range(1, len(rows(other)) + 1))
        assert check_chain(other, full=True).intact
