"""Marks of checked clause libraries: one file in the instance folder per version of the library that passed.

A version is the SHA-256 of the library's files and of the code that checks them (see
`library_digest`). Finding the mark is cheap (the files are hashed, not parsed), so the app can
tell at start-up whether this library still needs its full check (loader.load_library).
"""
from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

# What the check of the library depends on besides its files: the code that loads, renders and checks
# it (its filters read support hours and CLDR data through Babel), the languages, and the versions of
# the packages that render it.
CHECKING_CODE = ("library/*.py", "document/*.py", "operations/support_hours.py", "config.py")
CHECKING_PACKAGES = ("Babel", "Jinja2", "PyYAML", "holidays")


def library_digest(folder: Path) -> str:
    """SHA-256 over the library's files, the modules that load and check them and the packages they use."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    code = sorted(path for pattern in CHECKING_CODE for path in package.glob(pattern))
    for path, root in [(path, folder) for path in sorted(folder.rglob("*.yaml"))] + [(path, package) for path in code]:
        digest.update(str(path.relative_to(root)).encode("utf-8"))
        digest.update(b"\0" + hashlib.sha256(path.read_bytes()).digest())
    for name in CHECKING_PACKAGES:
        try:
            digest.update(f"{name}=={metadata.version(name)}".encode("utf-8"))
        except metadata.PackageNotFoundError:
            digest.update(f"{name} absent".encode("utf-8"))
    return digest.hexdigest()


def mark_for(folder: Path, instance: Path) -> Path:
    """Where the mark of the library in `folder`, as it is now, is (or would be) kept."""
    return instance / f"library-{library_digest(folder)}.checked"


def is_checked(folder: Path, instance: Path) -> bool:
    """True when the library in `folder`, as it is now, has passed its check in this instance folder."""
    return mark_for(folder, instance).is_file()


def write_mark(mark: Path) -> None:
    """Record that a library passed its check, forgetting the marks of versions no longer here."""
    mark.parent.mkdir(parents=True, exist_ok=True)
    for old in mark.parent.glob("library-*.checked"):
        old.unlink(missing_ok=True)
    mark.write_text("checked\n", encoding="utf-8")
