"""RFC 6902 JSON Patch between two JSON values: how an amendment changed the terms.

Objects are compared member by member (remove, add, or recurse); anything else that
differs - text, numbers, lists of rows - is replaced whole, which is what a person
reads as one change ("the service levels became ..."). Paths are RFC 6901 JSON
Pointers ("~" as "~0", "/" as "~1"). The patch is deterministic: members in sorted order.
"""
from __future__ import annotations

from typing import Any


def pointer_token(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _same(a: Any, b: Any) -> bool:
    # 1 == True and 1 == 1.0 in Python; in JSON they are different values.
    return type(a) is type(b) and a == b


def json_patch(old: Any, new: Any, path: str = "") -> list[dict[str, Any]]:
    """The operations that turn `old` into `new` (an empty list when they are equal)."""
    if isinstance(old, dict) and isinstance(new, dict):
        operations: list[dict[str, Any]] = []
        for key in sorted(old):
            if key not in new:
                operations.append({"op": "remove", "path": f"{path}/{pointer_token(key)}"})
        for key in sorted(new):
            child = f"{path}/{pointer_token(key)}"
            if key not in old:
                operations.append({"op": "add", "path": child, "value": new[key]})
            else:
                operations.extend(json_patch(old[key], new[key], child))
        return operations
    if isinstance(old, list) and isinstance(new, list):
        same = len(old) == len(new) and all(not json_patch(a, b) for a, b in zip(old, new))
    else:
        same = _same(old, new)
    return [] if same else [{"op": "replace", "path": path, "value": new}]
