"""Fuzz: hostile values into every form, upload and address of the app; nothing answers 5xx.

On the demo data (three agreements: negotiating, in Spanish, executed and amended), each
demo member and a visitor crawl the pages they can reach, collecting every form (its
action, fields and defaults, CSRF token included). Then, from a seeded generator:

* every form is posted several times, each time with some fields replaced by hostile
  values (huge, negative, NaN and infinite numbers, ids past 2^63, long strings, control
  characters, bidi overrides, NUL, other scripts' digits, dates that do not exist), a
  field sent twice where one is expected, and hostile files in every upload (/verify,
  /import, a review's measurements CSV);
* every form route is also posted a body of invalid UTF-8, percent-encoded;
* every GET route is asked for with hostile ids and strings in its path and hostile
  query strings.

The seed is FUZZ_SEED (default 12) and FUZZ_ROUNDS scales the posts per form, so a
failure replays exactly. It runs on SQLite and PostgreSQL like every `app` test.
"""
from __future__ import annotations

import io
import json
import os
import random
import re
import zipfile
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urlsplit

from sqlalchemy import select

from authoring.demo import DEMO_PASSWORD, DEMO_USERS, create_demo
from authoring.extensions import db
from authoring.models import Agreement, Membership, User

SEED = int(os.environ.get("FUZZ_SEED", "12"))
ROUNDS = int(os.environ.get("FUZZ_ROUNDS", "4"))
PAGES_PER_MEMBER = 80
PAGES_PER_ROUTE = 2
AGREEMENT_PAGES = ["", "/interview/background", "/interview/services", "/interview/timelines", "/interview/costs",
                   "/interview/client", "/interview/escalation", "/interview/sanctions", "/interview/change",
                   "/interview/review", "/negotiation", "/members", "/revisions", "/clauses/new", "/sign", "/reviews",
                   "/reviews/new", "/activity"]
DESTRUCTIVE = re.compile(r"/(remove|role|terminate|renew|share|send|reopen|abandon|ready|sign|password|amendments)$")
SKIPPED_LINKS = re.compile(r"\.(docx|json|ics|css|js)$|^/static/")

HOSTILE = [
    "", " ", "0", "-1", "-0", "1e400", "1e30", "-1e400", "99999999999999999999999999999", str(2**31), str(2**63 - 1), str(2**63),
    str(2**64), "-9223372036854775809", "NaN", "Infinity", "-Infinity", "sNaN", "0x1F", "1_000", "١٢٣", "²", "1,23",
    "250 000,50", "250.000,50", "12.345", "x" * 5000, "y" * 100_000, "\x00", "a\x00b", "\u202eevil\u202c",
    "\u200f\u200e", "\x01\x07\x1b[31m", "\r\n\r\n", "\ufeff", "\U0001f4a9" * 50, "<script>alert(1)</script>",
    "' OR 1=1 --", "{{ 7*7 }}", "%s%n", "../../etc/passwd", "//evil.example/", "javascript:alert(1)",
    "2027-02-30", "0000-00-00", "9999-12-31", "-2027-01-01", "true", "y", "on", "None", "null", "[]", "{}",
]
NUMBERS = ["1e400", "1e30", "-1e400", "99999999999999999999999999999", "9" * 70, str(2**64), "-1", "-0.001", "NaN",
           "Infinity", "sNaN", "12.345", "12.3456789", "1,23", "1.234", "250 000,50", "250.000,50", "250\u202f000",
           "1\u00a0234,5", "١٢٣", "²", "0x10", "1_0", "+5", "−5", ".", ",", "-", "1.2.3", "0.0000001"]
ID_VALUES = ["0", "-1", str(2**31), str(2**63 - 1), str(2**63), str(2**64), "9" * 40, "1e3", "²", "%FF", "x"]
PATH_STRINGS = ["%00", "%FF%FE", "..", "%2e%2e%2f", "a" * 2000, "%E2%80%AE", "%0d%0aX-Injected:%201", "%C0%AF"]
QUERY = [{"counter": "²"}, {"counter": str(2**64)}, {"from": "1e400", "to": "-1"}, {"from": str(2**70), "to": "x"},
         {"show": "\x00"}, {"next": "//evil.example/"}, {"q": "\x00\u202e" + "q" * 500}, {"status": ["x", "executed"]},
         {"sort": "\x00", "dir": "sideways", "page": str(2**64)}, {"attention": "\u202e"}, {"page": "-1"}]
RAW_QUERIES = ["q=%FF%FE", "page=%00", "counter=%FF", "from=%C0%80"]


class Forms(HTMLParser):
    """The forms on a page (action, method, enctype, fields with their defaults) and its local links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.links: set[str] = set()
        self._form: dict | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and (attrs.get("href") or "").startswith("/"):
            self.links.add(attrs["href"].split("#")[0])
        elif tag == "form":
            self._form = {"action": attrs.get("action") or "", "method": (attrs.get("method") or "get").lower(),
                          "enctype": attrs.get("enctype") or "", "fields": [], "buttons": []}
            self.forms.append(self._form)
        elif tag == "option" and self._form is not None and self._select:
            # The first option, unless a later one is selected.
            fields, option = self._form["fields"], (self._select, attrs.get("value") or "", "select")
            if not fields or fields[-1][0] != self._select:
                fields.append(option)
            elif "selected" in attrs:
                fields[-1] = option
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "input" and attrs.get("type") not in ("submit", "button", "image", "reset"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                kind = "number" if attrs.get("inputmode") in ("decimal", "numeric") else attrs.get("type") or "text"
                self._form["fields"].append((attrs["name"], attrs.get("value") or "", kind))
        elif tag == "button":
            self._form["buttons"].append((attrs["name"], attrs.get("value") or ""))
        elif tag == "textarea":
            self._textarea = (attrs["name"], [])
        elif tag == "select":
            self._select = attrs["name"]

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea and self._form is not None:
            self._form["fields"].append((self._textarea[0], "".join(self._textarea[1]), "textarea"))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _mutate(value, rng: random.Random):
    """A copy of a JSON value with some leaves replaced by hostile ones."""
    if isinstance(value, dict):
        return {k: _mutate(v, rng) for k, v in value.items()}
    if isinstance(value, list):
        return [_mutate(v, rng) for v in value]
    if rng.random() < 0.08:
        return rng.choice([rng.choice(HOSTILE), 2**64, -1, 1e308, None, [], {}, True])
    return value


def _hostile_files(rng: random.Random, terms_file: bytes) -> list[tuple[bytes, str]]:
    deflated = bytearray(_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>" * 50}))
    deflated[deflated.index(b"word/document.xml") + len("word/document.xml")] = 0xFF  # corrupt deflate stream
    terms = json.loads(terms_file)
    files = [
        (b"", "empty.docx"), (bytes(rng.getrandbits(8) for _ in range(2000)), "noise.docx"),
        (b"PK\x03\x04" + b"\x00" * 100, "header.docx"), (bytes(deflated), "deflate.docx"),
        (_zip({"docProps/core.xml": b"<x>urn:accord:agreement:99999999999999999999:revision:1:sha256:" + b"0" * 64
               + b"</x>"}), "claim.docx"),
        (_zip({"docProps/core.xml": b"<!DOCTYPE x [<!ENTITY a SYSTEM 'file:///etc/passwd'>]><x>&a;</x>"}), "xxe.docx"),
        (b'{"agreement": {"id": 1e400}, "revision": {"number": 18446744073709551616}}', "terms.json"),
        (b"\xff\xfe{\x00", "utf16.json"), (b"[" * 10_000 + b"]" * 10_000, "deep.json"),
        (json.dumps(terms).replace('"revision"', '"revision\\u0000"').encode(), "nul.json"),
        ("service_level,target,achieved,unit,period\nP1,1e400,NaN,percent,\x00\n\u202eP2,-1,99999999999999999999,hours,x\n"
         .encode(), "measurements.csv"),
        (b"service_level;target;achieved;unit;period\n" + b"P1;99,5;" + str(2**64).encode() + b";percent;Q1\n", "semi.csv"),
    ]
    files += [(json.dumps(_mutate(terms, rng), ensure_ascii=rng.random() < 0.5).encode("utf-8"), "mutated.json")
              for _ in range(4)]
    return files


class Fuzzer:
    def __init__(self, app, rng: random.Random):
        self.app, self.rng = app, rng
        self.failures: list[str] = []
        self.requests = 0

    def check(self, response, what: str) -> None:
        self.requests += 1
        if response.status_code >= 500:
            self.failures.append(f"{response.status_code} on {what}")

    def crawl(self, client, starts: list[str]) -> list[dict]:
        """The POST forms on the pages `client` reaches from `starts`: a few pages per route and agreement."""
        seen, queue, forms, per_route = set(), list(starts), [], {}
        urls = self.app.url_map.bind("localhost")
        while queue and len(seen) < PAGES_PER_MEMBER:
            path = queue.pop(0)
            if path in seen or SKIPPED_LINKS.search(urlsplit(path).path):
                continue
            try:
                endpoint, args = urls.match(urlsplit(path).path, method="GET")
            except Exception:  # noqa: BLE001 - a redirect or no such page: crawl it anyway
                endpoint, args = path, {}
            route = (endpoint, args.get("agreement_id"))
            per_route[route] = per_route.get(route, 0) + 1
            if per_route[route] > PAGES_PER_ROUTE and path not in starts:
                continue
            seen.add(path)
            response = client.get(path)
            self.check(response, f"GET {path}")
            if response.status_code != 200 or not response.mimetype == "text/html":
                continue
            page = Forms()
            page.feed(response.get_data(as_text=True))
            for form in page.forms:
                form["action"], form["page"] = form["action"] or urlsplit(path).path, path
                if form["method"] == "post" and form["action"] != "/logout":
                    forms.append(form)
            queue.extend(sorted(page.links - seen))
        return forms

    def post_hostile(self, client, form: dict, files: list[tuple[bytes, str]]) -> None:
        """Post `form` ROUNDS times: a few of its visible fields hostile (sometimes all), hidden ones rarely."""
        rng = self.rng
        for _ in range(ROUNDS):
            form = self.fresh(client, form)  # what it was based on (a draft version, a step) moves on
            visible = [i for i, (_name, _v, kind) in enumerate(form["fields"]) if kind not in ("hidden", "file")]
            numbers = [i for i in visible if form["fields"][i][2] == "number"]
            if numbers and rng.random() < 0.5:
                visible = numbers  # numbers are where parsing, bounds and formatting meet
            chosen = set(rng.sample(visible, min(len(visible), rng.choice([1, 1, 2, 3, len(visible)]))))
            data: dict[str, list] = {}
            hostile: dict[str, list] = {}  # what the failure message shows
            for index, (name, value, kind) in enumerate(form["fields"]):
                if index in chosen or (kind == "hidden" and name != "csrf_token" and rng.random() < 0.05):
                    value = rng.choice(NUMBERS if kind == "number" and rng.random() < 0.7 else HOSTILE)
                    hostile.setdefault(name, []).append(value)
                data.setdefault(name, []).append(value)
            if form["buttons"]:
                # The button pressed: mostly the one that saves, not "add a row".
                saving = [b for b in form["buttons"] if not b[1].startswith(("add:", "remove:"))]
                name, value = rng.choice(saving if saving and rng.random() < 0.8 else form["buttons"])
                data.setdefault(name, []).append(value)
            for name in list(data):
                if name != "csrf_token" and rng.random() < 0.03:
                    data[name].append(rng.choice(HOSTILE))  # a list where one value is expected
                    hostile[name] = data[name]
            if rng.random() < 0.1:
                name = rng.choice(["counter_of", "thread", "review", "base", "action", "clause_key"])
                data[name] = hostile[name] = [rng.choice(HOSTILE + ID_VALUES)]
            uploads = [name for name, _value, kind in form["fields"] if kind == "file"]
            for name in uploads:
                content, filename = rng.choice(files)
                data[name] = [(io.BytesIO(content), filename)]
                hostile[name] = [f"<{filename}>"]
            response = client.post(form["action"], data=data,
                                   content_type="multipart/form-data" if uploads else None)
            self.check(response, f"POST {form['action']} {_summary(hostile)}")
            if response.status_code == 302 and "/login" in (response.location or ""):
                return  # the session ended (a password changed, say): the next member goes on

    def fresh(self, client, form: dict) -> dict:
        """The same form as its page shows it now, or as it was when the page no longer shows it."""
        response = client.get(form["page"])
        if response.status_code != 200 or response.mimetype != "text/html":
            return form
        page = Forms()
        page.feed(response.get_data(as_text=True))
        names = {n for n, _v, _k in form["fields"]}
        return next((dict(f, page=form["page"]) for f in page.forms if f["action"] == form["action"]
                     and {n for n, _v, _k in f["fields"]} == names), form)

    def post_invalid_utf8(self, client, form: dict) -> None:
        token = next((v for n, v, _k in form["fields"] if n == "csrf_token"), "")
        names = [n for n, _v, _k in form["fields"] if n != "csrf_token"][:5] or ["x"]
        body = "&".join([f"csrf_token={quote(token)}"] + [f"{quote(n)}=%FF%FE%C0%80" for n in names])
        response = client.post(form["action"], data=body, content_type="application/x-www-form-urlencoded")
        self.check(response, f"POST {form['action']} (invalid UTF-8 body)")

    def get_hostile_paths(self, client, agreement_ids: list[int]) -> None:
        rng = self.rng
        for rule in self.app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            for _ in range(3):
                path = _fill(rule.rule, lambda converter, name: _hostile_part(converter, name, rng, agreement_ids))
                self.check(client.get(path), f"GET {path[:200]}")
            real = _fill(rule.rule, lambda converter, name: str(rng.choice(agreement_ids)) if converter == "int"
                         else {"step_key": "costs", "action": "resolve"}.get(name, "x"))
            for query in rng.sample(QUERY, 3):
                self.check(client.get(f"{real}?{urlencode(query, doseq=True)}"), f"GET {real} ?{query}")
            raw = f"{real}?{rng.choice(RAW_QUERIES)}"
            self.check(client.get(raw), f"GET {raw}")


def _fill(rule: str, value) -> str:
    return re.sub(r"<(?:([a-z]+)(?:\([^)]*\))?:)?([a-z_]+)>", lambda m: value(m.group(1) or "default", m.group(2)), rule)


def _hostile_part(converter: str, name: str, rng: random.Random, agreement_ids: list[int]) -> str:
    if converter == "int":
        return rng.choice(ID_VALUES + [str(a) for a in agreement_ids])
    if converter == "any":
        return rng.choice(["resolve", "reopen", "%00"])
    return rng.choice(PATH_STRINGS + [quote(rng.choice(HOSTILE[:40]), safe="") or "x"])


def _summary(hostile: dict) -> str:
    return json.dumps({k: [v[:80] for v in vs] for k, vs in hostile.items()}, ensure_ascii=True)[:600]


def _ready_to_sign(app) -> None:
    """A fourth agreement, in Polish, ready to sign by the demo's signatories (the demo has none)."""
    from authoring.agreements.services import create_agreement
    from authoring.demo_terms import demo_terms
    from authoring.interview.services import acknowledge, mark_ready, readiness, set_terms
    from authoring.revisions.services import draft_of

    with app.test_request_context(method="POST"):
        people = {user.email: user for user in db.session.scalars(select(User))}
        owner = people["provider@example.com"]
        agreement = create_agreement(owner, title="Gotowa do podpisu", language="pl", provider_name="Northwind sp. z o.o.",
                                     client_name="Globex S.A.")
        for email, side, role in (("director@example.com", "provider", "signatory"),
                                  ("signer@example.com", "client", "signatory"),
                                  ("client@example.com", "client", "owner"), ("legal@example.com", "client", "reviewer")):
            db.session.add(Membership(agreement_id=agreement.id, user_id=people[email].id, side=side, role=role))
        db.session.commit()
        set_terms(agreement, owner, demo_terms("pl", agreement.title), "fuzz")
        _draft, document = draft_of(agreement)
        for finding in readiness(agreement, document).blocking:
            acknowledge(agreement, owner, finding.rule.id, "fuzz")
        mark_ready(agreement, owner)


def test_no_hostile_input_to_any_form_upload_or_address_gives_a_5xx(app, login):
    rng = random.Random(SEED)
    with app.app_context():
        create_demo()
    _ready_to_sign(app)
    with app.app_context():
        # One agreement of each status (the demo has several drafts and two executed, in other languages).
        by_status = {}
        for agreement in db.session.scalars(select(Agreement).order_by(Agreement.id)):
            by_status.setdefault(agreement.status, agreement.id)
        agreement_ids = sorted(by_status.values())
    fuzzer = Fuzzer(app, rng)
    first = login(app.test_client(), DEMO_USERS[0][0], DEMO_PASSWORD)
    with app.app_context():
        executed = db.session.scalar(select(Agreement.id).where(Agreement.executed_revision_id.is_not(None)))
    terms_file = first.get(f"/agreements/{executed}/revisions/2/terms.json").get_data()
    if not terms_file.startswith(b"{"):
        terms_file = b"{}"
    files = _hostile_files(rng, terms_file)

    visitor = app.test_client()
    members = [(visitor, ["/login", "/register", "/verify", "/invitations/x"])]
    members += [(login(app.test_client(), email, DEMO_PASSWORD),
                 ["/agreements", "/import", "/account/password", "/account/calendar"]
                 + [f"/agreements/{a}{page}" for a in agreement_ids for page in AGREEMENT_PAGES])
                for email, _name, _role in DEMO_USERS]
    crawled = [(client, fuzzer.crawl(client, starts)) for client, starts in members]

    # Each form once per shape, by whoever reached it; those that end a session, a membership or a
    # phase last, so the others are still reachable when their turn comes.
    todo, shapes = [], set()
    for client, forms in crawled:
        for form in forms:
            shape = (form["action"], tuple(sorted({n for n, _v, _k in form["fields"]})))
            if shape not in shapes:
                shapes.add(shape)
                todo.append((bool(DESTRUCTIVE.search(form["action"])), len(todo), client, form))
    for _destructive, _order, client, form in sorted(todo, key=lambda item: item[:2]):
        fuzzer.post_invalid_utf8(client, form)
        fuzzer.post_hostile(client, form, files)
    # The forms of the negotiation and the signature (and the rest) were all reached.
    actions = {form["action"] for _client, forms in crawled for form in forms}
    for expected in ("/login", "/register", "/verify", "/import", "/comments", "/interview/costs", "/sign",
                     "/members/", "/invitations", "/reviews/new", "/clauses/new", "/revisions"):
        assert any(expected in action for action in actions), (expected, sorted(actions))

    for client, _starts in members:
        fuzzer.get_hostile_paths(client, agreement_ids)
    assert not fuzzer.failures, "\n".join(fuzzer.failures[:30])
    assert fuzzer.requests > 500
