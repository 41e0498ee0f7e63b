"""The shipped benchmark runs end to end at a small size; its figures are checked, never its timings."""
from __future__ import annotations

import json
import math
import os

from conftest import base_config

from authoring import bench, create_app
from authoring.extensions import db
from authoring.negotiation.attribution import attribute
from authoring.redline import redline_between


def test_bench_command_writes_every_figure(tmp_path):
    app = create_app(base_config(DATABASE_URL=f"sqlite:///{tmp_path / 'untouched.sqlite3'}"))
    out = tmp_path / "bench.json"
    try:
        result = app.test_cli_runner().invoke(args=["bench", "--clauses", "40", "--runs", "1", "--register", "0",
                                                    "--json", str(out)])
    finally:
        db.dispose(app)
    assert result.exit_code == 0, result.output
    assert "Target: ours <= 0.2 x baseline" in result.output

    figures = json.loads(out.read_text(encoding="utf-8"))
    for key in ("redline_ratio", "baseline_ms", "redline_ms", "clauses", "words", "changed_clauses", "runs",
                "redline_page_queries", "docx_ratio", "redline_docx_ratio", "docx_baseline_ms", "docx_peak_rss_rise_mib"):
        assert key in figures, key
    for ratio in ("docx_ratio", "redline_docx_ratio"):
        assert isinstance(figures[ratio], float) and math.isfinite(figures[ratio]) and figures[ratio] > 0
    assert set(figures["docx_peak_rss_rise_mib"]) == {"baseline", "docx", "redline_docx"}
    assert all(rise >= 0 for rise in figures["docx_peak_rss_rise_mib"].values())
    assert all(size > 1000 for size in figures["docx_bytes"].values())
    assert "Target: docx <= 1.0 x the Word baseline" in result.output
    assert "Target: start-up <= 2.0 x the bare app's" in result.output
    assert figures["startup_ms"] > 0 and figures["startup_bare_ms"] > 0
    assert figures["startup_ratio"] == figures["startup_ms"] / figures["startup_bare_ms"]
    assert figures["clauses"] == 40 and figures["runs"] == 1
    assert figures["words"] == 40 * bench.WORDS_PER_CLAUSE
    assert isinstance(figures["redline_ratio"], float) and math.isfinite(figures["redline_ratio"])
    assert figures["redline_ratio"] > 0
    assert 0 < figures["changed_clauses"] < 40
    assert figures["redline_page_error"] is None
    queries = figures["redline_page_queries"]
    assert figures["redline_page_clauses"] == {"small": 20, "large": 40}
    assert isinstance(queries["small"], int) and queries["small"] > 0
    assert queries["small"] == queries["large"]


def test_synthetic_revision_changes_about_one_clause_in_ten_the_same_way_every_time():
    pair = bench.revised(bench.synthetic_agreement(300))
    again = bench.revised(bench.synthetic_agreement(300))
    assert (pair.old, pair.new, pair.changes) == (again.old, again.new, again.changes)

    text = bench.whole_text(pair.old)
    assert len(text.split()) == 300 * bench.WORDS_PER_CLAUSE
    assert any("\u0590" <= char <= "\u05ff" for char in text) and any("\u0400" <= char <= "\u04ff" for char in text)
    assert len(pair.old["sections"]) == 30

    redline = attribute(redline_between(*pair.documents()), pair.changes, lambda key: pair.terms_used.get(key, set()))
    counts = redline.counts()
    assert (counts["added"], counts["removed"], counts["moved"], counts["terms"]) == (1, 1, 2, 3)
    assert len(redline.changes()) == 30
    # Every changed clause is answered for, by its proposal or by the term that re-rendered it;
    # the clause only moved needs no one.
    unattributed = [c.status for c in redline.changes() if not c.attributions]
    assert unattributed == ["moved"]


def test_bench_page_parts_at_a_small_size(tmp_path):
    """History, size and writes parts run end to end; their figures are present and sane (timings not judged)."""
    app = create_app(base_config(DATABASE_URL=f"sqlite:///{tmp_path / 'untouched.sqlite3'}"))
    out = tmp_path / "bench.json"
    try:
        result = app.test_cli_runner().invoke(args=["bench", "--clauses", "20", "--runs", "1", "--history", "60",
                                                    "--size-clauses", "320", "--writes", "30", "--json", str(out)])
    finally:
        db.dispose(app)
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert (figures["history_error"], figures["size_error"], figures["writes_error"]) == (None, None, None)

    counts = figures["history_counts"]
    assert counts["large"] == {"proposals": 60, "comments": 60, "events": 180, "revisions": 7}
    assert counts["small"]["proposals"] == 6 and counts["small"]["events"] == 18
    assert set(figures["history_pages"]) == {"negotiation", "activity", "revisions", "clause"}
    for page, figure in figures["history_pages"].items():
        assert figure["target_ratio"] == 1.5, page
        assert all(ms > 0 for ms in figure["ms"].values()), page
        assert all(size > 1000 for size in figure["bytes"].values()), page
        for ratio in ("time_ratio", "bytes_ratio"):
            assert isinstance(figure[ratio], float) and math.isfinite(figure[ratio]) and figure[ratio] > 0, page
    assert "Pages that grow with history: 60 proposals, 60 comments, 180 events" in result.output

    # 320 clauses are three parts of the draft; every clause is linked from the contents of the first.
    assert figures["size_clauses"] == {"small": 32, "large": 320}
    assert figures["size_pages_of_large_draft"] == 3
    assert 0 < figures["size_bytes"]["small"] < figures["size_bytes"]["large"] < figures["size_target_bytes"]
    assert math.isfinite(figures["size_time_ratio"]) and figures["size_time_ratio"] > 0
    assert "its contents link all 320 clauses over 3 parts" in result.output

    assert figures["writes_earlier_proposals"] == {"first": 0, "history": 30}
    # The same statements accept the first proposal and one after thirty.
    assert figures["writes_statements"]["first"] == figures["writes_statements"]["history"] > 0
    assert math.isfinite(figures["writes_ratio"]) and figures["writes_ratio"] > 0
    assert "Writes: accepting a proposal after 30 earlier ones" in result.output


def test_bench_redline_only_times_the_redline_and_nothing_else(tmp_path):
    out = tmp_path / "bench.json"
    assert bench.main(["--clauses", "20", "--runs", "1", "--redline-only", "--json", str(out)]) == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["clauses"] == 20 and figures["runs"] == 1
    assert figures["redline_ratio"] == figures["redline_ms"] / figures["baseline_ms"] > 0
    assert figures["target_met"] == (figures["redline_ratio"] <= bench.TARGET_RATIO)
    assert 0 < figures["changed_clauses"] < 20
    # No Word, start-up, page or query part ran.
    assert not {"docx_ratio", "startup_ratio", "redline_page_queries", "history_pages"} & set(figures)


def test_bench_register_part_at_a_small_size(tmp_path):
    """The register part fills both registers, reads each page and reports a ratio per page; on SQLite,
    and on PostgreSQL (in a database it creates and drops) when TEST_DATABASE_URL is set."""
    from authoring.benchmarks import register

    app = create_app(base_config(DATABASE_URL=f"sqlite:///{tmp_path / 'untouched.sqlite3'}"))
    out = tmp_path / "bench.json"
    postgres = os.environ.get("TEST_DATABASE_URL")
    args = ["bench", "--clauses", "20", "--runs", "1", "--history", "0", "--size-clauses", "0", "--writes", "0",
            "--register", "300", "--json", str(out)] + (["--register-postgres", postgres] if postgres else [])
    try:
        result = app.test_cli_runner().invoke(args=args)
    finally:
        db.dispose(app)
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert "history_error" not in figures and "size_error" not in figures
    backends = ["sqlite", "postgresql"] if postgres else ["sqlite"]
    for backend in backends:
        assert figures[f"register_{backend}_error"] is None, figures[f"register_{backend}_error"]
        part = figures[f"register_{backend}"]
        assert part["register_agreements"] == {"small": 10, "large": 300}
        assert set(part["register_pages"]) == {"first", "search", "filter", "sort"}
        found = part["register_found"]
        # Every page found rows in both registers, and the whole register on the unfiltered pages.
        assert found["first"] == found["sort"] == {"small": 10, "large": 300}
        assert 1 <= found["search"]["small"] <= found["search"]["large"] < 300
        assert 1 <= found["filter"]["small"] <= found["filter"]["large"] < 300
        for page, figure in part["register_pages"].items():
            assert figure["target_ratio"] == register.TARGET, page
            assert math.isfinite(figure["time_ratio"]) and figure["time_ratio"] > 0, page
            assert figure["target_met"] == (figure["time_ratio"] <= register.TARGET), page
    assert "Register on SQLite: a member of 300 agreements against one of 10" in result.output
    assert ("Register on PostgreSQL" in result.output) == bool(postgres)
    assert not os.path.exists(figures["register_sqlite"]["register_database"])
    if postgres:  # the throw-away database is gone, and the test database was not it
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        name = figures["register_postgresql"]["register_database"]
        assert name.startswith("accord_bench_") and name != make_url(postgres).database
        engine = create_engine(postgres)
        try:
            with engine.connect() as connection:
                left = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
                assert left.all() == []
        finally:
            engine.dispose()
