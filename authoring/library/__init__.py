"""The clause library (clauses/*.yaml) and the assembly of an agreement from it.

Its names are imported on first use (PEP 562), so that `library.marks` can be read at start-up
without loading YAML, Jinja and the calendars that the loader and assembly need.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

_SOURCES = {
    "OMIT": "assembly", "assemble": "assembly", "current_choices": "assembly", "default_choices": "assembly",
    "DEFAULT_LANGUAGE": "loader", "REQUIRED_LANGUAGES": "loader", "ClauseLibrary": "loader",
    "LibraryClause": "loader", "LibraryError": "loader", "LibrarySection": "loader", "load_library": "loader",
    "localized": "loader",
}

__all__ = list(_SOURCES)

if TYPE_CHECKING:
    from .assembly import OMIT, assemble, current_choices, default_choices  # noqa: F401
    from .loader import (  # noqa: F401
        DEFAULT_LANGUAGE, REQUIRED_LANGUAGES, ClauseLibrary, LibraryClause, LibraryError, LibrarySection,
        load_library, localized,
    )


def __getattr__(name: str):
    if name not in _SOURCES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_SOURCES[name]}", __name__), name)
    globals()[name] = value  # once: later lookups are plain module attributes
    return value
