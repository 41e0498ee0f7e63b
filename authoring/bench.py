"""The shipped benchmark: our redline against diff-match-patch, the redline page's queries,
and (bench_docx) our Word exports against plain python-docx.

    python -m authoring.bench [--clauses 300] [--runs 7] [--json FILE]
    flask --app app bench [--clauses 300] [--runs 7] [--json FILE]

One process, one synthetic agreement, seeded so every run measures the same texts: N
clauses of exactly 200 words, mostly English with Polish, Spanish, Hebrew and Russian
words mixed in, a section heading every ten clauses; and a second version changing about
one clause in ten (insertions, deletions, a number 14 -> 13, a replaced sentence, a
clause moved, one added, one removed) and three terms. Times are medians of --runs
runs, the baseline and ours interleaved so both see the same noise. The documents' cached
clause hashes are dropped before each run, so ours compares every clause afresh (field by field). The clause
library (whose catalogue names the changed terms) is loaded once before timing, as the app
loads it once when it starts; the redline page uses the app's.

The page part builds a throw-away SQLite app, stores the two documents as revisions 1
and 2 of a small and a large agreement, and counts the SQL statements one GET of the
redline page issues for each: they must not grow with the agreement.

The target is ours <= 0.2 x the baseline (issue 18: a tenth of the changed text is a fifth of a raw diff at
most); missing it is reported, never an error.

The page parts (authoring/benchmarks/) measure pages that grow with an agreement's history
(--history proposals), the draft page of a long agreement (--size-clauses) and accepting a
proposal after many (--writes), each against the same at a tenth (or the first); 0 skips one.

    python -m authoring.bench [--history 2000] [--size-clauses 3000] [--writes 2000]

--redline-only times the redline against the baseline and nothing else (no Word, start-up, page,
register or query parts): for working on the redline, a few seconds a run instead of minutes.

The register part (benchmarks/register.py) times four register pages of a member of --register
agreements (default 100,000; 0 skips) against a member of 10, on a throw-away SQLite file and,
given --register-postgres URL (default: DATABASE_URL when it is PostgreSQL), in a throw-away
database it creates on that server and drops.

    python -m authoring.bench [--register 100000] [--register-postgres URL]
"""
from __future__ import annotations

import argparse
import copy
import gc
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from diff_match_patch import diff_match_patch

from . import ROOT
from .bench_docx import report_lines, time_docx_exports
from .bench_startup import startup_report_lines, time_startup
from .benchmarks import pages as page_parts
from .benchmarks import register as register_part
from .document import Document
from .library import load_library
from .negotiation.attribution import Change, attribute
from .redline import redline_between

SEED = 20250301
WORDS_PER_CLAUSE = 200
CLAUSES_PER_SECTION = 10
CHANGED_SHARE = 0.10
SMALL_CLAUSES = 20
TARGET_RATIO = 0.2
FOREIGN_SHARE = 0.02  # of words; keeps non-ASCII near the 1% of PERFORMANCE.md's test pair
PAGE_GETS = 3

ENGLISH = (
    "the provider shall deliver services described in this agreement with due care and in accordance "
    "good industry practice client may request changes by written notice to other party within period "
    "set out schedule any fees payable under are exclusive of applicable taxes each must maintain "
    "adequate insurance cover for its obligations neither liable indirect loss profit data arising "
    "from or connection performance save where caused wilful misconduct gross negligence incident "
    "response resolution time measured business hours service level credit report monthly review "
    "meeting escalation contact confidential information personal processed only on documented "
    "instructions subcontractor approved advance term renewal termination material breach remedy"
).split()
FOREIGN = {
    "pl": "usługa umowa dostawca zleceniodawca świadczenie należytą starannością wynagrodzenie kara umowna "
          "zgłoszenie awaria poziom odpowiedź miesięczny przegląd zmiana".split(),
    "es": "servicio acuerdo proveedor cliente prestación diligencia plazo remuneración penalización incidencia "
          "garantía año señal cumplimiento revisión".split(),
    "he": "הספק הלקוח השירות הסכם תשלום אחריות מועד תקלה פיצוי דיווח".split(),
    "ru": "поставщик заказчик услуга договор оплата ответственность срок инцидент неустойка отчёт".split(),
}
HEADINGS = ("Services", "Zakres usług", "Niveles de servicio", "רמת שירות", "Ответственность", "Fees and payment",
            "Poufność", "Terminación", "שינויים", "Отчётность")
NUMBER_SENTENCES = (
    "The provider responds to a priority one incident within {n} business hours.",
    "Invoices are payable within {n} days of receipt.",
    "Either party may terminate on {n} days written notice.",
    "Service credits are capped at {n} per cent of the monthly fee.",
)
PEOPLE = (("Zofia Wójcik", "provider"), ("María José Pérez", "client"), ("Ирина Волкова", "provider"),
          ("נועה כהן", "client"))
TERMS = {
    "agreement": {"title": "Umowa o świadczenie usług / Service agreement", "language": "en"},
    "parties": {"provider": {"name": "Zakład Usług Informatycznych Łódź sp. z o.o."},
                "client": {"name": "Compañía Ibérica de Logística S.A."}},
    "timelines": {"response_days": 14, "resolution_days": 30},
    "costs": {"currency": "EUR", "monthly_fee": "12500.00", "late_payment_interest": "8.5"},
    "sanctions": {"credit_cap_percent": 15},
}
TERM_CHANGES = {"timelines.response_days": 13, "costs.currency": "PLN", "sanctions.credit_cap_percent": 20}
EDIT_KINDS = ("insertion", "deletion", "number", "sentence")


# The synthetic pair ---------------------------------------------------------------------

@dataclass
class SyntheticPair:
    """Two versions of one agreement (as dicts) and the accepted changes between them."""

    old: dict[str, Any]
    new: dict[str, Any]
    changes: list[Change]
    terms_used: dict[str, set[str]]

    def documents(self) -> tuple[Document, Document]:
        return Document.from_dict(self.old), Document.from_dict(self.new)


def _word(rng: random.Random) -> str:
    if rng.random() < FOREIGN_SHARE:
        return rng.choice(FOREIGN[rng.choice(tuple(FOREIGN))])
    return rng.choice(ENGLISH)


def _sentence(rng: random.Random, length: int) -> list[str]:
    words = [_word(rng) for _ in range(length)]
    words[0] = words[0][:1].upper() + words[0][1:]
    words[-1] += "."
    return words


def _clause_text(rng: random.Random) -> str:
    """Exactly WORDS_PER_CLAUSE words (split on white space), one of them a number."""
    words: list[str] = []
    number_at, sentence = rng.randrange(3), 0
    while len(words) < WORDS_PER_CLAUSE:
        if sentence == number_at:
            words += rng.choice(NUMBER_SENTENCES).format(n=rng.randint(2, 60)).split()
        else:
            words += _sentence(rng, rng.randint(8, 22))
        sentence += 1
    words = words[:WORDS_PER_CLAUSE]
    words[-1] = words[-1].rstrip(".") + "."
    return " ".join(words)


def synthetic_agreement(clauses: int, seed: int = SEED) -> dict[str, Any]:
    """The older document as a dict: `clauses` clauses, a section every CLAUSES_PER_SECTION."""
    rng = random.Random(seed)
    sections = []
    for index in range(clauses):
        if index % CLAUSES_PER_SECTION == 0:
            number = len(sections) + 1
            sections.append({"key": f"s{number:03d}", "title": f"{HEADINGS[(number - 1) % len(HEADINGS)]} {number}",
                             "clauses": []})
        sections[-1]["clauses"].append({"key": f"c{index + 1:04d}", "title": f"{rng.choice(HEADINGS)} {index + 1}",
                                        "text": _clause_text(rng), "clause_id": None, "variant": None,
                                        "custom": True})
    return {"terms": copy.deepcopy(TERMS), "sections": sections}


def _edit(rng: random.Random, text: str, kind: str) -> str:
    words = text.split(" ")
    if kind == "insertion":
        at = rng.randrange(1, len(words))
        words[at:at] = [rng.choice(ENGLISH) for _ in range(rng.randint(3, 6))]
    elif kind == "deletion":
        at = rng.randrange(0, len(words) - 8)
        del words[at:at + rng.randint(3, 8)]
    elif kind == "number":
        at = next(i for i, word in enumerate(words) if word.isdigit())
        words[at] = str(int(words[at]) - 1)  # e.g. 14 -> 13
    else:  # replace one whole sentence with a new one of about the same length
        sentences = re.split(r"(?<=\.) ", text)
        at = rng.randrange(len(sentences))
        sentences[at] = " ".join(_sentence(rng, max(3, len(sentences[at].split()))))
        return " ".join(sentences)
    return " ".join(words)


def revised(old: dict[str, Any], seed: int = SEED) -> SyntheticPair:
    """The newer version: about CHANGED_SHARE of the clauses changed, three terms changed.

    Each changed clause gets the Change an accepted proposal would give, except those whose
    number moved (14 -> 13): like clauses re-rendered after a term proposal, they are
    answered for through `terms_used` and the term's Change.
    """
    rng = random.Random(seed + 1)
    new = copy.deepcopy(old)
    sections = new["sections"]
    flat = [clause for section in sections for clause in section["clauses"]]
    wanted = max(4, round(len(flat) * CHANGED_SHARE))
    edited_count = min(len(flat) - 2, max(4, wanted - 3))  # the other three: moved, added, removed
    picked = rng.sample(range(len(flat)), edited_count + 2)
    edited, removed, moved = [flat[i] for i in picked[:edited_count]], flat[picked[-2]], flat[picked[-1]]

    numbers = iter(range(1, 10_000))
    moment = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)

    def change(kind: str, target: str) -> Change:
        number = next(numbers)
        author, side = PEOPLE[number % len(PEOPLE)]
        accepted_by = PEOPLE[(number + 1) % len(PEOPLE)][0]
        return Change(kind, target, number, author, side, accepted_by, moment + timedelta(minutes=number))

    paths = sorted(TERM_CHANGES) + ["costs.monthly_fee", "timelines.resolution_days"]
    uses = {clause["key"]: set(rng.sample(paths, 2)) for clause in flat}
    changes = []
    for index, clause in enumerate(edited):
        kind = EDIT_KINDS[index % len(EDIT_KINDS)]
        clause["text"] = _edit(rng, clause["text"], kind)
        if kind == "number":
            uses[clause["key"]] = {"timelines.response_days"}
        else:
            changes.append(change("clause_text", clause["key"]))
    changes.append(change("clause_remove", removed["key"]))
    for path, value in TERM_CHANGES.items():
        group, name = path.split(".")
        new["terms"][group][name] = value
        changes.append(change("term", path))

    def take(clause: dict) -> int:
        for index, section in enumerate(sections):
            if clause in section["clauses"]:
                section["clauses"].remove(clause)
                return index
        raise KeyError(clause["key"])

    take(removed)
    # One clause moved as it was, one moved and edited ("one or two clauses moved").
    home = take(moved)
    if len(sections) > 1:
        sections[(home + len(sections) // 2) % len(sections)]["clauses"].insert(0, moved)
    else:
        sections[0]["clauses"].append(moved)
    home = take(edited[0])
    if len(sections) > 1:
        sections[home - 1]["clauses"].append(edited[0])
    else:
        sections[0]["clauses"].insert(0, edited[0])

    added = {"key": "n0001", "title": "Dodatkowe usługi / Additional services", "text": _clause_text(rng),
             "clause_id": None, "variant": None, "custom": True}
    sections[len(sections) // 2]["clauses"].insert(1, added)
    uses[added["key"]] = set()
    changes.append(change("clause_add", added["key"]))
    return SyntheticPair(old, new, changes, uses)


def whole_text(document: dict[str, Any]) -> str:
    """All clause texts joined with newlines: what the baseline diffs."""
    return "\n".join(clause["text"] for section in document["sections"] for clause in section["clauses"])


# Timing -------------------------------------------------------------------------------

def _timed(action: Callable[[], Any]) -> float:
    """Milliseconds one call takes, with the garbage collector held off as timeit does."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        action()
        return (time.perf_counter() - start) * 1000
    finally:
        gc.enable()


def _forget_hashes(*documents: Document) -> None:
    for document in documents:
        for clause in document.clauses():
            clause.__dict__.pop("content_hash", None)


def baseline_diff(old_text: str, new_text: str) -> list:
    """diff-match-patch with its defaults (1 s timeout, line pre-pass) and semantic clean-up."""
    differ = diff_match_patch()
    diffs = differ.diff_main(old_text, new_text)
    differ.diff_cleanupSemantic(diffs)
    return diffs


def baseline_hits_deadline(old_text: str, new_text: str) -> bool:
    """True when diff_main ran into its timeout, so its answer is a cruder diff than it could be."""
    differ = diff_match_patch()
    start = time.perf_counter()
    differ.diff_main(old_text, new_text)
    return time.perf_counter() - start >= differ.Diff_Timeout


def time_both(pair: SyntheticPair, runs: int) -> dict[str, Any]:
    old_text, new_text = whole_text(pair.old), whole_text(pair.new)
    old, new = pair.documents()
    uses = pair.terms_used
    # Loaded once, as the app does at start: without it, each redline would check the library's files for changes.
    library = load_library(ROOT / "clauses")

    def terms_used(key: str) -> set[str]:
        return uses.get(key, set())

    def ours():
        return attribute(redline_between(old, new, library=library), pair.changes, terms_used)

    def hashes():
        return [clause.content_hash for document in (old, new) for clause in document.clauses()]

    baseline_diff(old_text, new_text), ours()  # warm-up, untimed: compiled patterns, first allocations
    baseline_ms, redline_ms, hash_ms, attribute_ms = [], [], [], []
    for _ in range(runs):
        baseline_ms.append(_timed(lambda: baseline_diff(old_text, new_text)))
        _forget_hashes(old, new)
        redline_ms.append(_timed(ours))
        _forget_hashes(old, new)
        hash_ms.append(_timed(hashes))
        bare = redline_between(old, new, library=library)
        attribute_ms.append(_timed(lambda: attribute(bare, pair.changes, terms_used)))

    redline = ours()
    baseline = baseline_diff(old_text, new_text)
    counts = redline.counts()
    return {
        "baseline_ms": statistics.median(baseline_ms),
        "redline_ms": statistics.median(redline_ms),
        "hash_ms": statistics.median(hash_ms),
        "attribute_ms": statistics.median(attribute_ms),
        "baseline_runs_ms": baseline_ms,
        "redline_runs_ms": redline_ms,
        # Each run's two figures were taken moments apart: their ratio shrugs off load that comes and goes.
        "redline_ratio_per_run_median": statistics.median(ours / base for ours, base in zip(redline_ms, baseline_ms)),
        "baseline_segments": len(baseline),
        "baseline_hit_deadline": baseline_hits_deadline(old_text, new_text),
        "changed_clauses": len(redline.changes()),
        "changed_terms": counts.pop("terms"),
        "redline_counts": counts,
        "attributed": sum(1 for c in redline.changes() if c.attributions),
        "hashed_clauses": sum(1 for document in (old, new) for _ in document.clauses()),
    }


# The redline page's queries -------------------------------------------------------------

def _stored_agreement(user, pair: SyntheticPair, title: str) -> int:
    """An agreement whose revisions 1 and 2 are the pair's documents; returns its id."""
    from .agreements.services import create_agreement
    from .extensions import db
    from .revisions.services import cut_revision, draft_of, write_draft

    agreement = create_agreement(user, title=title, language="en", provider_name="Zakład Usług Łódź sp. z o.o.",
                                 client_name="Compañía Ibérica S.A.")
    for number, document in enumerate(pair.documents(), start=1):
        draft, _current = draft_of(agreement, for_update=True)
        write_draft(draft, document, user)
        db.session.commit()
        cut_revision(agreement, user, f"Synthetic revision {number}")
    return agreement.id


def redline_page_queries(pairs: dict[str, SyntheticPair], gets: int = PAGE_GETS) -> dict[str, Any]:
    """SQL statements (and milliseconds) of GET /agreements/<id>/redline?from=1&to=2, per size."""
    from sqlalchemy import event

    from . import create_app, schema
    from .accounts.services import find_user_by_email, register_user
    from .extensions import db

    email, password = "bench@example.com", "bench password 1"
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as folder:
        app = create_app({"SECRET_KEY": "bench-only-secret", "DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
                          "PASSWORD_HASH_PROFILE": "cheapest", "WTF_CSRF_ENABLED": False})
        try:
            with app.app_context():
                schema.upgrade()
                engine = db.engine
            with app.test_request_context(method="POST"):
                register_user(email, "Bench Person", password)
                user = find_user_by_email(email)
                ids = {size: _stored_agreement(user, pair, f"Benchmark agreement ({size})")
                       for size, pair in pairs.items()}
            client = app.test_client()
            response = client.post("/login", data={"email": email, "password": password})
            if response.status_code != 302:
                raise RuntimeError(f"logging in answered {response.status_code}")

            result: dict[str, Any] = {"queries": {}, "ms": {}, "error": None}
            # What the page must show, so a page that renders no redline is not counted as one.
            expected = {size: len(redline_between(*pair.documents()).changes()) for size, pair in pairs.items()}
            for size, agreement_id in ids.items():
                url = f"/agreements/{agreement_id}/redline?from=1&to=2"
                statements: list[str] = []

                def count(_conn, _cursor, statement, _parameters, _context, _executemany):
                    statements.append(statement)

                counts, times = [], []
                event.listen(engine, "before_cursor_execute", count)
                try:
                    for _ in range(gets):
                        statements.clear()
                        start = time.perf_counter()
                        response = client.get(url)
                        times.append((time.perf_counter() - start) * 1000)
                        if response.status_code != 200:
                            result["error"] = f"GET {url} answered {response.status_code}"
                            return result
                        counts.append(len(statements))
                        shown = response.get_data(as_text=True).count('data-status="')
                        if shown != expected[size]:
                            result["error"] = f"GET {url} showed {shown} changed clauses, not {expected[size]}"
                            return result
                finally:
                    event.remove(engine, "before_cursor_execute", count)
                result["queries"][size] = max(counts)
                result["ms"][size] = statistics.median(times)
                if len(set(counts)) > 1:
                    result["error"] = f"the {size} page issued a varying number of queries: {counts}"
            return result
        finally:
            db.dispose(app)


# Running and reporting ----------------------------------------------------------------

def run_benchmark(clauses: int = 300, runs: int = 7, history: int = 2000, size_clauses: int = 3000,
                  writes: int = 2000, redline_only: bool = False, register: int = register_part.AGREEMENTS,
                  register_postgres: str | None = None) -> dict[str, Any]:
    """Every figure of the benchmark, as the --json file holds them (with `redline_only`, those of the redline's
    timing alone)."""
    if clauses < 10:
        raise ValueError("--clauses must be at least 10")
    if runs < 1:
        raise ValueError("--runs must be at least 1")
    pair = revised(synthetic_agreement(clauses))
    old_text = whole_text(pair.old)
    small = min(SMALL_CLAUSES, clauses // 2)
    figures: dict[str, Any] = {
        "clauses": clauses,
        "words": len(old_text.split()),
        "characters": len(old_text),
        "non_ascii_characters": sum(1 for char in old_text if ord(char) > 127),
        "runs": runs,
    }
    figures.update(time_both(pair, runs))
    figures["redline_ratio"] = figures["redline_ms"] / figures["baseline_ms"]
    figures["target_ratio"] = TARGET_RATIO
    figures["target_met"] = figures["redline_ratio"] <= TARGET_RATIO
    figures["python"] = sys.version.split()[0]
    if redline_only:
        return figures
    old, new = pair.documents()
    figures.update(time_docx_exports(old, new, pair.changes, lambda key: pair.terms_used.get(key, set()), runs, _timed,
                                     clauses))
    page = redline_page_queries({"small": revised(synthetic_agreement(small)), "large": pair})
    figures["redline_page_clauses"] = {"small": small, "large": clauses}
    figures["redline_page_queries"] = {"small": page["queries"].get("small"), "large": page["queries"].get("large")}
    figures["redline_page_ms"] = page["ms"]
    figures["redline_page_error"] = page["error"]
    figures["redline_page_queries_equal"] = (page["error"] is None and
                                             figures["redline_page_queries"]["small"] == figures["redline_page_queries"]["large"])
    figures.update(page_parts.run_page_parts(history, size_clauses, writes, runs))
    figures.update(register_part.run(register, runs, register_postgres))
    figures.update(time_startup(runs))
    return figures


def report(figures: dict[str, Any]) -> str:
    """The figures as a table a person reads."""
    base = figures["baseline_ms"]
    rows = [
        ("diff-match-patch, whole texts (diff_main + diff_cleanupSemantic)", base, "1.00"),
        ("redline_between + attribute (every clause compared afresh)", figures["redline_ms"], f"{figures['redline_ratio']:.2f}"),
        (f"  for comparison, not part of ours: hashing {figures['hashed_clauses']} clauses", figures["hash_ms"],
         f"{figures['hash_ms'] / base:.2f}"),
        ("  of which: attribute", figures["attribute_ms"], f"{figures['attribute_ms'] / base:.2f}"),
    ]
    redline_only = "redline_page_clauses" not in figures
    sizes, queries, page_ms = (({}, {}, {}) if redline_only else
                               (figures["redline_page_clauses"], figures["redline_page_queries"], figures["redline_page_ms"]))
    for size in ("small", "large"):
        if size in page_ms:
            rows.append((f"redline page GET, {sizes[size]} clauses ({queries[size]} SQL queries)", page_ms[size], ""))
    counts = ", ".join(f"{n} {status}" for status, n in figures["redline_counts"].items() if n)
    lines = [
        f"Redline benchmark: {figures['clauses']} clauses, {figures['words']:,} words, {figures['characters']:,} "
        f"characters ({figures['non_ascii_characters']:,} non-ASCII); {figures['changed_clauses']} clauses and "
        f"{figures['changed_terms']} terms changed ({counts}); median of {figures['runs']} runs",
        "",
        f"{'step':<72} {'median ms':>10} {'ratio':>6}",
    ]
    lines += [f"{step:<72} {ms:>10.1f} {ratio:>6}" for step, ms, ratio in rows]
    verdict = "met" if figures["target_met"] else "NOT met"
    lines += ["", f"Target: ours <= {TARGET_RATIO} x baseline - {verdict} ({figures['redline_ratio']:.2f} x; "
                  f"median of the per-run ratios {figures['redline_ratio_per_run_median']:.2f} x)."]
    if figures["baseline_hit_deadline"]:
        lines.append("Note: the baseline's diff_main ran into its 1 s timeout on this pair (a cruder diff, "
                     "and a time that says more about the timeout than about the texts).")
    if redline_only:
        return "\n".join(lines)
    lines += report_lines(figures)
    lines += startup_report_lines(figures)
    if figures["redline_page_error"]:
        lines.append(f"Redline page: not measured - {figures['redline_page_error']}.")
    else:
        same = "equal" if figures["redline_page_queries_equal"] else "NOT equal: the page's queries grow with the agreement"
        lines.append(f"Redline page queries: {queries['small']} at {sizes['small']} clauses, {queries['large']} at "
                     f"{sizes['large']} clauses - {same}.")
    lines += page_parts.report_lines(figures)
    lines += register_part.report_lines(figures)
    return "\n".join(lines)


def run_and_report(clauses: int, runs: int, json_path: str | None, echo: Callable[[str], Any] = print,
                   history: int = 2000, size_clauses: int = 3000, writes: int = 2000,
                   redline_only: bool = False, register: int = register_part.AGREEMENTS,
                   register_postgres: str | None = None) -> dict[str, Any]:
    figures = run_benchmark(clauses, runs, history, size_clauses, writes, redline_only, register, register_postgres)
    echo(report(figures))
    if json_path:
        Path(json_path).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        echo(f"Figures written to {json_path}")
    return figures


def register_postgres_default() -> str | None:
    """The server the register part also runs on unless told: DATABASE_URL's, when that is PostgreSQL."""
    import os

    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m authoring.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--clauses", type=int, default=300, help="clauses in the synthetic agreement (default 300)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs; medians are reported (default 7)")
    parser.add_argument("--json", dest="json_path", metavar="FILE", help="also write every figure to FILE")
    parser.add_argument("--history", type=int, default=2000,
                        help="proposals in the large history agreement, comments as many, events 3x (default 2000; 0 skips)")
    parser.add_argument("--size-clauses", type=int, default=3000,
                        help="clauses of the large draft of the size part (default 3000; 0 skips)")
    parser.add_argument("--writes", type=int, default=2000,
                        help="proposals before the one accepted in the writes part (default 2000; 0 skips)")
    parser.add_argument("--redline-only", action="store_true",
                        help="time the redline against the baseline and skip every other part")
    parser.add_argument("--register", type=int, default=register_part.AGREEMENTS,
                        help="agreements of the large register (default 100000; 0 skips)")
    parser.add_argument("--register-postgres", metavar="URL", default=register_postgres_default(),
                        help="also run the register part on this PostgreSQL server, in a database it creates and "
                             "drops (default: DATABASE_URL when it is PostgreSQL)")
    options = parser.parse_args(argv)
    if options.clauses < 10 or options.runs < 1:
        parser.error("--clauses must be at least 10 and --runs at least 1")
    if min(options.history, options.size_clauses, options.writes, options.register) < 0:
        parser.error("--history, --size-clauses, --writes and --register are 0 (skip) or more")
    run_and_report(options.clauses, options.runs, options.json_path, history=options.history,
                   size_clauses=options.size_clauses, writes=options.writes, redline_only=options.redline_only,
                   register=options.register, register_postgres=options.register_postgres or None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
