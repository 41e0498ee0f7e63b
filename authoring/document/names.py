"""Names of people as the terms give them and as people type them. Plain Python."""
from __future__ import annotations

import unicodedata


def named_signatory(terms: dict, side: str) -> tuple[str, str] | None:
    """(name, title) of the person the terms name as `side`'s signatory (Interview › Background), or None."""
    party = (terms.get("parties") or {}).get(side) or {}
    name = party.get("signatory_name")
    if not isinstance(name, str) or not name.strip():
        return None
    title = party.get("signatory_title")
    return name.strip(), title.strip() if isinstance(title, str) else ""


def same_name(a: str, b: str) -> bool:
    """Whether two typed names are the same name: compatible forms, case, spacing and invisible
    marks (such as right-to-left marks) aside."""
    def plain(name: str) -> str:
        name = unicodedata.normalize("NFKC", name)
        name = "".join(c for c in name if unicodedata.category(c) != "Cf")
        return " ".join(name.casefold().split())
    return plain(a) == plain(b)
