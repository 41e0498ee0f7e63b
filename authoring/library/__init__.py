"""The clause library (clauses/*.yaml) and the assembly of an agreement from it."""
from .assembly import OMIT, assemble, current_choices, default_choices
from .loader import (
    DEFAULT_LANGUAGE, REQUIRED_LANGUAGES, ClauseLibrary, LibraryClause, LibraryError, LibrarySection,
    load_library, localized,
)

__all__ = [
    "OMIT", "assemble", "current_choices", "default_choices", "DEFAULT_LANGUAGE", "REQUIRED_LANGUAGES",
    "ClauseLibrary", "LibraryClause", "LibraryError", "LibrarySection", "load_library", "localized",
]
