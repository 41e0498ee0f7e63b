"""The register's text search: agreements whose title or counterparty contains a text.

One interface over what each database has (migration 0019 builds both):

- SQLite: an FTS5 table `agreement_search` with the trigram tokenizer holding, for each
  agreement, two rows - one per side's view: rowid id * 2 is what a provider's member sees
  (title, the client's name), id * 2 + 1 a client's member's (title, the provider's name) -
  casefolded with Python's str.casefold, the folding the register's scan uses, and kept in step
  by triggers on `agreements`, so no write path can forget it. A phrase of 3 or more characters
  matches exactly the rows where the title or that view's counterparty contains it (a phrase
  never spans columns; quoted, % and _ are plain characters), so the match *is* the test.
- PostgreSQL: a table `register_search` with one row per membership - the title and that member's
  counterparty, lower()-ed as ILIKE folds - in one GIN index with the user (pg_trgm, btree_gin), kept
  by triggers. lower(pattern) LIKE on it is exactly the ILIKE test, so a member's matches (and their
  count, `search_total`) come from that table alone, with no join and no folding per row.

A text shorter than 3 characters has no trigram; such a search scans the member's agreements
with the exact test alone, as before the index.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, Date, Integer, Select, Text, and_, case, column, func, or_, select, table

from ..extensions import db
from ..models import Membership

MIN_INDEXED = 3

SQLITE_TABLE = "agreement_search"
# Schema objects the migration makes that the models do not declare (triggers are not compared):
# the FTS5 table and its shadow tables, the trigram indexes and the folded-title index.
UNDECLARED = frozenset({
    SQLITE_TABLE, *(f"{SQLITE_TABLE}_{shadow}" for shadow in ("data", "idx", "content", "docsize", "config")),
    "register_search", "ix_agreements_folded_title", "register_counts", "ix_memberships_agreement_user_side",
})

_fts = table(SQLITE_TABLE, column("rowid"))
_pg = table("register_search", column("membership_id", Integer), column("user_id", Integer),
            column("agreement_id", Integer), column("title", Text), column("counterparty", Text),
            *(column(name, Date) for name in ("effective_on", "ends_on", "next_review_on", "renewal_opens_on")))
# The register's sort keys as the PostgreSQL table holds them (its title is lower()-ed, as the register sorts).
PG_SORT_KEYS = {"title": "title", "effective": "effective_on", "ends": "ends_on", "review": "next_review_on",
                "renewal": "renewal_opens_on"}


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
    return len(text.casefold() if dialect == "sqlite" else text) >= MIN_INDEXED


def _pg_matches(text: str, user_id: int) -> Select:
    """The memberships of `user_id` whose title or counterparty contains `text` (PostgreSQL, indexed)."""
    pattern = func.lower(f"%{escape_like(text)}%")
    return select(_pg.c.membership_id).where(_pg.c.user_id == user_id, or_(
        _pg.c.title.like(pattern, escape="\\"), _pg.c.counterparty.like(pattern, escape="\\")))


def search_total(text: str, user_id: int) -> int:
    """How many of `user_id`'s agreements a search for `text` finds, from the index alone (PostgreSQL,
    when `answered_by_index`)."""
    return db.session.scalar(select(func.count()).select_from(_pg_matches(text, user_id).subquery()))


def search_page(text: str, user_id: int, sort: str, descending: bool, limit: int,
                offset: int) -> tuple[list[int], int | None]:
    """One page of `user_id`'s memberships a search for `text` finds, in the register's order (sort key,
    nulls last, then agreement id), and how many it finds in all - None when the page is past the last
    (PostgreSQL, when `answered_by_index`). The matches are read once, from the index's table alone."""
    key = _pg.c[PG_SORT_KEYS[sort]]
    ordering = [(key.desc() if descending else key.asc()).nulls_last(),
                _pg.c.agreement_id.desc() if descending else _pg.c.agreement_id.asc()]
    statement = (_pg_matches(text, user_id).add_columns(func.count().over())
                 .order_by(*ordering).limit(limit).offset(offset))
    rows = db.session.execute(statement).all()
    return [row[0] for row in rows], (rows[0][1] if rows else None)


def search_condition(text: str, dialect: str, exact: ColumnElement[bool], user_id: int,
                     walking: bool = False) -> ColumnElement[bool]:
    """The register's search for `text` among `user_id`'s agreements: `exact` (the scan's test of the
    title and the member's counterparty), or the index's equal answer when `text` is long enough.

    On SQLite the matches are joined to the memberships (the member's own view of each: rowid id * 2 for
    the provider's side, id * 2 + 1 for the client's), so the planner starts from the matches and reads
    each membership once through its (agreement, user, side) index - unless `walking` the sort column's
    index, where each agreement met is tested against the matches read once into a list.
    """
    if not answered_by_index(text, dialect):
        return exact
    if dialect == "sqlite":
        matches = column(SQLITE_TABLE).match(_phrase(text.casefold()))
        if walking:
            view = Membership.agreement_id * 2 + case((Membership.side == "provider", 0), else_=1)
            return view.in_(select(_fts.c.rowid).where(matches))
        return and_(matches, Membership.agreement_id == _fts.c.rowid.op("/")(2),
                    Membership.side == case((_fts.c.rowid.op("%")(2) == 0, "provider"), else_="client"))
    return Membership.id.in_(_pg_matches(text, user_id))
