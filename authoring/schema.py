"""Bring a database to the current schema with Alembic, on the app's own engine."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from .extensions import db

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(revision: str = "head") -> None:
    """Apply migrations up to `revision` in one transaction (SQLite takes the write lock first)."""
    with db.engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def downgrade(revision: str) -> None:
    with db.engine.begin() as connection:
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
