"""The clause library is checked once per version, not once per process: a mark in the instance folder,
named by the SHA-256 of the library's files and of the code that checks them, says this version passed.
A changed file is a new version, checked in full; `flask clauses check` always checks."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from authoring.library import LibraryError, loader

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def library_copy(tmp_path, monkeypatch):
    """A copy of clauses/ to change, the checks counted, and no library remembered by this process."""
    folder = tmp_path / "clauses"
    shutil.copytree(ROOT / "clauses", folder)
    monkeypatch.setattr(loader, "_LOADED", {})
    monkeypatch.setattr(loader, "_MARKED", set())
    checks = []
    real = loader._validate_library
    monkeypatch.setattr(loader, "_validate_library", lambda library, where: (checks.append(where), real(library, where)))
    return folder, checks


def test_a_library_is_checked_once_per_version_across_processes(library_copy, tmp_path, monkeypatch):
    folder, checks = library_copy
    instance = tmp_path / "instance"
    loader.load_library(folder, instance)
    assert len(checks) == 1 and len(list(instance.glob("library-*.checked"))) == 1

    monkeypatch.setattr(loader, "_LOADED", {})  # as a new process
    monkeypatch.setattr(loader, "_MARKED", set())
    library = loader.load_library(folder, instance)
    assert len(checks) == 1 and library.clauses  # read, not checked again

    # A changed text is another library: checked in full, and its mark replaces the old one.
    path = folder / "25_service_levels.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("{{", "{{ nonexistent_term }} {{", 1), encoding="utf-8")
    monkeypatch.setattr(loader, "_LOADED", {})
    with pytest.raises(LibraryError, match="25_service_levels.yaml"):
        loader.load_library(folder, instance)
    assert len(checks) == 2 and len(list(instance.glob("library-*.checked"))) == 1


def test_without_an_instance_folder_the_library_is_always_checked(library_copy, tmp_path):
    folder, checks = library_copy
    loader.load_library(folder, tmp_path / "instance")  # checked, and marked
    loader._LOADED.clear()
    loader._MARKED.clear()
    loader.load_library(folder, tmp_path / "instance")  # the mark: not checked
    assert len(checks) == 1
    loader.load_library(folder)  # what `flask clauses check` and the tests ask for: checked now
    assert len(checks) == 2
    loader.load_library(folder)
    assert len(checks) == 2  # and remembered as checked by this process


def test_a_library_this_process_already_checked_marks_a_new_instance_folder(library_copy, tmp_path):
    folder, checks = library_copy
    loader.load_library(folder)  # checked (as `flask clauses check` or an earlier app would)
    instance = tmp_path / "new-instance"
    loader.load_library(folder, instance)
    assert len(checks) == 1  # not checked again...
    assert len(list(instance.glob("library-*.checked"))) == 1  # ...and the new folder knows it passed
