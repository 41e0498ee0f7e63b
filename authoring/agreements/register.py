"""The register: every agreement a user belongs to, searched, filtered, sorted and paged in SQL.

A page costs the same few statements whether the user has ten agreements or a hundred
thousand: one count, one page of 25 rows, and one grouped query for what the page's
rows need beyond the agreement itself (open proposals awaiting the user's side, and
whether that side has signed). Search, filters and sorting all run in the database
against the indexed date columns that `Agreement` keeps in step with the terms, the
index on the folded title, and the text index (search_index) that answers a search or
narrows it before the exact test.

The total comes first: for a page without a search, "needs my attention" or a token's `only`,
from counts kept by triggers (member_counts), else counted. It decides how the page is read on
SQLite, whose planner does not know how many agreements a member has: a member of few has theirs
read and sorted; a member of many has the sort column's index walked in order, keeping theirs,
until the page is full (see `_walks_sort_index`). PostgreSQL's planner knows and chooses itself; there a search answered by
the index reads the page's matches and the total in one statement (search_page).
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, case, distinct, exists, func, or_, select

from ..extensions import db
from ..models import STATUSES, Agreement, Amendment, Membership, Proposal, Signature
from ..render.paging import page_links
from ..reviews.reminders import REVIEW_NOTICE
from . import member_counts
from .search_index import answered_by_index, escape_like, search_condition, search_page, search_total

PER_PAGE = 25
SEARCH_MAX = 200
SORT_LABELS = {
    "review": _l("Next review"),
    "title": _l("Title"),
    "effective": _l("Effective date"),
    "ends": _l("End date"),
    "renewal": _l("Renewal window"),
}
DEFAULT_SORT = "review"
# A closed agreement has no review to hold, whatever date it last had scheduled.
CLOSED_STATUSES = ("terminated", "expired")
_TRUE, _FALSE = frozenset({"1", "on", "true", "yes"}), frozenset({"", "0", "off", "false", "no"})
_PAGE_RE = re.compile(r"[0-9]{1,9}")


@dataclass(frozen=True)
class RegisterQuery:
    """What the user asked the register for, already validated."""

    search: str = ""
    statuses: tuple[str, ...] = ()
    attention: bool = False
    sort: str = DEFAULT_SORT
    descending: bool = False
    page: int = 1

    @property
    def filtered(self) -> bool:
        return bool(self.search or self.statuses or self.attention)

    def args(self, **changes: Any) -> dict[str, Any]:
        """Query-string arguments for this query with `changes`, defaults left out (for url_for)."""
        query = replace(self, **changes)
        args: dict[str, Any] = {}
        if query.search:
            args["q"] = query.search
        if query.statuses:
            args["status"] = list(query.statuses)
        if query.attention:
            args["attention"] = "1"
        if query.sort != DEFAULT_SORT:
            args["sort"] = query.sort
        if query.descending:
            args["dir"] = "desc"
        if query.page != 1:
            args["page"] = query.page
        return args


def parse_register_query(args: Mapping[str, Sequence[str]]) -> tuple[RegisterQuery, list[str]]:
    """Validate query-string arguments (name → values): the query, and what was ignored and why.

    Nothing here raises: an unknown value is dropped (or replaced by the default) and named
    in a message, so a hand-edited or stale link still shows a register.
    """
    problems: list[str] = []

    def first(name: str) -> str:
        values = args.get(name) or [""]
        return values[0]

    search = unicodedata.normalize("NFC", "".join(c for c in first("q") if unicodedata.category(c) != "Cc")).strip()
    if len(search) > SEARCH_MAX:
        search = search[:SEARCH_MAX]
        problems.append(_("The search was shortened to its first %(num)d characters.", num=SEARCH_MAX))

    statuses = []
    for value in args.get("status") or []:
        if value in STATUSES:
            statuses.append(value)
        elif value:
            problems.append(_("“%(value)s” is not a status; it was ignored. Choose among the statuses listed.",
                               value=value[:40]))
    ordered = tuple(status for status in STATUSES if status in statuses)

    attention_value = first("attention").lower()
    attention = attention_value in _TRUE
    if not attention and attention_value not in _FALSE:
        problems.append(_("“Needs my attention” takes yes or no; showing every agreement."))

    sort = first("sort") or DEFAULT_SORT
    if sort not in SORT_LABELS:
        problems.append(_("The register cannot be sorted by “%(sort)s”; it is sorted by next review date.", sort=sort[:40]))
        sort = DEFAULT_SORT
    direction = first("dir") or "asc"
    if direction not in ("asc", "desc"):
        problems.append(_("The order is ascending or descending; showing ascending."))
        direction = "asc"

    page_value = first("page") or "1"
    page = int(page_value) if _PAGE_RE.fullmatch(page_value) else 0
    if page < 1:
        problems.append(_("“%(value)s” is not a page number; showing the first page.", value=page_value[:40]))
        page = 1
    return RegisterQuery(search, ordered, attention, sort, direction == "desc", page), problems


@dataclass(frozen=True)
class RegisterRow:
    """One agreement as the register shows it to one member."""

    agreement_id: int
    title: str
    counterparty: str
    side: str
    role: str
    status: str
    effective_on: date | None
    ends_on: date | None
    next_review_on: date | None
    renewal_opens_on: date | None
    review_due: bool
    renewal_open: bool
    proposals_awaiting: int  # open proposals the other side made, for this member's side to answer
    signature_awaited: bool  # signing, this member is a signatory, and their side has not signed
    executed_outside: bool = False  # imported as executed: signed before it came here (Agreement.executed_outside)

    @property
    def needs_attention(self) -> bool:
        return bool(self.proposals_awaiting or self.review_due or self.renewal_open or self.signature_awaited)


@dataclass(frozen=True)
class RegisterPage:
    rows: list[RegisterRow]
    total: int
    query: RegisterQuery  # page clamped to the pages there are
    per_page: int = PER_PAGE
    requested_page: int = 1  # the page asked for, before clamping

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first(self) -> int:
        return (self.query.page - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0

    def page_numbers(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last and those near the current one; None for a gap."""
        return page_links(self.query.page, self.pages, around)


# SQL ------------------------------------------------------------------------------------

def _folded(column: ColumnElement, dialect: str) -> ColumnElement:
    return func.casefold(column) if dialect == "sqlite" else func.lower(column)


def _contains(column: ColumnElement, text: str, dialect: str) -> ColumnElement:
    """Case-insensitive substring match; % and _ in `text` are literal."""
    if dialect == "sqlite":
        return func.casefold(column).like(f"%{escape_like(text.casefold())}%", escape="\\")
    return column.ilike(f"%{escape_like(text)}%", escape="\\")


_COUNTERPARTY = case((Membership.side == "provider", Agreement.client_name), else_=Agreement.provider_name)


# Why an agreement needs a member's attention. The page's own rows get the first two as
# columns and the last two from `_page_facts`, which must say the same thing.
def _review_due(today: date) -> ColumnElement[bool]:
    """A review due within the notice period (or overdue) on an agreement still in force."""
    return and_(Agreement.next_review_on <= today + REVIEW_NOTICE, Agreement.status.not_in(CLOSED_STATUSES))


def _renewal_open(today: date) -> ColumnElement[bool]:
    return and_(Agreement.renewal_opens_on <= today, Agreement.ends_on >= today)


_PROPOSALS_AWAITING = exists().where(
    Proposal.agreement_id == Agreement.id, Proposal.status == "open", Proposal.side != Membership.side)


def _signing_round(agreement_id) -> ColumnElement[int]:
    """The agreement's current signing round: its latest amendment not abandoned, else 0 (as
    reviews.amendments.signing_round), so the original's signatures never count for an amendment."""
    return func.coalesce(select(func.max(Amendment.number)).where(
        Amendment.agreement_id == agreement_id, Amendment.status != "abandoned").scalar_subquery(), 0)


_SIGNATURE_AWAITED = and_(
    Agreement.status == "signing", Membership.role == "signatory",
    ~exists().where(Signature.agreement_id == Agreement.id, Signature.side == Membership.side,
                    Signature.voided_at.is_(None), Signature.amendment_number == _signing_round(Agreement.id)))


def _conditions(user_id: int, query: RegisterQuery, today: date, dialect: str,
                only: Collection[int] | None = None, walking: bool = False) -> list[ColumnElement[bool]]:
    """The WHERE clause. `walking`: the page is read by walking the sort column's index on SQLite, so
    the member and status tests are written as expressions (`+ 0`, `|| ''`) no index answers, and
    the planner has no other way in."""
    conditions: list[ColumnElement[bool]] = [(Membership.user_id + 0 if walking else Membership.user_id) == user_id]
    if only is not None:
        conditions.append(Membership.agreement_id.in_(sorted(only)))
    if query.search:
        conditions.append(search_condition(query.search, dialect, or_(
            _contains(Agreement.title, query.search, dialect), _contains(_COUNTERPARTY, query.search, dialect)),
            user_id, walking))
    if query.statuses:
        conditions.append((Agreement.status.concat("") if walking else Agreement.status).in_(query.statuses))
    if query.attention:
        conditions.append(or_(_PROPOSALS_AWAITING, _review_due(today), _renewal_open(today), _SIGNATURE_AWAITED))
    return conditions


def _ordering(query: RegisterQuery, dialect: str) -> list[ColumnElement]:
    key = {
        "title": _folded(Agreement.title, dialect),
        "effective": Agreement.effective_on,
        "ends": Agreement.ends_on,
        "review": Agreement.next_review_on,
        "renewal": Agreement.renewal_opens_on,
    }[query.sort]
    primary = (key.desc() if query.descending else key.asc()).nulls_last()
    return [primary, Agreement.id.desc() if query.descending else Agreement.id.asc()]


def _joined(dialect: str, query: RegisterQuery, walking: bool) -> Select:
    """Memberships joined to their agreements. Where SQLite's search joins its matches to the memberships,
    the agreement is joined through an expression (`+ 0`): the planner then reads each membership from its
    match and the agreement from its membership, rather than the agreement of every match (of any member,
    either side's view) first."""
    member_first = dialect == "sqlite" and not walking and answered_by_index(query.search, dialect)
    agreement_id = Membership.agreement_id + 0 if member_first else Membership.agreement_id
    return select().select_from(Membership).join(Agreement, Agreement.id == agreement_id)


def _walks_sort_index(total: int, agreements: int, offset: int) -> bool:
    """Whether walking the sort column's index (about `agreements` entries, the member's `total` among
    them, evenly spread) reaches the page sooner than reading the member's `total` and sorting them.

    The walk visits about (offset + PER_PAGE) x agreements / total entries before the page is full:
    for a member of 100,000 agreements out of 100,010, 25; for a member of 10, the whole index.
    """
    return total > 0 and (offset + PER_PAGE) * agreements < total * total


def _page_facts(user_id: int, agreement_ids: list[int]) -> dict[int, tuple[int, int]]:
    """agreement id → (open proposals by the other side, valid signatures by the member's side)."""
    statement = (
        select(Membership.agreement_id, func.count(distinct(Proposal.id)), func.count(distinct(Signature.id)))
        .select_from(Membership)
        .outerjoin(Proposal, and_(Proposal.agreement_id == Membership.agreement_id, Proposal.status == "open",
                                  Proposal.side != Membership.side))
        .outerjoin(Signature, and_(Signature.agreement_id == Membership.agreement_id,
                                   Signature.side == Membership.side, Signature.voided_at.is_(None),
                                   Signature.amendment_number == _signing_round(Membership.agreement_id)))
        .where(Membership.user_id == user_id, Membership.agreement_id.in_(agreement_ids))
        .group_by(Membership.agreement_id)
    )
    return {agreement_id: (awaiting, signed) for agreement_id, awaiting, signed in db.session.execute(statement)}


def agreement_register(user_id: int, query: RegisterQuery, today: date,
                       only: Collection[int] | None = None) -> RegisterPage:
    """The page of the register `query` asks for: the agreements `user_id` is a member of
    (of those, only the ones in `only` when given: an API token limited to some agreements).

    Three statements whatever the number of agreements (five for a searched page past the last on
    PostgreSQL: the total, then the last page's matches). A page past the last one is clamped to the
    last (the page's `requested_page` keeps what was asked).
    """
    # SQLite folds ASCII only in lower()/LIKE; database.py gives its connections a Unicode casefold().
    dialect = db.engine.dialect.name
    conditions = _conditions(user_id, query, today, dialect, only)
    joined = _joined(dialect, query, walking=False)
    # Without a condition on the agreement itself, the member's agreements are counted from their
    # memberships alone. With the count, the highest agreement id: about how many the sort index holds.
    on_agreement = bool(query.statuses or query.attention
                        or (query.search and not answered_by_index(query.search, dialect)))
    alone = only is None and not (query.statuses or query.attention)
    searched_page = False  # the page's own rows already chosen (PostgreSQL's indexed search)
    highest = select(func.max(Agreement.id)).correlate(None).scalar_subquery()
    highest_id = None
    if only is None and not (query.search or query.attention):
        total, highest_id = db.session.execute(select(member_counts.member_total(user_id, query.statuses),
                                                      highest)).one()
    elif dialect == "postgresql" and alone and answered_by_index(query.search, dialect):
        # The page's memberships and the total in one read of the index's table; then the page by their ids.
        offset = (query.page - 1) * PER_PAGE
        ids, total = search_page(query.search, user_id, query.sort, query.descending, PER_PAGE, offset)
        if total is None and query.page == 1:  # nothing found
            total = 0
        elif total is None:  # past the last page: clamped to it
            total = search_total(query.search, user_id)
            offset = (max(1, math.ceil(total / PER_PAGE)) - 1) * PER_PAGE
            ids, _total = search_page(query.search, user_id, query.sort, query.descending, PER_PAGE, offset)
        conditions, searched_page = [Membership.user_id == user_id, Membership.id.in_(ids)], True
    else:
        counted = (joined if on_agreement else select().select_from(Membership)).where(*conditions)
        total, highest_id = db.session.execute(counted.add_columns(func.count(), highest)).one()
    page = min(query.page, max(1, math.ceil(total / PER_PAGE)))
    if dialect == "sqlite" and _walks_sort_index(total, highest_id or 0, (page - 1) * PER_PAGE):
        conditions = _conditions(user_id, query, today, dialect, only, walking=True)
        joined = _joined(dialect, query, walking=True)
    statement = (
        joined.add_columns(
            Agreement.id, Agreement.title, _COUNTERPARTY.label("counterparty"), Membership.side, Membership.role,
            Agreement.status, Agreement.effective_on, Agreement.ends_on, Agreement.next_review_on,
            Agreement.renewal_opens_on, _review_due(today).label("review_due"),
            _renewal_open(today).label("renewal_open"),
            and_(Agreement.executed_revision_id.is_not(None), Agreement.executed_at.is_(None)).label("executed_outside"),
        )
        .where(*conditions)
        .order_by(*_ordering(query, dialect))
        .limit(PER_PAGE)
        .offset(0 if searched_page else (page - 1) * PER_PAGE)
    )
    found = db.session.execute(statement).all()
    facts = _page_facts(user_id, [row.id for row in found])
    rows = []
    for row in found:
        awaiting, signed = facts.get(row.id, (0, 0))
        rows.append(RegisterRow(
            agreement_id=row.id, title=row.title, counterparty=row.counterparty, side=row.side, role=row.role,
            status=row.status, effective_on=row.effective_on, ends_on=row.ends_on,
            next_review_on=row.next_review_on, renewal_opens_on=row.renewal_opens_on,
            review_due=bool(row.review_due), renewal_open=bool(row.renewal_open), proposals_awaiting=awaiting,
            signature_awaited=row.status == "signing" and row.role == "signatory" and not signed,
            executed_outside=bool(row.executed_outside),
        ))
    return RegisterPage(rows, total, replace(query, page=page), requested_page=query.page)
