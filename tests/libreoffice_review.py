"""LibreOffice's own Accept All and Reject All on .docx files, and its own tracked edits, for tests.

`review_in_libreoffice(files)` opens every file in one headless LibreOffice (starting it
costs about two seconds, so a test passes all its files at once) and returns, per file,
how many tracked changes LibreOffice lists, and the body's text after Edit > Track
Changes > Accept All and, on a fresh load, after Reject All. The texts read as
`docx_review.body_texts` reads a `w:body`, so a test compares LibreOffice with our own
reading of the XML:

    review, = review_in_libreoffice([path])
    assert review.accepted == body_texts(accept_all(body_of(data)))
    assert review.changes == tracked_change_count(body_of(data))

`edit_in_libreoffice(source, target, author=…, replace=[(old, new)], comment=(words, text))`
makes a reviewer's tracked edit and comment through LibreOffice and saves the file as DOCX,
so a test can import what LibreOffice itself writes.

The reading, the same on both sides: one string per body paragraph (empty ones, a page
break's among them, as ""), one per table cell (rows in order, a cell's paragraphs joined
with "\\n"); a field reads as its shown result (the contents field as the entries written
into it); headers, footers and the section properties are not read.

Debian's python3-uno serves only the system python, not the project's virtualenv, so the
UNO work runs in tests/libreoffice_review_uno.py under /usr/bin/python3. `require_libreoffice()`
is the rule for tests: skip when LibreOffice (or, for this review, python3-uno) is missing,
fail instead under REQUIRE_LIBREOFFICE=1 (as .ci/run sets).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

SYSTEM_PYTHON = "/usr/bin/python3"
SCRIPT = Path(__file__).with_name("libreoffice_review_uno.py")
INSTALL = "apt-get install libreoffice-writer-nogui python3-uno"


@dataclass(frozen=True)
class LibreOfficeReview:
    """One file as LibreOffice reviews it."""

    changes: int  # tracked changes listed on loading (XRedlinesSupplier)
    kinds: tuple[str, ...]  # each one's RedlineType, in order: "Insert", "Delete" (moves too), ...
    accepted: list[str]  # the body after Accept All
    rejected: list[str]  # the body after Reject All
    left_after_accept: int  # changes still listed after Accept All (0 unless LibreOffice refused one)
    left_after_reject: int


@cache
def _system_python_has_uno() -> bool:
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, timeout=30).returncode == 0


def libreoffice_missing(uno: bool = True) -> str | None:
    """Why LibreOffice cannot be used here (soffice, or with `uno` the system python's uno), None when it can."""
    if shutil.which("soffice") is None:
        return f"LibreOffice (soffice) is not installed ({INSTALL})"
    if uno and not _system_python_has_uno():
        return f"{SYSTEM_PYTHON} cannot import uno ({INSTALL})"
    return None


def require_libreoffice(uno: bool = True) -> str:
    """The path of soffice; skips the calling test when LibreOffice is missing, fails under REQUIRE_LIBREOFFICE=1."""
    reason = libreoffice_missing(uno)
    if reason is not None:
        if os.environ.get("REQUIRE_LIBREOFFICE") == "1":
            pytest.fail(f"REQUIRE_LIBREOFFICE=1 but {reason}")
        pytest.skip(reason)
    return shutil.which("soffice")


def review_in_libreoffice(files: list[Path], *, timeout: float = 180) -> list[LibreOfficeReview]:
    """Each .docx file's tracked-change count, Accept All and Reject All, in one LibreOffice run.

    Raises RuntimeError when LibreOffice or python3-uno is missing, fails or takes longer
    than `timeout` seconds; LibreOffice and its throwaway profile are gone on return either way.
    """
    answers = _run_uno({"files": [str(Path(f).resolve()) for f in files]}, timeout, f"review {len(files)} file(s)")
    return [LibreOfficeReview(changes=r["changes"], kinds=tuple(r["kinds"]), accepted=r["accepted"],
                              rejected=r["rejected"], left_after_accept=r["left_after_accept"],
                              left_after_reject=r["left_after_reject"]) for r in answers]


def edit_in_libreoffice(source: Path, target: Path, *, author: str, replace: list[tuple[str, str]],
                        comment: tuple[str, str] | None = None, timeout: float = 180) -> int:
    """Edit a .docx as a reviewer does in LibreOffice, with Track Changes recording, and save it as DOCX.

    The user's name is `author`; each `old` of `replace` (which must stand exactly once in
    the document) is selected and typed over with its `new`; `comment` = (words, text)
    puts a comment with `text` on those words (also standing once). The file is saved to
    `target` as "MS Word 2007 XML"; the answer is how many tracked changes LibreOffice
    listed before saving. Raises RuntimeError as review_in_libreoffice does.
    """
    edit = {"author": author, "replace": [list(pair) for pair in replace], "targets": [str(Path(target).resolve())],
            "comment": {"at": comment[0], "text": comment[1]} if comment else None}
    (answer,) = _run_uno({"files": [str(Path(source).resolve())], "edit": edit}, timeout, f"edit {Path(source).name}")
    return answer["changes"]


def _run_uno(request: dict, timeout: float, what: str) -> list[dict]:
    """Run tests/libreoffice_review_uno.py on `request` in one throwaway LibreOffice: its answer per file."""
    reason = libreoffice_missing()
    if reason is not None:
        raise RuntimeError(reason)
    profile = Path(tempfile.mkdtemp(prefix="accord-lo-profile-"))
    pipe = f"accord-review-{uuid.uuid4().hex}"
    request = {"soffice": shutil.which("soffice"), "profile": str(profile), "pipe": pipe, "timeout": timeout,
               **request}
    # A session of its own: LibreOffice runs in the script's process group, killed whole below.
    process = subprocess.Popen([SYSTEM_PYTHON, str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = process.communicate(json.dumps(request), timeout=timeout + 15)
    except subprocess.TimeoutExpired:
        _kill_group(process.pid)
        process.communicate()
        raise RuntimeError(f"LibreOffice took longer than {timeout:.0f} s to {what}") from None
    finally:
        _kill_group(process.pid)  # anything the script left running (normally nothing)
        shutil.rmtree(profile, ignore_errors=True)
        # The pipe's socket stays behind when LibreOffice is killed rather than told to quit.
        Path("/tmp", f"OSL_PIPE_{os.getuid()}_{pipe}").unlink(missing_ok=True)
    if process.returncode != 0:
        raise RuntimeError(f"LibreOffice failed to {what} (exit status {process.returncode}):\n{err.strip()}")
    return json.loads(out)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
