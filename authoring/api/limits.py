"""What the API keeps about requests, in the database so that every app process agrees:
how many requests each token made this minute (the rate limit) and the answers to POSTs
sent with an Idempotency-Key (so a retried request never acts twice).

Each of these writes runs in a short transaction of its own, beside the request's
session: a count is kept even when the request then fails, and a GET (whose own
transaction never writes) can still be counted.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..database import writing
from ..extensions import db
from ..models import ApiRequestCount, ApiToken, IdempotencyKey, utcnow

WINDOW = timedelta(minutes=1)
KEEP_IDEMPOTENCY = timedelta(hours=24)


@contextmanager
def own_transaction() -> Iterator[Session]:
    """A session of its own that writes and commits now, whatever the request's session does."""
    with writing(), Session(db.engine, expire_on_commit=False) as session, session.begin():
        yield session


@dataclass(frozen=True)
class Usage:
    count: int  # requests in this window, this one included
    limit: int
    reset_in: int  # whole seconds until the window ends

    @property
    def exceeded(self) -> bool:
        return self.count > self.limit

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.count)


def count_request(token_id: int, limit: int, now: datetime | None = None) -> Usage:
    """Count one request of the token in the current minute (one upsert); note when it was last used."""
    now = now or utcnow()
    window = now.replace(second=0, microsecond=0)
    with own_transaction() as session:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(ApiRequestCount).values(token_id=token_id, window_start=window, count=1)
        statement = statement.on_conflict_do_update(
            index_elements=[ApiRequestCount.token_id, ApiRequestCount.window_start],
            set_={"count": ApiRequestCount.count + 1},
        ).returning(ApiRequestCount.count)
        count = session.execute(statement).scalar_one()
        if count == 1:  # a new window: the token's older ones are of no more use, and last use moves on
            session.execute(delete(ApiRequestCount).where(ApiRequestCount.token_id == token_id,
                                                          ApiRequestCount.window_start < window))
            session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
    reset_in = max(1, int((window + WINDOW - now).total_seconds() + 0.999))
    return Usage(count, limit, reset_in)


# Idempotency ---------------------------------------------------------------------------------

def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


@dataclass(frozen=True)
class Stored:
    """What a key already holds: the request it was first used for and, once finished, its answer."""

    method: str
    path: str
    request_hash: str
    status: int | None
    body: str | None
    content_type: str | None
    location: str | None


class KeyTaken(Exception):
    """Another request holds this key right now (it was reserved between our look-up and insert)."""


def look_up_key(token_id: int, key: str) -> Stored | None:
    with own_transaction() as session:
        row = session.scalar(select(IdempotencyKey).where(IdempotencyKey.token_id == token_id,
                                                          IdempotencyKey.key == key))
        if row is None:
            return None
        return Stored(row.method, row.path, row.request_hash, row.response_status, row.response_body,
                      row.response_type, row.response_location)


def reserve_key(token_id: int, key: str, method: str, path: str, request_hash: str) -> int:
    """Hold `key` for this request before it runs (KeyTaken if another got it first); returns the row id."""
    try:
        with own_transaction() as session:
            # Keys are kept a day; older ones go as new ones come, so the table stays small.
            session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < utcnow() - KEEP_IDEMPOTENCY))
            row = IdempotencyKey(token_id=token_id, key=key, method=method, path=path, request_hash=request_hash)
            session.add(row)
            session.flush()
            return row.id
    except IntegrityError:
        raise KeyTaken(key) from None


def finish_key(row_id: int, status: int, body: str, content_type: str, location: str | None) -> None:
    with own_transaction() as session:
        session.execute(update(IdempotencyKey).where(IdempotencyKey.id == row_id).values(
            response_status=status, response_body=body, response_type=content_type[:100],
            response_location=location[:500] if location else None))


def release_key(row_id: int) -> None:
    """Forget a key whose request failed on our side (5xx), so that a retry runs again."""
    with own_transaction() as session:
        session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == row_id))
