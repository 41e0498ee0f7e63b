"""The register (the dashboard): search, filters, sorting, paging, and a constant cost per page."""
from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from conftest import PASSWORD, post_form
from sqlalchemy import event, func, insert, select, text

from authoring.agreements.register import PER_PAGE, RegisterQuery, agreement_register, parse_register_query
from authoring.extensions import db
from authoring.models import Agreement, Membership, Proposal, Revision, Signature, utcnow

ROW_RE = re.compile(r'<tr data-agreement="(\d+)"')


def ids(response) -> list[int]:
    assert response.status_code == 200, response.status_code
    return [int(found) for found in ROW_RE.findall(response.get_data(as_text=True))]


def today() -> date:
    return utcnow().date()


@contextmanager
def counted_statements(app):
    """Count the SQL statements sent while the block runs."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


@contextmanager
def signed_in(app, user):
    """A test client logged in as `user` (its own cookies)."""
    client = app.test_client()
    response = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    yield client


def bulk_agreements(app, user, count: int, *, title: str = "Bulk agreement", side: str = "provider",
                    role: str = "owner", **columns) -> list[int]:
    """`count` agreements with `user` as a member, inserted in bulk in one transaction; their ids."""
    base = {"language": "en", "provider_name": "Provider Ltd", "client_name": "Client S.A.", "status": "draft",
            "created_by_id": user.id, "created_at": utcnow()}
    with app.app_context():
        new_ids = db.session.scalars(
            insert(Agreement).returning(Agreement.id, sort_by_parameter_order=True),
            [{**base, "title": f"{title} {n:05d}", **columns} for n in range(count)],
        ).all()
        db.session.execute(insert(Membership), [
            {"agreement_id": agreement_id, "user_id": user.id, "side": side, "role": role, "created_at": utcnow()}
            for agreement_id in new_ids])
        db.session.commit()
    return list(new_ids)


def _titled(app, user, title: str, *, side: str = "provider", role: str = "owner", **columns) -> int:
    """One agreement titled exactly `title`, `user` a member on `side` as `role`."""
    base = {"language": "en", "provider_name": "Provider Ltd", "client_name": "Client S.A.", "status": "draft"}
    with app.app_context():
        agreement = Agreement(title=title, created_by_id=user.id, **{**base, **columns})
        db.session.add(agreement)
        db.session.flush()
        db.session.add(Membership(agreement_id=agreement.id, user_id=user.id, side=side, role=role))
        db.session.commit()
        return agreement.id


def add_proposals(app, agreement_id: int, *sides_and_statuses: tuple[str, str]) -> None:
    with app.app_context():
        for number, (side, status) in enumerate(sides_and_statuses, start=1):
            db.session.add(Proposal(agreement_id=agreement_id, number=number, side=side, kind="term",
                                    target="services.availability_percent", base_hash="0" * 64, status=status))
        db.session.commit()


def add_signature(app, agreement_id: int, side: str, *, void: bool = False) -> None:
    with app.app_context():
        revision = Revision(agreement_id=agreement_id, number=1, message="For signature", hash="a" * 64, tree="{}")
        db.session.add(revision)
        db.session.flush()
        db.session.add(Signature(
            agreement_id=agreement_id, revision_id=revision.id, revision_number=1, revision_hash="a" * 64,
            email="s@example.com", side=side, organisation="Org", full_name="Sam Signer", job_title="Director",
            signed_at=utcnow(), consent_text="I agree", mac="0" * 64, voided_at=utcnow() if void else None))
        db.session.commit()


# Cost per page ---------------------------------------------------------------------------

def test_a_page_costs_the_same_statements_for_10_and_10000_agreements(app, make_user):
    many, few = make_user("many@example.com"), make_user("few@example.com")
    many_ids = bulk_agreements(app, many, 10_000, client_name="Globex Łódź", next_review_on=today() + timedelta(days=40))
    few_ids = bulk_agreements(app, few, 10, client_name="Globex Łódź", next_review_on=today() + timedelta(days=40))
    add_proposals(app, many_ids[0], ("client", "open"), ("client", "open"))
    add_proposals(app, few_ids[0], ("client", "open"))

    paths = ("/agreements", "/agreements?q=globex%20%C5%81%C3%B3d%C5%BA&status=draft&attention=1&sort=title&dir=desc",
             "/agreements?sort=ends&dir=desc&page=2")
    with signed_in(app, many) as many_client, signed_in(app, few) as few_client:
        for path in paths:
            with counted_statements(app) as big:
                big_page = many_client.get(path)
            with counted_statements(app) as small:
                small_page = few_client.get(path)
            assert len(big) == len(small), (path, big, small)
            assert len(big) <= 5, big  # the signed-in user, count, page, grouped facts (and BEGIN on SQLite)
            assert big_page.status_code == small_page.status_code == 200
        first_big, first_small = many_client.get("/agreements"), few_client.get("/agreements")
    assert len(ids(first_big)) == PER_PAGE and len(ids(first_small)) == 10
    assert "Showing 1–25 of 10,000 agreements." in first_big.get_data(as_text=True)
    assert "Showing 1–10 of 10 agreements." in first_small.get_data(as_text=True)
    # Of the 10,000, only the one with proposals awaiting the user's side needs attention.
    with signed_in(app, many) as many_client:
        attention = many_client.get("/agreements?attention=1")
        assert ids(attention) == [many_ids[0]]
        assert "Showing 1–1 of 1 agreement matching" in attention.get_data(as_text=True)


# Search ------------------------------------------------------------------------------------

def test_search_finds_title_and_counterparty_whatever_the_case_or_script(app, client, make_user, login):
    me = make_user("me@example.com")
    lodz = _titled(app, me, "Umowa serwisowa — ŁÓDŹ")
    hebrew = _titled(app, me, "הסכם שירותי ענן")
    zabka = _titled(app, me, "Support", client_name="ŻABKA Polska")
    arzte = _titled(app, me, "Hosting", side="client", role="editor", provider_name="ÄRZTE GmbH", client_name="Mine AG")
    percent = _titled(app, me, "Uptime 100% guaranteed")
    thousand = _titled(app, me, "1000 hours of support")
    login(client, "me@example.com")

    def search(text: str) -> set[int]:
        return set(ids(client.get("/agreements", query_string={"q": text})))

    assert search("łódź") == search("ŁÓDŹ") == search("  Łódź ") == {lodz}
    assert search("שירותי") == {hebrew}
    assert search("żabka") == {zabka}  # the counterparty when I am on the provider side
    assert search("ärzte") == {arzte}  # the counterparty when I am on the client side
    assert search("mine ag") == set()  # my own side's organisation is not the counterparty
    assert search("100%") == {percent}  # % and _ are literal
    assert search("1_0") == set()
    assert search("SUPPORT") == {zabka, thousand}
    assert search("nothing like this") == set()
    assert "No agreement matches your search and filters." in client.get("/agreements?q=nothing").get_data(as_text=True)


# Filters -------------------------------------------------------------------------------------

def test_status_filter_takes_any_of_the_statuses(app, client, make_user, login):
    me = make_user("st@example.com")
    draft = _titled(app, me, "Draft one")
    negotiating = _titled(app, me, "Negotiating one", status="negotiating")
    executed = _titled(app, me, "Executed one", status="executed")
    login(client, "st@example.com")
    assert set(ids(client.get("/agreements?status=executed"))) == {executed}
    assert set(ids(client.get("/agreements?status=draft&status=executed"))) == {draft, executed}
    assert set(ids(client.get("/agreements"))) == {draft, negotiating, executed}
    page = client.get("/agreements?status=negotiating").get_data(as_text=True)
    assert 'value="negotiating" checked' in page and 'value="draft" checked' not in page


def test_needs_my_attention_filter_covers_each_reason(app, client, make_user, login):
    me, day = make_user("att@example.com"), today()
    proposals = _titled(app, me, "Other side proposed")
    add_proposals(app, proposals, ("client", "open"), ("client", "open"), ("provider", "open"), ("client", "rejected"))
    mine_only = _titled(app, me, "Only my side proposed")
    add_proposals(app, mine_only, ("provider", "open"), ("client", "accepted"))
    as_client = _titled(app, me, "Provider proposed to me", side="client", role="editor")
    add_proposals(app, as_client, ("provider", "open"))
    review_soon = _titled(app, me, "Review soon", status="executed", next_review_on=day + timedelta(days=14))
    review_later = _titled(app, me, "Review later", status="executed", next_review_on=day + timedelta(days=15))
    review_overdue = _titled(app, me, "Review overdue", status="executed", next_review_on=day - timedelta(days=3))
    review_expired = _titled(app, me, "Expired, old review", status="expired", next_review_on=day - timedelta(days=3))
    renewal_open = _titled(app, me, "Renewal open", status="executed", renewal_opens_on=day - timedelta(days=1),
                           ends_on=day + timedelta(days=29))
    renewal_ends_today = _titled(app, me, "Renewal ends today", status="executed", renewal_opens_on=day - timedelta(days=30),
                                 ends_on=day)
    renewal_later = _titled(app, me, "Renewal later", status="executed", renewal_opens_on=day + timedelta(days=5),
                            ends_on=day + timedelta(days=35))
    unsigned = _titled(app, me, "Awaiting my signature", status="signing", role="signatory")
    add_signature(app, unsigned, "client")  # the other side signed; mine has not
    signed = _titled(app, me, "My side signed", status="signing", role="signatory")
    add_signature(app, signed, "provider")
    voided = _titled(app, me, "My side's signature voided", status="signing", role="signatory")
    add_signature(app, voided, "provider", void=True)
    not_signatory = _titled(app, me, "Signing, I only edit", status="signing", role="editor")
    _titled(app, me, "Quiet")
    login(client, "att@example.com")

    expected = {proposals, as_client, review_soon, review_overdue, renewal_open, renewal_ends_today, unsigned, voided}
    response = client.get("/agreements?attention=1")
    assert set(ids(response)) == expected
    assert not {mine_only, review_later, review_expired, renewal_later, signed, not_signatory} & set(ids(response))
    page = response.get_data(as_text=True)
    assert f'<tr data-agreement="{proposals}" class="needs-attention">' in page
    assert '<td class="num-cell"><strong>2</strong></td>' in page  # two open proposals from the other side
    assert page.count("your signature awaited") == 2
    # Without the filter, the counts and flags are still shown, and only on the rows they belong to.
    with app.app_context():
        rows = {row.agreement_id: row for row in agreement_register(me.id, RegisterQuery(), day).rows}
    assert (rows[proposals].proposals_awaiting, rows[mine_only].proposals_awaiting, rows[as_client].proposals_awaiting) == (2, 0, 1)
    assert rows[review_soon].review_due and not rows[review_later].review_due and not rows[review_expired].review_due
    assert rows[renewal_open].renewal_open and not rows[renewal_later].renewal_open
    assert rows[unsigned].signature_awaited and not rows[signed].signature_awaited and not rows[not_signatory].signature_awaited
    assert {row_id for row_id, row in rows.items() if row.needs_attention} == expected


# Sorting ---------------------------------------------------------------------------------------

def test_each_sort_order_puts_missing_dates_last(app, client, make_user, login):
    me, day = make_user("sort@example.com"), date(2030, 1, 1)
    dates = [day + timedelta(days=n) for n in range(3)]
    a = _titled(app, me, "beta", effective_on=dates[1], ends_on=dates[0], next_review_on=dates[2], renewal_opens_on=dates[1])
    b = _titled(app, me, "Alpha", effective_on=dates[0], ends_on=dates[2], next_review_on=dates[1], renewal_opens_on=dates[0])
    c = _titled(app, me, "gamma", effective_on=dates[2], ends_on=dates[1], next_review_on=dates[0], renewal_opens_on=dates[2])
    undated = _titled(app, me, "Delta")
    login(client, "sort@example.com")
    expected = {
        "title": [b, a, undated, c],
        "effective": [b, a, c, undated],
        "ends": [a, c, b, undated],
        "review": [c, b, a, undated],
        "renewal": [b, a, c, undated],
    }
    for sort, ascending in expected.items():
        assert ids(client.get(f"/agreements?sort={sort}")) == ascending, sort
        assert ids(client.get(f"/agreements?sort={sort}&dir=asc")) == ascending, sort
        descending = ascending[::-1] if sort == "title" else ascending[-2::-1] + [undated]
        response = client.get(f"/agreements?sort={sort}&dir=desc")
        assert ids(response) == descending, sort
        assert response.get_data(as_text=True).count('aria-sort="descending"') == 1
    assert ids(client.get("/agreements")) == expected["review"]  # the default: next review first


def test_a_member_of_many_is_sorted_and_filtered_as_a_member_of_few(app, make_user):
    """A member of most agreements has their page read by walking the sort index (SQLite), or a search's
    page from the search table (PostgreSQL): the rows, order and count are those of sorting in Python,
    for every sort, both directions, a filter, searches and page 3."""
    many, few = make_user("walk@example.com"), make_user("few-walk@example.com")
    start = today() - timedelta(days=500)
    rows = []
    for n in range(300):
        dated = {"effective_on": start + timedelta(days=(n * 37) % 400), "ends_on": start + timedelta(days=(n * 53) % 700),
                 "next_review_on": start + timedelta(days=(n * 11) % 90), "renewal_opens_on": start + timedelta(days=n)}
        rows += bulk_agreements(app, many, 1, title=f"{'Żuraw' if n % 3 else 'alpha'} {(n * 7) % 100:03d}",
                                status=("draft", "executed", "signing")[n % 3],
                                **{key: (None if n % (5 + i) == 0 else value) for i, (key, value) in enumerate(dated.items())})
    bulk_agreements(app, few, 1)
    with app.app_context():
        agreements = {a.id: a for a in db.session.scalars(select(Agreement).where(Agreement.id.in_(rows)))}

    def expected(sort: str, descending: bool, statuses=(), search="") -> list[int]:
        column = {"title": "title", "effective": "effective_on", "ends": "ends_on", "review": "next_review_on",
                  "renewal": "renewal_opens_on"}[sort]
        kept = [a for a in agreements.values() if (not statuses or a.status in statuses)
                and search.casefold() in a.title.casefold()]
        dated = [a for a in kept if getattr(a, column) is not None]
        undated = sorted((a for a in kept if getattr(a, column) is None), key=lambda a: a.id, reverse=descending)
        key = (lambda a: (a.title.casefold(), a.id)) if sort == "title" else (lambda a: (getattr(a, column), a.id))
        return [a.id for a in sorted(dated, key=key, reverse=descending) + undated]

    with app.app_context():
        for sort in ("title", "effective", "ends", "review", "renewal"):
            for descending in (False, True):
                # The searches: one the index answers alone (PostgreSQL: the page read from it), one with a
                # status as well, and a page past the last (clamped to it).
                for statuses, page, search in (((), 1, ""), ((), 3, ""), (("signing", "executed"), 2, ""),
                                               ((), 2, "ŻURAW"), (("executed",), 1, "żuraw 0"), ((), 99, "Żuraw")):
                    query = RegisterQuery(sort=sort, descending=descending, statuses=statuses, page=page, search=search)
                    found = agreement_register(many.id, query, today())
                    want = expected(sort, descending, statuses, search)
                    page = found.query.page
                    assert found.total == len(want) and page == min(query.page, max(1, -(-len(want) // PER_PAGE)))
                    assert [row.agreement_id for row in found.rows] == want[(page - 1) * PER_PAGE:page * PER_PAGE], \
                        (sort, descending, statuses, page, search)


# Paging -----------------------------------------------------------------------------------------

def test_pages_hold_25_rows_and_their_links_keep_the_query(app, client, make_user, login):
    me = make_user("page@example.com")
    matching = bulk_agreements(app, me, 60, title="Cloud hosting")
    bulk_agreements(app, me, 5, title="Other work")
    login(client, "page@example.com")
    seen = []
    for number, size in ((1, 25), (2, 25), (3, 10)):
        response = client.get(f"/agreements?q=cloud&status=draft&sort=title&page={number}")
        page = response.get_data(as_text=True)
        assert len(ids(response)) == size
        seen += ids(response)
        assert "of 60 agreements matching" in page
        assert '<nav class="pagination" aria-label="Pages of the register">' in page
        assert re.search(rf'href="/agreements\?q=cloud&amp;status=draft&amp;sort=title(&amp;page={number})?" aria-current="page"', page)
    assert sorted(seen) == sorted(matching)  # every row once, none twice
    assert 'href="/agreements?q=cloud&amp;status=draft&amp;sort=title&amp;page=2" rel="next"' in \
        client.get("/agreements?q=cloud&status=draft&sort=title").get_data(as_text=True)
    beyond = client.get("/agreements?q=cloud&status=draft&sort=title&page=99")
    assert len(ids(beyond)) == 10
    assert "There is no page 99; showing page 3 of 3." in beyond.get_data(as_text=True)
    assert "pagination" not in client.get("/agreements?q=other").get_data(as_text=True)


# Bad parameters ---------------------------------------------------------------------------------

def test_bad_parameters_fall_back_with_a_message_never_an_error(app, client, make_user, login):
    me = make_user("bad@example.com")
    mine = _titled(app, me, "Mine")
    login(client, "bad@example.com")
    cases = {
        "status=hacked": "“hacked” is not a status; it was ignored.",
        "sort=__class__": "cannot be sorted by “__class__”",
        "dir=sideways": "The order is ascending or descending",
        "page=abc": "“abc” is not a page number",
        "page=0": "“0” is not a page number",
        "page=-1": "“-1” is not a page number",
        "page=1.5": "“1.5” is not a page number",
        "page=%D9%A1": "is not a page number",  # an Arabic-Indic digit
        "page=99999999999999999999": "is not a page number",
        "page=999999999": "There is no page 999999999; showing page 1 of 1.",
        "attention=maybe": "“Needs my attention” takes yes or no",
        "q=" + "x" * 300: "The search was shortened to its first 200 characters.",
    }
    for query, message in cases.items():
        response = client.get(f"/agreements?{query}")
        assert response.status_code == 200, query
        assert message in response.get_data(as_text=True), query
        assert ids(response) == ([] if query.startswith("q=") else [mine]), query
    for harmless in ("q=%00Mi%00ne", "q=mine&q=nothing", "sort=title&sort=nope", "status=&status=draft", "attention=0"):
        response = client.get(f"/agreements?{harmless}")
        assert ids(response) == [mine], harmless
        assert 'class="alert alert-info"' not in response.get_data(as_text=True), harmless


def test_parse_register_query_names_what_it_ignored():
    query, problems = parse_register_query({"q": [" Łódź "], "status": ["executed", "draft", "nope"], "attention": ["on"],
                                            "sort": ["ends"], "dir": ["desc"], "page": ["3"]})
    assert query == RegisterQuery("Łódź", ("draft", "executed"), True, "ends", True, 3)
    assert problems == ["“nope” is not a status; it was ignored. Choose among the statuses listed."]
    assert query.args(page=1) == {"q": "Łódź", "status": ["draft", "executed"], "attention": "1", "sort": "ends", "dir": "desc"}
    assert parse_register_query({}) == (RegisterQuery(), [])
    # A decomposed "ó" (o + combining acute) is searched as the composed letter titles hold.
    assert parse_register_query({"q": ["Lo\u0301dz"]})[0].search == "Lódz"


# Privacy ----------------------------------------------------------------------------------------

def test_someone_elses_agreements_never_appear(app, client, make_user, login):
    me, other = make_user("me2@example.com"), make_user("other2@example.com")
    mine = _titled(app, me, "Shared name")
    theirs = _titled(app, other, "Shared name", status="signing", role="signatory", next_review_on=today(),
                      renewal_opens_on=today(), ends_on=today() + timedelta(days=5))
    add_proposals(app, theirs, ("client", "open"))
    both = _titled(app, other, "Both of us", client_name="Client Of Both")
    with app.app_context():
        db.session.add(Membership(agreement_id=both, user_id=me.id, side="client", role="viewer"))
        db.session.commit()
    login(client, "me2@example.com")
    for query in ("", "?q=shared", "?attention=1", "?status=signing", "?sort=review&dir=desc", "?q=client"):
        response = client.get(f"/agreements{query}")
        assert theirs not in ids(response), query
    assert set(ids(client.get("/agreements"))) == {mine, both}
    assert "of 2 agreements" in client.get("/agreements").get_data(as_text=True)
    # On the shared agreement I am the client: my counterparty is the provider, and searching my own
    # organisation's name does not find it.
    page = client.get("/agreements?q=provider%20ltd").get_data(as_text=True)
    assert ids(client.get("/agreements?q=provider%20ltd")) == [both]
    assert "<td>client</td>" in page and "<td>viewer</td>" in page
    assert ids(client.get("/agreements?q=client%20of%20both")) == []


# Accessibility ----------------------------------------------------------------------------------

def test_the_register_is_a_labelled_form_and_a_table_with_header_scopes(app, client, make_user, login):
    me = make_user("a11y@example.com")
    bulk_agreements(app, me, 30)
    login(client, "a11y@example.com")
    page = client.get("/agreements?sort=renewal").get_data(as_text=True)
    start = page.index('<form class="card register-filters" method="get"')
    form = page[start:page.index("</form>", start)]
    for control in re.findall(r'<(?:input|select)[^>]*id="([^"]+)"', form):
        assert f'<label for="{control}">' in form, control
    assert form.count('<label class="check"><input type="checkbox"') == 9  # 8 statuses and "needs my attention"
    assert "<legend>Status" in form
    headers = re.findall(r"<th( [^>]*)?>", page)
    assert headers and all('scope="col"' in attributes for attributes in headers)
    assert re.search(r'<th scope="col" aria-sort="ascending">\s*<a class="sort-link" href="[^"]*">Renewal window', page)
    assert page.count("aria-sort=") == 1
    assert '<nav class="pagination" aria-label="Pages of the register">' in page
    assert "<caption" in page


def test_search_index_follows_every_write_and_folds_as_the_scan_does(app, client, make_user, login, backend):
    """The text index (SQLite: FTS5 kept by triggers) answers as the scan did: after a rename, a new
    counterparty and a deletion, with the scan's case folding, and below 3 characters."""
    me = make_user("index@example.com")
    strasse = _titled(app, me, "Wartungsvertrag Hauptstraße", client_name="Łódź Serwis")
    sofos = _titled(app, me, "Hosting", side="client", provider_name="ΣΟΦΟΣ Ltd", client_name="Mine AG")
    login(client, "index@example.com")

    def search(text: str) -> set[int]:
        return set(ids(client.get("/agreements", query_string={"q": text})))

    if backend == "sqlite":  # str.casefold: ß is ss, a final sigma a sigma
        assert search("HAUPTSTRASSE") == {strasse}
        assert search("σοφος") == {sofos}
    else:  # ILIKE: one letter for one
        assert search("HAUPTSTRAßE") == {strasse}
        assert search("σοφοσ") == {sofos}
    assert search("łó") == {strasse}  # too short for trigrams: the scan answers
    assert search("mine ag") == set()  # still my own side's name, not the counterparty
    with app.app_context():
        agreement = db.session.get(Agreement, strasse)
        agreement.title, agreement.client_name = "Umowa serwisowa", "Gdańsk Hosting"
        db.session.commit()
    assert search("hauptstraße") == search("łódź") == set()
    assert search("umowa serwisowa") == search("GDAŃSK") == {strasse}
    with app.app_context():
        db.session.delete(db.session.get(Agreement, sofos))
        db.session.commit()
    assert search("ΣΟΦΟΣ") == set() and search("hosting") == {strasse}


def test_migration_indexes_the_agreements_already_there(app, client, make_user, login):
    """Agreements written before migration 0019 are found through the index it builds, and counted."""
    from authoring import schema

    me = make_user("before@example.com")
    with app.app_context():
        schema.downgrade("0018")
    older = _titled(app, me, "Contrato de soporte — Málaga", client_name="Peñalver y Asociados S.L.")
    with app.app_context():
        schema.upgrade()
    login(client, "before@example.com")
    assert set(ids(client.get("/agreements", query_string={"q": "MÁLAGA"}))) == {older}
    assert set(ids(client.get("/agreements", query_string={"q": "peñalver"}))) == {older}
    newer = _titled(app, me, "Contrato nuevo — Málaga")
    assert set(ids(client.get("/agreements", query_string={"q": "málaga"}))) == {older, newer}
    # and counted (the counts the migrations fill from the memberships already there)
    everything = client.get("/agreements")
    assert set(ids(everything)) == {older, newer} and "of 2 agreements" in everything.get_data(as_text=True)


def test_totals_and_search_follow_status_membership_and_deletion(app, make_user):
    """The totals (counts kept by triggers; on PostgreSQL the search table too) follow each write: a status
    change, a membership added, moved to the other side or removed, an agreement deleted."""
    me, other = make_user("totals@example.com"), make_user("other-totals@example.com")
    first = _titled(app, me, "First", status="draft", client_name="Northwind Ltd")
    second = _titled(app, me, "Second", status="draft")
    third = _titled(app, me, "Third", status="executed")
    theirs = _titled(app, other, "Theirs", status="draft", provider_name="Northwind Ltd")

    def total(**asked) -> int:
        with app.app_context():
            return agreement_register(me.id, RegisterQuery(**asked), today()).total

    assert (total(), total(statuses=("draft",)), total(search="northwind")) == (3, 2, 1)
    with app.app_context():
        db.session.get(Agreement, second).status = "executed"
        db.session.add(Membership(agreement_id=theirs, user_id=me.id, side="client", role="viewer"))
        db.session.execute(Membership.__table__.delete().where(Membership.agreement_id == third))
        db.session.commit()
    assert (total(), total(statuses=("draft",)), total(statuses=("executed",))) == (3, 2, 1)
    assert total(search="northwind") == 2  # the provider is the counterparty of my client side
    with app.app_context():
        membership = db.session.scalar(select(Membership).where(Membership.agreement_id == theirs,
                                                                Membership.user_id == me.id))
        membership.side = "provider"  # now the client is my counterparty
        db.session.commit()
    assert total(search="northwind") == 1
    with app.app_context():
        db.session.delete(db.session.get(Agreement, first))
        db.session.commit()
    assert (total(), total(statuses=("draft",)), total(search="northwind")) == (2, 1, 0)
    with app.app_context():  # deleted by a statement, not the ORM: the agreement goes before its memberships
        db.session.execute(Agreement.__table__.delete().where(Agreement.id == second))
        db.session.commit()
    assert (total(), total(statuses=("executed",)), total(statuses=("draft",))) == (1, 0, 1)


def test_a_member_deleted_from_the_database_takes_their_memberships_and_counts(app, make_user):
    """Deleting a user cascades to their memberships; the counts neither refuse it nor keep them."""
    owner, leaving = make_user("stays@example.com"), make_user("leaves@example.com")
    agreement = _titled(app, owner, "Shared", status="negotiating")
    with app.app_context():
        db.session.add(Membership(agreement_id=agreement, user_id=leaving.id, side="client", role="viewer"))
        db.session.commit()
        assert agreement_register(leaving.id, RegisterQuery(), today()).total == 1
        db.session.execute(text("DELETE FROM users WHERE id = :id"), {"id": leaving.id})
        db.session.commit()
        assert agreement_register(leaving.id, RegisterQuery(), today()).total == 0
        assert agreement_register(owner.id, RegisterQuery(search="shar"), today()).total == 1
        assert db.session.scalar(select(func.count()).select_from(Membership).where(
            Membership.agreement_id == agreement)) == 1


def test_a_search_that_finds_nothing_says_so(app, make_user):
    me = make_user("nothing@example.com")
    _titled(app, me, "Hosting")
    with app.app_context():
        page = agreement_register(me.id, RegisterQuery(search="zzzq"), today())
    assert (page.total, page.rows, page.query.page) == (0, [], 1)


def test_a_membership_added_while_the_agreement_changes_status_is_counted_under_the_new_one(app, make_user):
    """PostgreSQL's counts and search rows (triggers) read the agreement FOR SHARE: a membership added while
    another transaction changes the agreement waits for it, and is kept under the status and title it gets."""
    import threading

    owner, joining = make_user("changes@example.com"), make_user("joins@example.com")
    agreement = _titled(app, owner, "Old title", status="executed")
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite takes one writer at a time: no transaction sees another's uncommitted status")
        changing = db.engine.connect()
        transaction = changing.begin()
        changing.execute(Agreement.__table__.update().where(Agreement.id == agreement)
                         .values(status="expired", title="New title"))

        def join():
            with app.app_context(), db.engine.begin() as connection:
                connection.execute(insert(Membership).values(agreement_id=agreement, user_id=joining.id,
                                                             side="client", role="viewer", created_at=utcnow()))

        joiner = threading.Thread(target=join)
        joiner.start()
        joiner.join(0.5)
        assert joiner.is_alive()  # waiting for the status change
        transaction.commit()
        changing.close()
        joiner.join(10)
        assert not joiner.is_alive()
        assert agreement_register(joining.id, RegisterQuery(statuses=("expired",)), today()).total == 1
        assert agreement_register(joining.id, RegisterQuery(statuses=("executed",)), today()).total == 0
        assert agreement_register(joining.id, RegisterQuery(search="new title"), today()).total == 1


def test_counts_equal_a_recount_after_any_mix_of_writes(app, make_user):
    """register_counts (triggers, both databases) against a count of the memberships themselves, after each of
    200 random writes: memberships added, removed and moved to another user or agreement, statuses changed,
    agreements deleted by the ORM and by a statement, a user deleted."""
    import random

    from authoring.models import STATUSES

    rng = random.Random(20)
    people = [make_user(f"mix{n}@example.com").id for n in range(5)]
    agreements = [_titled(app, make_user(f"owner{n}@example.com"), f"Mix {n}", status=rng.choice(STATUSES))
                  for n in range(8)]
    kept = text("SELECT user_id, status, members FROM register_counts WHERE members <> 0 ORDER BY user_id, status")
    counted = text("SELECT m.user_id, a.status, count(*) FROM memberships m JOIN agreements a ON a.id = m.agreement_id "
                   "GROUP BY m.user_id, a.status ORDER BY m.user_id, a.status")
    members = Membership.__table__
    moved_together = 0
    with app.app_context():
        for step in range(200):
            action = rng.choice(("add", "add", "remove", "move", "status", "status"))
            existing = db.session.execute(select(members.c.id, members.c.agreement_id, members.c.user_id)).all()
            if action == "add":
                agreement, person = rng.choice(agreements), rng.choice(people)
                if not any(row.agreement_id == agreement and row.user_id == person for row in existing):
                    db.session.execute(insert(members).values(agreement_id=agreement, user_id=person, side="client",
                                                              role="viewer", created_at=utcnow()))
            elif action == "remove" and existing:
                db.session.execute(members.delete().where(members.c.id == rng.choice(existing).id))
            elif action == "move" and existing:  # to another person or another agreement
                row = rng.choice(existing)
                agreement, person = ((row.agreement_id, rng.choice(people)) if rng.random() < 0.5
                                     else (rng.choice(agreements), row.user_id))
                if not any(other.agreement_id == agreement and other.user_id == person for other in existing):
                    db.session.execute(members.update().where(members.c.id == row.id)
                                       .values(agreement_id=agreement, user_id=person))
            elif action == "status":
                db.session.get(Agreement, rng.choice(agreements)).status = rng.choice(STATUSES)
            if step % 40 == 20 and existing:  # in one transaction: a status changed, a membership moved to
                # another person and another agreement at once, the status changed back
                row, agreement = rng.choice(existing), db.session.get(Agreement, rng.choice(agreements))
                person = next((p for p in people if not any(other.agreement_id == agreement.id
                                                            and other.user_id == p for other in existing)), None)
                before, agreement.status = agreement.status, rng.choice([s for s in STATUSES if s != agreement.status])
                db.session.flush()
                if person is not None and row.agreement_id != agreement.id:
                    db.session.execute(members.update().where(members.c.id == row.id)
                                       .values(agreement_id=agreement.id, user_id=person))
                    moved_together += 1
                agreement.status = before if rng.random() < 0.5 else agreement.status
                db.session.flush()
            if step == 100:  # an agreement deleted through the ORM, another by a statement, a person
                db.session.delete(db.session.get(Agreement, agreements.pop()))
                db.session.execute(Agreement.__table__.delete().where(Agreement.id == agreements.pop()))
                db.session.execute(text("DELETE FROM users WHERE id = :id"), {"id": people.pop()})
            db.session.commit()
            assert db.session.execute(kept).all() == db.session.execute(counted).all(), (step, action)
        assert db.session.execute(counted).all() and moved_together  # the mix left memberships to count
