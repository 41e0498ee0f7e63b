"""The benchmark's Word part: our DOCX and redline DOCX against plain python-docx.

Baseline, measured in the same run on the same texts: python-docx's own
`add_heading` for every section and clause heading and `add_paragraph` for every
clause text, then `save`. Ours: the full export (title page, contents field, numbered
headings, header and footer with page fields, tables, document properties, byte-stable
packaging) and the redline DOCX (redline_between + attribution + tracked changes +
save). Runs are interleaved so all three see the same noise. Peak memory is measured
apart from the timing, each step in a fresh Python process (`python -m
authoring.bench_docx STEP CLAUSES`): how far the process's peak resident size rises
while the step runs. Most of an export's memory is lxml's, which Python's own
allocation tracing cannot see.

Targets: the export at most 1.0x the baseline, the redline DOCX at most 1.5x.
"""
from __future__ import annotations

import io
import json
import statistics
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import docx

from .document import Document
from .export.docx import agreement_docx
from .export.records import ExportInfo
from .export.redline_docx import RevisionExport, redline_docx
from .negotiation.attribution import attribute
from .redline import redline_between
from .render.tables import Table

DOCX_TARGET = 1.0
REDLINE_DOCX_TARGET = 1.5
WHEN = datetime(2027, 1, 1, 9, 0, tzinfo=timezone.utc)


def baseline_docx(document: Document) -> bytes:
    """The same headings and paragraphs with python-docx's plain API."""
    word = docx.Document()
    for number, section, clauses in document.numbered():
        word.add_heading(f"{number}  {section.title}", level=1)
        for clause_number, clause in clauses:
            word.add_heading(f"{clause_number}  {clause.title}", level=2)
            word.add_paragraph(clause.text)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _info(number: int, digest: str) -> ExportInfo:
    return ExportInfo(agreement_id=1, title="Umowa serwisowa — Service agreement", language="en", status="negotiating",
                      provider_name="Zakład Usług Łódź sp. z o.o.", client_name="Compañía Ibérica S.A.",
                      revision_number=number, revision_hash=digest, revision_created_at=WHEN,
                      revision_author="Zofia Wójcik")


def _tables(document: Document, revised: bool = False) -> list[Table]:
    """A rate card and service levels of realistic size, so the export pays for its tables too.

    `revised`: the newer revision's, with two prices raised and a task added, so the redline
    tracks cell and row changes as well.
    """
    first = document.sections[0].key
    count = 21 if revised else 20
    rates = tuple((f"T{i:02}", f"Task {i} — usługa", "hour", f"€{80 + i + (5 if revised and i in (3, 9) else 0)}.00",
                   "× 1.5") for i in range(1, count + 1))
    levels = tuple((f"P{i}", f"Priority {i} incident", f"{i * 2} hours", f"{i * 8} hours") for i in range(1, 5))
    return [Table("rate_card", first, "Rate card", ("Task code", "Description", "Unit", "Price", "Out of hours"), rates),
            Table("service_levels", first, "Service levels", ("Priority", "Definition", "Response", "Restore"), levels)]


def _steps(old: Document, new: Document, changes, terms_used: Callable[[str], set[str]]) -> dict[str, Callable[[], bytes]]:
    info_old, info_new = _info(1, old.sha256()), _info(2, new.sha256())
    old_tables, tables = _tables(old), _tables(new, revised=True)
    return {
        "baseline": lambda: baseline_docx(new),
        "docx": lambda: agreement_docx(new, info_new, tables),
        "redline_docx": lambda: redline_docx(attribute(redline_between(old, new), changes, terms_used),
                                             RevisionExport(old, info_old, old_tables),
                                             RevisionExport(new, info_new, tables)),
    }


def _status_mib(field: str) -> float:
    """A memory figure of this process from /proc/self/status (VmRSS: now, VmHWM: peak), in MiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024  # the kernel reports kB
    raise RuntimeError(f"{field} not in /proc/self/status")


def peak_rise_mib(step: str, clauses: int) -> float:
    """How many MiB the peak resident size of a fresh process rises while `step` runs once."""
    completed = subprocess.run([sys.executable, "-m", "authoring.bench_docx", step, str(clauses)],
                               capture_output=True, text=True, check=True, timeout=300)
    return json.loads(completed.stdout)["rise_mib"]


def time_docx_exports(old: Document, new: Document, changes, terms_used: Callable[[str], set[str]], runs: int,
                      timed: Callable[[Callable[[], Any]], float], clauses: int) -> dict[str, Any]:
    """Median milliseconds, ratios and peak memory of the baseline, our export and our redline DOCX."""
    steps = _steps(old, new, changes, terms_used)
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(runs):
        for name, action in steps.items():
            times[name].append(timed(action))
    medians = {name: statistics.median(values) for name, values in times.items()}
    figures: dict[str, Any] = {
        "docx_baseline_ms": medians["baseline"],
        "docx_ms": medians["docx"],
        "redline_docx_ms": medians["redline_docx"],
        "docx_ratio": medians["docx"] / medians["baseline"],
        "redline_docx_ratio": medians["redline_docx"] / medians["baseline"],
        "docx_target_ratio": DOCX_TARGET,
        "redline_docx_target_ratio": REDLINE_DOCX_TARGET,
        "docx_peak_rss_rise_mib": {name: peak_rise_mib(name, clauses) for name in steps},
        "docx_bytes": {name: len(action()) for name, action in steps.items()},
    }
    figures["docx_target_met"] = figures["docx_ratio"] <= DOCX_TARGET
    figures["redline_docx_target_met"] = figures["redline_docx_ratio"] <= REDLINE_DOCX_TARGET
    return figures


def report_lines(figures: dict[str, Any]) -> list[str]:
    """The Word part of the benchmark's table."""
    base, peak = figures["docx_baseline_ms"], figures["docx_peak_rss_rise_mib"]
    rows = [
        ("python-docx add_heading/add_paragraph + save (Word baseline)", base, 1.0, peak["baseline"]),
        ("our DOCX export (title page, contents, tables, header/footer)", figures["docx_ms"], figures["docx_ratio"],
         peak["docx"]),
        ("our redline DOCX (redline + attribution + tracked changes)", figures["redline_docx_ms"],
         figures["redline_docx_ratio"], peak["redline_docx"]),
    ]
    lines = ["", f"{'Word step':<72} {'median ms':>10} {'ratio':>6} {'peak MiB':>9}"]
    # peak MiB: rise of a fresh process's peak resident size while the step runs once.
    lines += [f"{step:<72} {ms:>10.1f} {ratio:>6.2f} {mib:>9.1f}" for step, ms, ratio, mib in rows]
    for name, target in (("docx", DOCX_TARGET), ("redline_docx", REDLINE_DOCX_TARGET)):
        verdict = "met" if figures[f"{name}_target_met"] else "NOT met"
        lines.append(f"Target: {name.replace('_', ' ')} <= {target} x the Word baseline - {verdict} "
                     f"({figures[f'{name}_ratio']:.2f} x).")
    return lines


def _measure_one(step: str, clauses: int) -> None:
    """Run one step once in this (fresh) process and print its peak-RSS rise as JSON."""
    from .bench import revised, synthetic_agreement

    pair = revised(synthetic_agreement(clauses))
    old, new = pair.documents()
    action = _steps(old, new, pair.changes, lambda key: pair.terms_used.get(key, set()))[step]
    # Building the test data peaked higher than the step may: reset the peak first (Linux >= 4.0).
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
        clear.write("5")
    before = _status_mib("VmRSS")
    action()
    print(json.dumps({"step": step, "rise_mib": round(_status_mib("VmHWM") - before, 1)}))


if __name__ == "__main__":
    _measure_one(sys.argv[1], int(sys.argv[2]))
