"""Pages that would grow with history show their open items in full and the rest a page at a time;
the draft and the revisions of a long agreement a part at a time, its contents linking every clause; the Activity
page's chain check reads a bounded number of entries whatever the length of the log."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from conftest import post_form
from sqlalchemy import select

from authoring.audit import CHECKPOINT_EVERY, CHECKPOINT_MAX_AGE, check_chain, checkpoint_mac, record
from authoring.bench import synthetic_agreement
from authoring.document import Document
from authoring.extensions import db
from authoring.models import Agreement, AuditCheckpoint, AuditEvent, Comment, Proposal, Revision, User, utcnow
from authoring.negotiation.listing import ANSWERED_PER_PAGE, RESOLVED_PER_PAGE
from authoring.revisions.services import REVISIONS_PER_PAGE, draft_of

KEY = "general.confidentiality"


@pytest.fixture
def shared(app, make_user, make_agreement, add_member, login):
    """A shared agreement, an owner on each side; returns (agreement id, the provider owner's client)."""
    owner = make_user("owner@example.com", name="Olivia Owner")
    other = make_user("client@example.com", name="Carlos Client")
    agreement_id = make_agreement(owner)
    add_member(agreement_id, other, "client", "owner")
    client = login(app.test_client(), "owner@example.com")
    assert post_form(client, f"/agreements/{agreement_id}/share", {"message": "Draft for you"}).status_code == 302
    return agreement_id, client


def add_history(app, agreement_id: int, proposals: int, open_proposals: int, threads: int, open_threads: int,
                clause_key: str | None = None) -> None:
    """Proposals of new wording for KEY (the newest `open_proposals` open, the rest rejected) and threads with
    a reply on `clause_key` (None: the agreement; the newest `open_threads` unresolved), written directly."""
    with app.app_context():
        client = db.session.scalar(select(User).where(User.email == "client@example.com"))
        owner = db.session.scalar(select(User).where(User.email == "owner@example.com"))
        text = draft_of(db.session.get(Agreement, agreement_id))[1].clause(KEY).text
        for number in range(1, proposals + 1):
            status = "open" if number > proposals - open_proposals else "rejected"
            db.session.add(Proposal(agreement_id=agreement_id, number=number, author_id=client.id, side="client",
                                    kind="clause_text", target=KEY, base_hash="0" * 64, base_value=text,
                                    value=f"{text} Version {number}.", reason=f"Reason {number}", status=status,
                                    responded_by_id=owner.id if status != "open" else None,
                                    responded_at=utcnow() if status != "open" else None))
        for number in range(1, threads + 1):
            first = Comment(agreement_id=agreement_id, clause_key=clause_key, author_id=client.id, side="client",
                            body=f"Thread {number} opens here")
            if number <= threads - open_threads:
                first.resolved_at, first.resolved_by_id = utcnow(), owner.id
            db.session.add(first)
            db.session.flush()
            db.session.add(Comment(agreement_id=agreement_id, clause_key=clause_key, thread_id=first.id,
                                   author_id=owner.id, side="provider", body=f"Answer to thread {number}"))
        db.session.commit()


def proposal_numbers(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="proposal-(\d+)"', page)]


def thread_numbers(page: str) -> list[int]:
    return [int(n) for n in re.findall(r"Thread (\d+) opens here", page)]


def test_negotiation_page_shows_open_items_in_full_and_history_a_page_at_a_time(app, shared):
    agreement_id, client = shared
    answered = 2 * ANSWERED_PER_PAGE + 5
    resolved = RESOLVED_PER_PAGE + 3
    add_history(app, agreement_id, answered + 3, 3, resolved + 2, 2)
    url = f"/agreements/{agreement_id}/negotiation"

    page = client.get(url).get_data(as_text=True)
    opened, rest = page.split('id="answered"', 1)
    assert proposal_numbers(opened) == [answered + 1, answered + 2, answered + 3]  # open, oldest first
    assert proposal_numbers(rest) == list(range(answered, answered - ANSWERED_PER_PAGE, -1))  # newest answered
    assert f"Answered proposals ({answered})" in page
    assert f"Answered proposals 1 to {ANSWERED_PER_PAGE} of {answered}, newest first." in page
    assert f'href="/agreements/{agreement_id}/negotiation?answered=2#answered" rel="next"' in page
    # Open threads first (all of them), then the newest resolved ones, counted.
    assert thread_numbers(page) == [resolved + 1, resolved + 2, *range(resolved, resolved - RESOLVED_PER_PAGE, -1)]
    assert f"Resolved threads ({resolved})" in page

    # A page of each list; each link keeps the other list's page, and the asked-for page is unfolded.
    second = client.get(url, query_string={"answered": 2, "resolved": 2}).get_data(as_text=True)
    assert proposal_numbers(second.split('id="answered"', 1)[1]) == list(
        range(answered - ANSWERED_PER_PAGE, answered - 2 * ANSWERED_PER_PAGE, -1))
    assert thread_numbers(second)[2:] == list(range(resolved - RESOLVED_PER_PAGE, 0, -1))
    assert "<details open>" in second
    assert f'href="/agreements/{agreement_id}/negotiation?answered=3&amp;resolved=2#answered" rel="next"' in second
    assert f'href="/agreements/{agreement_id}/negotiation?answered=2&amp;resolved=1#resolved" rel="prev"' in second
    # Past the end or not a number: the nearest page, never an error.
    last = client.get(url, query_string={"answered": "99999999999999999999"}).get_data(as_text=True)
    assert proposal_numbers(last.split('id="answered"', 1)[1]) == [5, 4, 3, 2, 1]
    assert proposal_numbers(client.get(url, query_string={"answered": "x"}).get_data(as_text=True)) == \
        proposal_numbers(page)


def test_a_clause_page_pages_its_own_history(app, shared):
    agreement_id, client = shared
    add_history(app, agreement_id, ANSWERED_PER_PAGE + 4, 1, RESOLVED_PER_PAGE + 1, 1, clause_key=KEY)
    url = f"/agreements/{agreement_id}/clauses/{KEY}"
    page = client.get(url).get_data(as_text=True)
    opened, rest = page.split('id="answered"', 1)
    assert proposal_numbers(opened) == [ANSWERED_PER_PAGE + 4]
    assert len(proposal_numbers(rest)) == ANSWERED_PER_PAGE and f"Answered proposals ({ANSWERED_PER_PAGE + 3})" in page
    assert thread_numbers(page) == [RESOLVED_PER_PAGE + 1, *range(RESOLVED_PER_PAGE, 0, -1)]
    assert f'href="/agreements/{agreement_id}/clauses/{KEY}?answered=2#answered" rel="next"' in page
    older = client.get(url, query_string={"answered": 2}).get_data(as_text=True)
    assert proposal_numbers(older.split('id="answered"', 1)[1]) == [3, 2, 1]
    # The agreement's own page does not list them: they are this clause's.
    assert "Thread 1 opens here" not in client.get(f"/agreements/{agreement_id}/negotiation").get_data(as_text=True)


def test_the_revisions_page_pages_and_compares_any_two_by_number(app, shared):
    agreement_id, client = shared
    with app.app_context():
        first = db.session.scalar(select(Revision).where(Revision.agreement_id == agreement_id))
        for number in range(2, REVISIONS_PER_PAGE + 6):
            db.session.add(Revision(agreement_id=agreement_id, number=number, parent_id=first.id, author_id=first.author_id,
                                    side="provider", message=f"Round {number}", hash=first.hash, tree=first.tree,
                                    changes={"changed": 0, "added": 0, "removed": 0, "moved": 0, "terms": 0}))
        db.session.commit()
    newest = REVISIONS_PER_PAGE + 5
    page = client.get(f"/agreements/{agreement_id}/revisions").get_data(as_text=True)
    assert re.findall(r">Round (\d+)<", page)[:2] == [str(newest), str(newest - 1)]
    assert len(re.findall(r"<td dir=\"auto\">Round \d+</td>", page)) == REVISIONS_PER_PAGE
    assert f'<input type="number" id="from" name="from" min="1" max="{newest}" value="{newest - 1}"' in page
    assert f"Revisions 1 to {REVISIONS_PER_PAGE} of {newest}, newest first." in page
    second = client.get(f"/agreements/{agreement_id}/revisions?page=2").get_data(as_text=True)
    assert re.findall(r"<td dir=\"auto\">Round (\d+)</td>", second) == ["5", "4", "3", "2"]
    assert 'rel="prev"' in second and 'rel="next"' not in second


def contents_links(page: str) -> dict[str, str]:
    """Clause key -> the address the page's contents link it to ('' for the page itself)."""
    contents = re.search(r'<nav class="toc".*?</nav>', page, re.S).group(0)
    return {key: address for address, key in re.findall(r'href="([^"#]*)#clause-([^"]+)"', contents)}


def shown_clauses(page: str) -> list[str]:
    return re.findall(r'<div class="clause" id="clause-([^"]+)"', page)


def long_agreement(app, user_id: int, revision: str | None = None) -> tuple[int, int | None]:
    """A 320-clause agreement (the benchmark's synthetic text) owned by `user_id`, with a first revision
    saved under the message `revision` when given: (its id, the revision's number)."""
    from authoring.agreements.services import create_agreement
    from authoring.revisions.services import save_revision

    with app.test_request_context(method="POST"):
        user = db.session.get(User, user_id)
        agreement = create_agreement(user, title="Long", language="en", provider_name="P", client_name="C",
                                     document=Document.from_dict(synthetic_agreement(320)))
        number = save_revision(agreement, user, "provider", revision).number if revision else None
        return agreement.id, number


def test_a_long_draft_is_shown_a_part_at_a_time_with_contents_linking_every_clause(app, make_user, make_agreement, login):
    agreement_id, _none = long_agreement(app, make_user("owner@example.com").id)
    client = login(app.test_client(), "owner@example.com")
    url = f"/agreements/{agreement_id}"
    first = client.get(url).get_data(as_text=True)
    links = contents_links(first)
    assert len(links) == 320
    # The first part holds whole sections (ten clauses each) up to 150 clauses; the contents link the
    # others to the part that holds them.
    shown = shown_clauses(first)
    assert shown == [f"c{n:04d}" for n in range(1, 151)]
    assert all(links[key] == "" for key in shown)
    assert links["c0151"] == f"/agreements/{agreement_id}?page=2" and links["c0320"] == f"/agreements/{agreement_id}?page=3"
    assert "Part 1 of 3: clauses 1 to 150 of 320." in first
    third = client.get(links["c0320"]).get_data(as_text=True)
    assert shown_clauses(third)[-1] == "c0320"
    assert '<span class="num">32.</span>' in third  # numbered as in the whole document
    # A view of only some clauses shows them wherever they are; its contents still link each clause to its part.
    filtered = client.get(url, query_string={"show": "needs-my-answer"}).get_data(as_text=True)
    contents = re.search(r'<nav class="toc".*?</nav>', filtered, re.S).group(0)
    assert re.findall(r'href="([^"#]*)#clause-c0001"', contents) == [f"/agreements/{agreement_id}?page=1"]
    assert re.findall(r'href="([^"#]*)#clause-c0320"', contents) == [f"/agreements/{agreement_id}?page=3"]
    assert 'class="pagination"' not in filtered
    # Editing a clause comes back to the part that shows it.
    edit = client.get(f"{url}/clauses/c0200/edit").get_data(as_text=True)
    assert f'href="/agreements/{agreement_id}?page=2#clause-c0200"' in edit


def test_a_long_revision_and_the_review_step_show_a_part_at_a_time_with_contents_linking_every_clause(app, make_user, login):
    agreement_id, number = long_agreement(app, make_user("owner@example.com").id, "Long text, first revision")
    client = login(app.test_client(), "owner@example.com")
    url = f"/agreements/{agreement_id}/revisions/{number}"
    first = client.get(url).get_data(as_text=True)
    links = contents_links(first)
    assert len(links) == 320
    shown = shown_clauses(first)
    assert shown == [f"c{n:04d}" for n in range(1, 151)] and all(links[key] == "" for key in shown)
    assert links["c0151"] == f"{url}?page=2" and links["c0320"] == f"{url}?page=3"
    assert "Part 1 of 3: clauses 1 to 150 of 320." in first and 'aria-label="Parts of the revision"' in first
    third = client.get(links["c0320"]).get_data(as_text=True)
    assert shown_clauses(third)[-1] == "c0320"
    assert "Part 3 of 3: clauses 301 to 320 of 320." in third and "Revision 1" in third
    # A page past the last shows the last; a page that is not a number, the first.
    assert "Part 3 of 3" in client.get(url, query_string={"page": "99"}).get_data(as_text=True)
    assert "Part 1 of 3" in client.get(url, query_string={"page": "x"}).get_data(as_text=True)
    # The interview's review step shows the assembled text the same way.
    review_url = f"/agreements/{agreement_id}/interview/review"
    review = client.get(review_url).get_data(as_text=True)
    links = contents_links(review)
    assert len(links) == 320 and links["c0320"] == f"{review_url}?page=3"
    assert shown_clauses(review) == [f"c{n:04d}" for n in range(1, 151)]
    assert "Part 1 of 3: clauses 1 to 150 of 320." in review
    last = client.get(links["c0320"]).get_data(as_text=True)
    assert shown_clauses(last)[-1] == "c0320"


def test_a_short_draft_is_one_page_whose_contents_list_every_clause(app, make_user, make_agreement, login):
    owner = make_user("owner@example.com")
    agreement_id = make_agreement(owner)
    page = login(app.test_client(), "owner@example.com").get(f"/agreements/{agreement_id}").get_data(as_text=True)
    with app.app_context():
        keys = [c.key for c in draft_of(db.session.get(Agreement, agreement_id))[1].clauses()]
    contents = re.search(r'<nav class="toc".*?</nav>', page, re.S).group(0)
    assert re.findall(r'href="#clause-([^"]+)"', contents) == keys
    assert 'class="pagination"' not in page


def _chain(app, agreement_id: int, events: int) -> None:
    with app.app_context():
        agreement = db.session.get(Agreement, agreement_id)
        for number in range(events):
            record("comment.added", agreement=agreement, number=number)
        db.session.commit()


def _age_checkpoint(app, agreement_id: int) -> None:
    with app.app_context():
        checkpoint = db.session.scalar(select(AuditCheckpoint).where(AuditCheckpoint.chain == agreement_id)
                                       .order_by(AuditCheckpoint.seq.desc()))
        checkpoint.made_at -= CHECKPOINT_MAX_AGE + timedelta(minutes=1)
        checkpoint.mac = checkpoint_mac(checkpoint)  # the app's own seal: time passing, not tampering
        db.session.commit()


def test_a_day_old_checkpoint_is_read_again_in_slices_never_the_whole_log_at_once(app, make_user, make_agreement):
    agreement_id = make_agreement(make_user("owner@example.com"))
    _chain(app, agreement_id, 2 * CHECKPOINT_EVERY + 50)
    with app.app_context():
        assert check_chain(agreement_id, full=True, checkpoint_after=1).intact
        db.session.commit()
        length = db.session.scalar(select(AuditCheckpoint.seq).where(AuditCheckpoint.chain == agreement_id))
    _chain(app, agreement_id, 5)
    _age_checkpoint(app, agreement_id)
    slices = []
    with app.app_context():
        for _view in range(3):
            report = check_chain(agreement_id, bounded=True)
            db.session.commit()
            assert report.intact and report.read <= CHECKPOINT_EVERY + 1 + 6
            slices.append(report.swept)
        # Round: the whole log was read again since the first slice; the newest checkpoint is fresh again.
        newest = db.session.scalars(select(AuditCheckpoint).where(AuditCheckpoint.chain == agreement_id)
                                    .order_by(AuditCheckpoint.seq.desc())).first()
        assert newest.made_at > utcnow() - timedelta(minutes=5)
        assert check_chain(agreement_id, bounded=True).swept is None
    assert slices == [(1, CHECKPOINT_EVERY), (CHECKPOINT_EVERY, 2 * CHECKPOINT_EVERY), (2 * CHECKPOINT_EVERY, length)]


def test_an_old_edit_is_found_by_the_slice_that_reads_it(app, make_user, make_agreement, login):
    agreement_id = make_agreement(make_user("owner@example.com"))
    _chain(app, agreement_id, 2 * CHECKPOINT_EVERY)
    client = login(app.test_client(), "owner@example.com")
    assert "hash chain is intact" in client.get(f"/agreements/{agreement_id}/activity").get_data(as_text=True)
    edited = CHECKPOINT_EVERY + 20
    with app.app_context():
        db.session.execute(AuditEvent.__table__.update().where(AuditEvent.agreement_id == agreement_id,
                                                               AuditEvent.seq == edited).values(ip="203.0.113.12"))
        db.session.commit()
    _age_checkpoint(app, agreement_id)
    first = client.get(f"/agreements/{agreement_id}/activity").get_data(as_text=True)
    assert "hash chain is intact" in first  # the first slice (entries 1 to 200) is intact
    second = client.get(f"/agreements/{agreement_id}/activity").get_data(as_text=True)
    assert "This log was tampered with" in second and f"Entry {edited} (comment added, " in second
    # It stays reported: a slice with a problem is not passed.
    assert f"Entry {edited} (comment added, " in client.get(f"/agreements/{agreement_id}/activity").get_data(as_text=True)
