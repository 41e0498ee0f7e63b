"""The register's text index: agreements whose title or either party's name contains a text.

One interface over what each database has (migration 0019 builds both):

- SQLite: an FTS5 table `agreement_search` with the trigram tokenizer, one row per agreement
  (rowid = the agreement's id) holding its title and both parties' names *casefolded* with
  Python's str.casefold - the same folding the register's LIKE uses - and kept in step by
  triggers on `agreements`, so no write path can forget it. A phrase query of 3 or more
  characters matches exactly the rows where one of those columns contains it.
- PostgreSQL: pg_trgm GIN indexes on the three columns; ILIKE '%text%' uses them.

`narrowing` is a condition on agreements that holds for a superset of those the register's exact test keeps (the test
itself stays in register.py, so the semantics are the scan's: a case-insensitive substring,
% and _ literal, of the title or of the member's counterparty). The index narrows 100,000
agreements to the few that can match; the exact test then runs on those alone.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, column, or_, select, table

from ..models import Agreement

# Trigrams: a text shorter than this has none, so the index cannot narrow it (both FTS5's
# trigram tokenizer and pg_trgm); such a search scans the member's agreements as before.
MIN_INDEXED = 3

SQLITE_TABLE = "agreement_search"
# Schema objects the migration makes that the models do not declare (triggers are not compared):
# the FTS5 table and its shadow tables, the trigram indexes and the folded-title index.
UNDECLARED = frozenset({
    SQLITE_TABLE, *(f"{SQLITE_TABLE}_{shadow}" for shadow in ("data", "idx", "content", "docsize", "config")),
    "ix_agreements_title_trgm", "ix_agreements_provider_name_trgm", "ix_agreements_client_name_trgm",
    "ix_agreements_folded_title",
})

_fts = table(SQLITE_TABLE, column("rowid"))


def include_name(name: str | None, type_: str, _parent_names=None) -> bool:
    """For Alembic's comparison of the database with the models: leave out the index's own objects."""
    return not (type_ in ("table", "index") and name in UNDECLARED)


def escape_like(text: str) -> str:
    """`text` with LIKE's wildcards and escape character escaped by a backslash (ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _phrase(text: str) -> str:
    """An FTS5 phrase (a quoted string: quotes doubled), so no character of `text` is query syntax."""
    return '"' + text.replace('"', '""') + '"'


def narrowing(text: str, dialect: str) -> ColumnElement[bool] | None:
    """True of every agreement whose title, provider's or client's name contains `text` in any case
    (and perhaps of a few more); None when the index cannot narrow the search (a text of fewer than
    MIN_INDEXED characters)."""
    folded = text.casefold()
    if len(folded) < MIN_INDEXED:
        return None
    if dialect == "sqlite":
        return Agreement.id.in_(select(_fts.c.rowid).where(column(SQLITE_TABLE).match(_phrase(folded))))
    pattern = f"%{escape_like(text)}%"
    return or_(*(getattr(Agreement, name).ilike(pattern, escape="\\")
                 for name in ("title", "provider_name", "client_name")))
