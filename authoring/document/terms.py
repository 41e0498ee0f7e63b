"""Reading, changing and comparing terms by dotted path ("costs.currency").

Objects are walked into; anything else - text, numbers, lists of rows - is one term,
so a proposal or a redline row is about one value a person recognises.
"""
from __future__ import annotations

import copy
from datetime import date
from typing import Any

MISSING = object()


def term_value(terms: dict[str, Any], path: str, default: Any = None) -> Any:
    node: Any = terms
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return copy.deepcopy(node)


def with_term(terms: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of `terms` with the value at `path` replaced (objects on the way created)."""
    result = copy.deepcopy(terms)
    node = result
    *parents, last = path.split(".")
    for part in parents:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[last] = copy.deepcopy(value)
    return result


def changed_terms(old: dict[str, Any], new: dict[str, Any], prefix: str = "",
                  values: frozenset[str] = frozenset()) -> list[tuple[str, Any, Any]]:
    """Every leaf term whose value differs: [(path, old value, new value)], in document order.

    `values`: paths of terms that are one value although it is a mapping (support hours), compared whole.
    """
    changes: list[tuple[str, Any, Any]] = []
    for key in list(old) + [k for k in new if k not in old]:
        path = f"{prefix}{key}"
        before, after = old.get(key, MISSING), new.get(key, MISSING)
        if isinstance(before, dict) and isinstance(after, dict) and path not in values:
            changes.extend(changed_terms(before, after, f"{path}.", values))
        elif before != after:
            changes.append((path, None if before is MISSING else before, None if after is MISSING else after))
    return changes


def term_label(path: str) -> str:
    """'costs.late_payment_interest' -> 'Costs › Late payment interest'."""
    return " › ".join(part.replace("_", " ").capitalize() for part in path.split("."))


def display_value(value: Any) -> str:
    """A term's value as a person reads it in a table cell (rows one per line)."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        lines = []
        for item in value:
            if isinstance(item, dict):
                lines.append(" · ".join(display_value(v) for v in item.values() if v not in (None, "")))
            else:
                lines.append(display_value(item))
        return "\n".join(lines)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {display_value(v)}" for k, v in value.items())
    return str(value)


def term_date(terms: dict[str, Any], path: str) -> date | None:
    """The ISO date at `path` ("timeline.end_date"), or None when it is blank or not a date."""
    value = term_value(terms, path)
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
