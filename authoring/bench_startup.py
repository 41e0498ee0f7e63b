"""The benchmark's start-up part: `flask --app app --help` against the same command on a bare Flask app.

Each run starts a fresh Python process for each, interleaved so both see the same load,
and times it from outside (process start to exit, the interpreter's own start included on
both sides). Ours reads the clause library's validation mark from the instance folder
(library.marks): what every start after the first one of a library version does. The first
start after a change of the library also checks it in full; that start is not what this measures.

What keeps it near the bare app's: under the `flask` command, an app whose library carries
its mark builds only its config and its command list at start (create_app), and finishes its
setup - extensions, the library, blueprints, the API, error pages - on first use
(application.py): a request, a command being run, a shell reading its routes or extensions.
Listing the commands needs none of that, so `--help` imports no view, SQLAlchemy, python-docx
or YAML; the command modules import only click until a command runs. Measured on 2026-12-06
on the 2-core development machine: 0.93-1.13x (about 160 ms against 150 ms; 5.9x, about
1 s, before the setup was deferred).

Target: ours at most 2x the bare app's.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_STARTUP_RATIO = 2.0
BARE_APP = "from flask import Flask\n\napp = Flask(__name__)\n"


def _run(command: list[str], cwd: Path) -> float:
    """Milliseconds from starting `command` to its exit (which must be clean)."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""})
    return (time.perf_counter() - start) * 1000


def time_startup(runs: int) -> dict[str, Any]:
    """Median start-up of `flask --app app --help`, ours and the bare app's, and their ratio."""
    flask = [sys.executable, "-m", "flask"]
    with tempfile.TemporaryDirectory() as folder:
        bare = Path(folder)
        (bare / "bare_app.py").write_text(BARE_APP, encoding="utf-8")
        ours_command, bare_command = flask + ["--app", "app", "--help"], flask + ["--app", "bare_app", "--help"]
        _run(ours_command, ROOT), _run(bare_command, bare)  # warm-up, untimed: the file cache, bytecode, the mark
        ours_ms, bare_ms = [], []
        for _ in range(runs):
            bare_ms.append(_run(bare_command, bare))
            ours_ms.append(_run(ours_command, ROOT))
    ratio = statistics.median(ours_ms) / statistics.median(bare_ms)
    return {"startup_ms": statistics.median(ours_ms), "startup_bare_ms": statistics.median(bare_ms),
            "startup_ratio": ratio, "startup_target_ratio": TARGET_STARTUP_RATIO,
            "startup_target_met": ratio <= TARGET_STARTUP_RATIO}


def startup_report_lines(figures: dict[str, Any]) -> list[str]:
    """The start-up figures as lines of the benchmark's report."""
    verdict = "met" if figures["startup_target_met"] else "NOT met"
    return [
        "",
        f"{'Start-up step':<72} {'median ms':>10} {'ratio':>6}",
        f"{'flask --help on a bare Flask app (baseline)':<72} {figures['startup_bare_ms']:>10.1f} {'1.00':>6}",
        f"{'flask --app app --help (ours)':<72} {figures['startup_ms']:>10.1f} {figures['startup_ratio']:>6.2f}",
        f"Target: start-up <= {TARGET_STARTUP_RATIO} x the bare app's - {verdict} ({figures['startup_ratio']:.2f} x).",
    ]
