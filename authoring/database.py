"""The SQLAlchemy engine and a session per application context.

SQLite needs help to be safe under several processes (see shared/RELIABILITY.md):
pysqlite's default deferred transactions read, then fail to upgrade to a write lock
without waiting for the busy timeout, or lose updates. So we switch off pysqlite's
own transaction handling, run in WAL mode with a busy timeout, and emit
`BEGIN IMMEDIATE` for every transaction that may write: anything outside a request,
and every request whose method is not a safe one. Safe requests (GET, HEAD,
OPTIONS) never write and take a plain deferred `BEGIN`, so readers never queue.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_WRITING: ContextVar[bool] = ContextVar("writing", default=False)


def wants_write_lock() -> bool:
    """True when the current unit of work may write (so SQLite must lock up front)."""
    return _WRITING.get() or not (has_request_context() and request.method in SAFE_METHODS)


@contextmanager
def writing() -> Iterator[None]:
    """Transactions begun inside write, even during a safe request (an API token's use is counted on a GET)."""
    token = _WRITING.set(True)
    try:
        yield
    finally:
        _WRITING.reset(token)


def _casefold(value):
    return value.casefold() if isinstance(value, str) else value


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # SQLite's lower() and LIKE fold ASCII only: the register's search needs "łódź" to find "ŁÓDŹ".
        dbapi_connection.create_function("casefold", 1, _casefold, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if wants_write_lock() else "BEGIN")


def make_engine(url: str, busy_timeout_ms: int = 5000, **options) -> Engine:
    """Create an engine for `url`, with the SQLite safety settings when it is SQLite."""
    engine = create_engine(url, **options)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, busy_timeout_ms)
    return engine


class Database:
    """Binds an engine to each app and hands out one session per app context."""

    _key = "authoring.database"

    def init_app(self, app: Flask) -> None:
        engine = make_engine(
            app.config["DATABASE_URL"],
            app.config.get("SQLITE_BUSY_TIMEOUT_MS", 5000),
            **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
        )
        app.extensions[self._key] = sessionmaker(bind=engine, expire_on_commit=False)
        app.teardown_appcontext(self._close_session)

    @property
    def engine(self) -> Engine:
        return current_app.extensions[self._key].kw["bind"]

    @property
    def session(self) -> Session:
        """The session of the current app context (created on first use)."""
        if "db_session" not in g:
            g.db_session = current_app.extensions[self._key]()
        return g.db_session

    @staticmethod
    def _close_session(_exc) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()  # rolls back anything not committed

    def dispose(self, app: Flask) -> None:
        """Close the pooled connections of `app`'s engine (tests, forked workers)."""
        app.extensions[self._key].kw["bind"].dispose()
