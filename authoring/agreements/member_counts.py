"""How many agreements a user is a member of, by status, without counting their memberships.

Migrations 0019 (PostgreSQL) and 0020 (SQLite) keep a table `register_counts` (user, status →
members) in step with memberships and agreements' statuses by triggers, in the same transaction as
each write, so it is exact: the register's total for a member of 100,000 agreements, unsearched or
filtered by status, is one short index read instead of a count of 100,000 (or a join of 9,000) rows.
On SQLite no statement may REPLACE a membership or an agreement (a row deleted that way fires no
delete trigger; see migration 0020).
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Integer, ScalarSelect, String, column, func, select, table

TABLE = "register_counts"
_counts = table(TABLE, column("user_id", Integer), column("status", String), column("members", Integer))


def member_total(user_id: int, statuses: Sequence[str] = ()) -> ScalarSelect[int]:
    """The agreements `user_id` is a member of (of those `statuses`, when given), as a scalar subquery."""
    statement = select(func.coalesce(func.sum(_counts.c.members), 0)).where(_counts.c.user_id == user_id)
    if statuses:
        statement = statement.where(_counts.c.status.in_(statuses))
    return statement.scalar_subquery()
