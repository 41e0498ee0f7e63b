"""The register's text search: agreements whose title or counterparty contains a text.

One interface over what each database has (migration 0019 builds both):

- SQLite: an FTS5 table `agreement_search` with the trigram tokenizer holding, for each
  agreement, two rows - one per side's view: rowid id * 2 is what a provider's member sees
  (title, the client's name), id * 2 + 1 a client's member's (title, the provider's name) -
  casefolded with Python's str.casefold, the folding the register's scan uses, and kept in step
  by triggers on `agreements`, so no write path can forget it. A phrase of 3 or more characters
  matches exactly the rows where the title or that view's counterparty contains it (a phrase
  never spans columns; quoted, % and _ are plain characters), so the match *is* the test.
- PostgreSQL: pg_trgm GIN indexes on the title and both names narrow the agreements to those
  where one of the three contains the text (ILIKE '%text%' uses them); the scan's exact test
  then keeps the member's counterparty only.

A text shorter than 3 characters has no trigram; such a search scans the member's agreements
with the exact test alone, as before the index.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, case, column, or_, select, table

from ..models import Agreement, Membership

MIN_INDEXED = 3

SQLITE_TABLE = "agreement_search"
# Schema objects the migration makes that the models do not declare (triggers are not compared):
# the FTS5 table and its shadow tables, the trigram indexes and the folded-title index.
UNDECLARED = frozenset({
    SQLITE_TABLE, *(f"{SQLITE_TABLE}_{shadow}" for shadow in ("data", "idx", "content", "docsize", "config")),
    "ix_agreements_title_trgm", "ix_agreements_provider_name_trgm", "ix_agreements_client_name_trgm",
    "ix_agreements_folded_title", "register_counts",
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


def answered_by_index(text: str, dialect: str) -> bool:
    """Whether the index alone answers a search for `text` (it needs nothing of the agreement's row)."""
    return dialect == "sqlite" and len(text.casefold()) >= MIN_INDEXED


def search_condition(text: str, dialect: str, exact: ColumnElement[bool]) -> ColumnElement[bool]:
    """The register's search for `text`: `exact` (the scan's test of the title and the member's
    counterparty), answered or narrowed by the index when `text` is long enough."""
    folded = text.casefold()
    if len(folded) < MIN_INDEXED:
        return exact
    if answered_by_index(text, dialect):
        matched = select(_fts.c.rowid).where(column(SQLITE_TABLE).match(_phrase(folded)))
        view = Membership.agreement_id * 2 + case((Membership.side == "provider", 0), else_=1)
        # The first test lets the planner start from the matches (the agreements they are of), the second
        # keeps the member's own view of each.
        return and_(Membership.agreement_id.in_(select(_fts.c.rowid.op("/")(2)).where(
            column(SQLITE_TABLE).match(_phrase(folded)))), view.in_(matched))
    pattern = f"%{escape_like(text)}%"
    narrowed = or_(*(getattr(Agreement, name).ilike(pattern, escape="\\")
                     for name in ("title", "provider_name", "client_name")))
    return and_(narrowed, exact)
