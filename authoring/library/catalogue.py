"""The terms catalogue (clauses/_terms.yaml): every term a template may use, with its type.

It gives three things: the declared paths a template is checked against, sample
terms to render every variant with, and blank terms (every field present, empty) so
an agreement whose interview is unfinished still renders, with "[●]" where an answer
is missing.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .translations import TranslationError, merge_choice_words, parse_yaml

# support_hours: one value that is a mapping (days, times, holidays; operations/support_hours.py), or the
# free text agreements held before; never walked into like a group of terms.
SCALAR_TYPES = frozenset({"text", "integer", "decimal", "money", "percent", "date",
                          "business_days", "hours", "days", "months", "boolean", "choice", "support_hours"})
ALL_TYPES = SCALAR_TYPES | {"object", "list"}


class CatalogueError(ValueError):
    """clauses/_terms.yaml is malformed; the message names the term."""


@dataclass(frozen=True)
class TermSpec:
    path: str
    type: str
    options: dict[str, dict[str, str]] = field(default_factory=dict)  # choice value -> language -> words
    fields: dict[str, "TermSpec"] = field(default_factory=dict)  # object fields, or a list's item fields
    item_type: str | None = None  # a list of scalars: their type
    sample: Any = None

    def blank(self) -> Any:
        if self.type == "object":
            return {name: spec.blank() for name, spec in self.fields.items()}
        if self.type == "list":
            return []
        if self.type == "boolean":
            return False
        return None


def _parse(path: str, raw: Any, languages: tuple[str, ...]) -> TermSpec:
    if not isinstance(raw, dict):
        raise CatalogueError(f"_terms.yaml: term {path!r} must be a mapping")
    kind = raw.get("type")
    if kind is None:  # a group of terms
        return TermSpec(path, "object", fields={k: _parse(f"{path}.{k}", v, languages) for k, v in raw.items()})
    if kind not in ALL_TYPES:
        raise CatalogueError(f"_terms.yaml: term {path!r} has unknown type {kind!r}")
    options = raw.get("options") or {}
    if kind == "choice" and not options:
        raise CatalogueError(f"_terms.yaml: choice {path!r} needs options")
    for value, words in options.items():
        missing = [language for language in languages if not isinstance(words, dict) or language not in words]
        if missing:
            raise CatalogueError(f"_terms.yaml: option {value!r} of {path!r} has no words in {', '.join(missing)}")
    fields: dict[str, TermSpec] = {}
    item_type = None
    if kind == "object":
        fields = {k: _parse(f"{path}.{k}", v, languages) for k, v in (raw.get("fields") or {}).items()}
    elif kind == "list":
        item = raw.get("item")
        if isinstance(item, str):
            if item not in SCALAR_TYPES:
                raise CatalogueError(f"_terms.yaml: list {path!r} has unknown item type {item!r}")
            item_type = item
        elif isinstance(item, dict):
            fields = {k: _parse(f"{path}[].{k}", v, languages) for k, v in item.items()}
        else:
            raise CatalogueError(f"_terms.yaml: list {path!r} needs an 'item' type or fields")
    if path.count(".") and "[]" not in path and kind != "object" and "sample" not in raw:
        raise CatalogueError(f"_terms.yaml: term {path!r} needs a sample value")
    return TermSpec(path, kind, options=options, fields=fields, item_type=item_type, sample=raw.get("sample"))


@dataclass(frozen=True)
class Catalogue:
    root: TermSpec

    def spec(self, path: str) -> TermSpec | None:
        """The term at a dotted path ("costs.currency"), or None when none is declared."""
        node = self.root
        for part in path.split("."):
            if node.type != "object" or part not in node.fields:
                return None
            node = node.fields[part]
        return node

    def values(self) -> frozenset[str]:
        """The paths of every declared term that is one value (not a group): where a comparison of two
        sets of terms stops, even when the value is itself a mapping (support hours)."""
        if "_values" not in self.__dict__:  # computed once; the catalogue never changes
            object.__setattr__(self, "_values", _value_paths(self.root))
        return self.__dict__["_values"]

    def blank_terms(self) -> dict[str, Any]:
        return self.root.blank()

    def sample_terms(self) -> dict[str, Any]:
        def sample(spec: TermSpec) -> Any:
            if spec.type == "object":
                return {name: sample(child) for name, child in spec.fields.items()}
            return copy.deepcopy(spec.sample)

        return sample(self.root)

    def complete(self, terms: dict[str, Any]) -> dict[str, Any]:
        """`terms` with every declared field present, in list rows too (missing ones blank); unknown keys kept."""
        return _complete(self.root, terms)


def _value_paths(spec: TermSpec) -> frozenset[str]:
    if spec.type != "object":
        return frozenset({spec.path})
    return frozenset(path for child in spec.fields.values() for path in _value_paths(child))


def _complete(spec: TermSpec, value: Any) -> Any:
    if spec.type == "object":
        given = value if isinstance(value, dict) else {}
        merged = {name: _complete(child, given.get(name)) for name, child in spec.fields.items()}
        merged.update({k: copy.deepcopy(v) for k, v in given.items() if k not in spec.fields})
        return merged
    if spec.type == "list":
        if not isinstance(value, list):
            return []
        if spec.item_type:
            return copy.deepcopy(value)
        item = TermSpec(spec.path, "object", fields=spec.fields)
        return [_complete(item, row) for row in value]
    return spec.blank() if value is None else copy.deepcopy(value)


def load_catalogue(path: Path, languages: tuple[str, ...] = ("en",), words: dict | None = None) -> Catalogue:
    """Parse _terms.yaml; every choice needs words in each of `languages` (translations add `words`)."""
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError(f"{path.name}: cannot be read: {exc}") from exc
    if not isinstance(raw, dict):
        raise CatalogueError(f"{path.name}: must be a mapping of term groups")
    try:
        merge_choice_words(raw, words or {})
    except TranslationError as exc:
        raise CatalogueError(str(exc)) from exc
    return Catalogue(TermSpec("", "object", fields={k: _parse(k, v, languages) for k, v in raw.items()}))
