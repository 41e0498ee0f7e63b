"""The agreement document: typed `terms` plus ordered sections of clause instances.

Everything a person sees is rendered from this one model. It is plain Python:
no Flask, no database. Instances are immutable; edits return a new Document.
Text is kept exactly as given - no stripping, no Unicode normalisation - because
what a party typed is what they agreed to.
"""
from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Callable, Iterator

from .canonical import canonical_json, content_hash, sha256_hex

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,79}$")
TERM_PATH_PATTERN = re.compile(r"^[a-z_][a-z0-9_]{0,63}(\.[a-z_][a-z0-9_]{0,63}){0,7}$")
# How a slot writes its term: the library's formatting filters, "option" for a choice's words,
# None for the value as it is (text).
COUNTED = ("business_days", "days", "hours", "months")
# A counted noun may be asked for in the genitive ("days:gen": Polish and Russian sentences need it).
SLOT_FORMATS = frozenset({"money", "number", "percent", "date", *COUNTED, *(f"{unit}:gen" for unit in COUNTED), "option",
                          "support_hours"})
TITLE_MAX = 300
TEXT_MAX = 100_000
PARTS_MAX = 2_000


class DocumentError(ValueError):
    """A document (or part of one) is not well-formed. The message says where."""


def _check_key(value: Any, where: str) -> str:
    if not isinstance(value, str) or not KEY_PATTERN.match(value):
        raise DocumentError(f"{where}: key must be 1-80 characters of a-z, 0-9, '.', '_' or '-', got {value!r}")
    return value


def _check_text(value: Any, where: str, limit: int) -> str:
    if not isinstance(value, str):
        raise DocumentError(f"{where}: must be text, got {type(value).__name__}")
    if len(value) > limit:
        raise DocumentError(f"{where}: longer than {limit} characters")
    return value


_CLAUSE_FIELDS = frozenset({"key", "title", "text", "clause_id", "variant", "custom", "parts", "unstated"})


def _clause_problem(data: Any, where: str | Callable[[], str]) -> str:
    """What is wrong with a clause's dict that failed ClauseInstance.from_dict's checks, as its message."""
    where = where if isinstance(where, str) else where()
    try:
        if not isinstance(data, dict):
            raise DocumentError(f"{where}: must be an object")
        key = _check_key(data.get("key"), where)
        where = f"{where} {key!r}"
        unknown = set(data) - _CLAUSE_FIELDS
        if unknown:
            raise DocumentError(f"{where}: unknown fields {sorted(unknown)}")
        for optional in ("clause_id", "variant"):
            if data.get(optional) is not None:
                _check_text(data[optional], f"{where}.{optional}", 80)
        if not isinstance(data.get("custom", False), bool):
            raise DocumentError(f"{where}.custom: must be true or false")
        _check_text(data.get("title"), f"{where}.title", TITLE_MAX)
        _check_text(data.get("text"), f"{where}.text", TEXT_MAX)
    except DocumentError as error:
        return str(error)
    return f"{where}: not a clause"


def _check_json_compatible(value: Any, where: str) -> None:
    """Terms must be plain JSON: money and decimals travel as strings, never floats."""
    if value is None or isinstance(value, (bool, int, str)):
        return
    if isinstance(value, float):
        raise DocumentError(f"{where}: floats are not allowed in terms (use a decimal string)")
    if isinstance(value, list):
        for index, item in enumerate(value):
            _check_json_compatible(item, f"{where}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise DocumentError(f"{where}: keys must be text, got {key!r}")
            _check_json_compatible(item, f"{where}.{key}")
        return
    raise DocumentError(f"{where}: {type(value).__name__} is not JSON")


@dataclass(frozen=True)
class TermSlot:
    """A place in a clause's text that states a term: the term's path and how it is written.

    `args` are further terms the format reads (the currency of an amount). A custom
    clause keeps its slots, so a later change of the term still reaches its text.
    """

    term: str
    format: str | None = None
    args: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"term": self.term, "format": self.format, "args": list(self.args)}

    @classmethod
    def from_dict(cls, data: Any, where: str) -> "TermSlot":
        if not isinstance(data, dict) or set(data) - {"term", "format", "args"}:
            raise DocumentError(f"{where}: a slot is an object with term, format and args")
        paths = [data.get("term"), *(data.get("args") or [])]
        if not isinstance(data.get("args", []), list) or not all(
                isinstance(p, str) and TERM_PATH_PATTERN.match(p) for p in paths):
            raise DocumentError(f"{where}: term paths look like 'sanctions.credit_cap_percent'")
        if data.get("format") is not None and data.get("format") not in SLOT_FORMATS:
            raise DocumentError(f"{where}: unknown format {data.get('format')!r}")
        return cls(data["term"], data.get("format"), tuple(data.get("args") or ()))


Part = str | TermSlot


def _parts_from(data: Any, where: str) -> tuple[Part, ...] | None:
    if data is None:
        return None
    if not isinstance(data, list) or len(data) > PARTS_MAX:
        raise DocumentError(f"{where}: must be a list of at most {PARTS_MAX} texts and slots")
    return tuple(_check_text(item, f"{where}[{index}]", TEXT_MAX) if isinstance(item, str)
                 else TermSlot.from_dict(item, f"{where}[{index}]") for index, item in enumerate(data))


def _term_paths(data: Any, where: str) -> tuple[str, ...]:
    if not isinstance(data, list) or len(data) > PARTS_MAX or not all(
            isinstance(p, str) and TERM_PATH_PATTERN.match(p) for p in data):
        raise DocumentError(f"{where}: must be a list of term paths like 'sanctions.credit_cap_percent'")
    return tuple(data)


@dataclass(frozen=True)
class ClauseInstance:
    """One clause of one agreement.

    `clause_id`/`variant` name the library clause it came from (None for a clause
    written from scratch). A clause whose text was edited by hand is `custom`: it
    keeps its own text instead of being re-rendered from the library. Its `parts`,
    when present, are that text as a template: literal texts and the term slots the
    edit left intact, so its text is re-rendered when one of those terms changes.
    """

    key: str
    title: str
    text: str
    clause_id: str | None = None
    variant: str | None = None
    custom: bool = False
    parts: tuple[Part, ...] | None = None
    unstated: tuple[str, ...] = ()  # terms its library text stated that an edit took out of it

    def to_dict(self) -> dict[str, Any]:
        data = {
            "key": self.key,
            "title": self.title,
            "text": self.text,
            "clause_id": self.clause_id,
            "variant": self.variant,
            "custom": self.custom,
        }
        # Absent unless used, so the hashes of clauses written before they existed stay as they were.
        if self.parts is not None:
            data["parts"] = [p if isinstance(p, str) else p.to_dict() for p in self.parts]
        if self.unstated:
            data["unstated"] = list(self.unstated)
        return data

    def slots(self) -> list[TermSlot]:
        """The term slots of a custom clause's template (none for other clauses)."""
        return [p for p in self.parts or () if isinstance(p, TermSlot)]

    @classmethod
    def from_dict(cls, data: Any, where: str | Callable[[], str] = "clause") -> "ClauseInstance":
        """A clause from its dict, checked field by field. `where` names it in error messages (a
        function giving the name when it is costly to build: this runs for every clause of every load)."""
        if not isinstance(data, dict) or not _CLAUSE_FIELDS.issuperset(data):
            raise DocumentError(_clause_problem(data, where))
        key, title, text = data.get("key"), data.get("title"), data.get("text")
        clause_id, variant, custom = data.get("clause_id"), data.get("variant"), data.get("custom", False)
        if not (isinstance(key, str) and KEY_PATTERN.match(key) and isinstance(title, str) and len(title) <= TITLE_MAX
                and isinstance(text, str) and len(text) <= TEXT_MAX and isinstance(custom, bool)
                and (clause_id is None or isinstance(clause_id, str) and len(clause_id) <= 80)
                and (variant is None or isinstance(variant, str) and len(variant) <= 80)):
            raise DocumentError(_clause_problem(data, where))
        parts, has_unstated = data.get("parts"), "unstated" in data
        named = f"{where if isinstance(where, str) else where()} {key!r}" if parts is not None or has_unstated else ""
        # Every field checked: filled in directly, as a frozen dataclass's __init__ would field by field
        # through object.__setattr__ - a fifth of the cost of loading a 3,000-clause draft.
        clause = object.__new__(cls)
        clause.__dict__.update(key=key, title=title, text=text, clause_id=clause_id, variant=variant, custom=custom,
                               parts=_parts_from(parts, f"{named}.parts") if parts is not None else None,
                               unstated=_term_paths(data["unstated"], f"{named}.unstated") if has_unstated else ())
        return clause

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of the clause's canonical JSON: equal hashes, equal clauses (computed once)."""
        return content_hash(self.to_dict())

    def same_content(self, other: "ClauseInstance") -> bool:
        """Whether two clauses say the same (what equal content hashes mean): by their hashes when both
        are known already, else field by field - the fields are what the hash covers, and comparing
        equal strings is cheaper than hashing them."""
        if "content_hash" in self.__dict__ and "content_hash" in other.__dict__:
            return self.content_hash == other.content_hash
        return self == other


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    clauses: tuple[ClauseInstance, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "clauses": [c.to_dict() for c in self.clauses]}

    @classmethod
    def from_dict(cls, data: Any, where: str = "section") -> "Section":
        if not isinstance(data, dict):
            raise DocumentError(f"{where}: must be an object")
        key = _check_key(data.get("key"), where)
        where = f"{where} {key!r}"
        clauses = data.get("clauses", [])
        if not isinstance(clauses, list):
            raise DocumentError(f"{where}.clauses: must be a list")
        return cls(
            key=key,
            title=_check_text(data.get("title"), f"{where}.title", TITLE_MAX),
            clauses=tuple(ClauseInstance.from_dict(c, lambda i=i: f"{where} clause #{i + 1}")
                          for i, c in enumerate(clauses)),
        )


@dataclass(frozen=True)
class Document:
    """Terms plus ordered sections. Clause keys are unique across the whole document."""

    terms: dict[str, Any] = field(default_factory=dict)
    sections: tuple[Section, ...] = ()

    def __post_init__(self) -> None:
        _check_json_compatible(self.terms, "terms")
        # Own a private copy, so no caller can change a document after the fact.
        object.__setattr__(self, "terms", copy.deepcopy(self.terms))
        seen: set[str] = set()
        section_keys: set[str] = set()
        for section in self.sections:
            if section.key in section_keys:
                raise DocumentError(f"section {section.key!r}: key used twice")
            section_keys.add(section.key)
            for clause in section.clauses:
                if clause.key in seen:
                    raise DocumentError(f"clause {clause.key!r}: key used twice")
                seen.add(clause.key)

    # Reading -------------------------------------------------------------------------

    def clauses(self) -> Iterator[ClauseInstance]:
        for section in self.sections:
            yield from section.clauses

    def clause(self, key: str) -> ClauseInstance:
        for clause in self.clauses():
            if clause.key == key:
                return clause
        raise KeyError(key)

    def numbered(self) -> Iterator[tuple[str, Section, list[tuple[str, ClauseInstance]]]]:
        """Sections with their numbers ("1", "2", ...) and clauses numbered "1.1", "1.2", ..."""
        for s_index, section in enumerate(self.sections, start=1):
            yield str(s_index), section, [
                (f"{s_index}.{c_index}", clause) for c_index, clause in enumerate(section.clauses, start=1)
            ]

    # Editing (each returns a new Document) ------------------------------------------

    def with_clause_text(self, key: str, text: str, parts: tuple[Part, ...] | None = None,
                         unstated: tuple[str, ...] = ()) -> "Document":
        """Replace one clause's text; the clause becomes custom (it no longer follows the library).

        `parts` is the new text as a template over the terms (None: plain text, bound to no
        term); `unstated` the terms its library text stated that it no longer does.
        """
        _check_text(text, f"clause {key!r}.text", TEXT_MAX)
        self.clause(key)  # raises KeyError for an unknown key
        sections = tuple(
            replace(
                section,
                clauses=tuple(
                    replace(c, text=text, custom=True, parts=parts, unstated=tuple(unstated)) if c.key == key else c
                    for c in section.clauses
                ),
            )
            for section in self.sections
        )
        return replace(self, sections=sections)

    def with_clause_added(self, section_key: str, clause: ClauseInstance) -> "Document":
        """Append a clause to a section (DocumentError when its key is taken or the section unknown)."""
        if not any(s.key == section_key for s in self.sections):
            raise DocumentError(f"section {section_key!r}: no such section")
        sections = tuple(
            replace(s, clauses=s.clauses + (clause,)) if s.key == section_key else s for s in self.sections
        )
        return replace(self, sections=sections)

    def without_clause(self, key: str) -> "Document":
        self.clause(key)  # raises KeyError for an unknown key
        sections = tuple(replace(s, clauses=tuple(c for c in s.clauses if c.key != key)) for s in self.sections)
        return replace(self, sections=sections)

    # Serialising ---------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {"terms": copy.deepcopy(self.terms), "sections": [s.to_dict() for s in self.sections]}

    @classmethod
    def from_dict(cls, data: Any) -> "Document":
        if not isinstance(data, dict):
            raise DocumentError("document: must be an object")
        unknown = set(data) - {"terms", "sections"}
        if unknown:
            raise DocumentError(f"document: unknown fields {sorted(unknown)}")
        terms = data.get("terms", {})
        if not isinstance(terms, dict):
            raise DocumentError("terms: must be an object")
        sections = data.get("sections", [])
        if not isinstance(sections, list):
            raise DocumentError("sections: must be a list")
        return cls(
            terms=terms,
            sections=tuple(Section.from_dict(s, f"section #{i + 1}") for i, s in enumerate(sections)),
        )

    def canonical_json(self) -> bytes:
        return canonical_json(self.to_dict())

    def sha256(self) -> str:
        """SHA-256 (hex) of the canonical JSON: the identity of this exact text and terms."""
        return sha256_hex(self.canonical_json())

    @classmethod
    def from_json(cls, raw: str | bytes) -> "Document":
        try:
            data = json.loads(raw)
        except (ValueError, TypeError) as exc:
            raise DocumentError(f"document: not valid JSON ({exc})") from exc
        return cls.from_dict(data)
