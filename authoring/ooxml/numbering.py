"""Heading numbering (placeholder until the numbering strand lands)."""
from __future__ import annotations


def number_headings(document) -> None:
    """Link Heading 1 and Heading 2 to a multi-level list (to come)."""
