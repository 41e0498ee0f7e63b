"""Bring a database to the current schema with Alembic, on the app's own engine."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from .extensions import db

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@contextmanager
def _migrating() -> Iterator[Connection]:
    """A connection in one transaction for migrations (SQLite takes the write lock first).

    SQLite alters a table by rebuilding it (Alembic's batch mode): dropping the old
    `agreements` would cascade into, or be refused by, every table that refers to it.
    So on SQLite foreign keys are switched off for the migration - the pragma only acts
    outside a transaction - checked in full before commit, and switched on again before
    the connection goes back to the pool.
    """
    with db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        raw = connection.connection.driver_connection
        if sqlite:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"the migration left rows pointing at nothing: {broken[:5]}")
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys=ON")


def upgrade(revision: str = "head") -> None:
    """Apply migrations up to `revision` in one transaction."""
    with _migrating() as connection:
        command.upgrade(_config(connection), revision)


def downgrade(revision: str) -> None:
    with _migrating() as connection:
        command.downgrade(_config(connection), revision)


def make_revision(message: str) -> None:
    """Autogenerate a migration from the models' difference to the current database."""
    with db.engine.begin() as connection:
        command.revision(_config(connection), message=message, autogenerate=True)


def current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head()
