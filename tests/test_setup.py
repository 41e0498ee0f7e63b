"""Setting up: configuration from the environment, migrations, and the CLI commands."""
from __future__ import annotations

import stat

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from conftest import base_config
from sqlalchemy import inspect

from authoring import create_app
from authoring.config import ConfigError, settings_from_environment
from authoring.extensions import db
from authoring.models import Base

# Configuration -----------------------------------------------------------------------

@pytest.fixture
def clean_environment(monkeypatch):
    for name in ("SECRET_KEY", "SIGNATURE_KEY", "AUDIT_KEY", "APP_ENV", "DATABASE_URL", "SESSION_COOKIE_SECURE", "SQLITE_BUSY_TIMEOUT_MS",
                 "PUBLIC_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_development_secret_key_is_generated_once_and_private(clean_environment, tmp_path):
    first = settings_from_environment(tmp_path)
    second = settings_from_environment(tmp_path)
    key_file = tmp_path / "secret_key"
    assert len(first["SECRET_KEY"]) == 64 and first["SECRET_KEY"] == second["SECRET_KEY"]
    assert key_file.read_text() == first["SECRET_KEY"]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first["DATABASE_URL"] == f"sqlite:///{tmp_path / 'authoring.sqlite3'}"
    assert first["SESSION_COOKIE_SECURE"] is False and first["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert first["PUBLIC_URL"] == ""  # links are made from the address the app serves (config.public_url)


def test_production_refuses_to_start_without_a_secret_key(clean_environment, tmp_path):
    clean_environment.setenv("APP_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        settings_from_environment(tmp_path)
    assert not (tmp_path / "secret_key").exists()
    clean_environment.setenv("SECRET_KEY", "from-the-environment")
    with pytest.raises(ConfigError, match="SIGNATURE_KEY is not set"):
        settings_from_environment(tmp_path)
    clean_environment.setenv("SIGNATURE_KEY", "sealing-key-from-the-environment")
    with pytest.raises(ConfigError, match="AUDIT_KEY is not set"):
        settings_from_environment(tmp_path)
    clean_environment.setenv("AUDIT_KEY", "audit-key-from-the-environment")
    with pytest.raises(ConfigError, match="PUBLIC_URL is not set"):
        settings_from_environment(tmp_path)
    clean_environment.setenv("PUBLIC_URL", "agreements.example.com")
    with pytest.raises(ConfigError, match="PUBLIC_URL must be an http"):
        settings_from_environment(tmp_path)
    clean_environment.setenv("PUBLIC_URL", "https://agreements.example.com/")
    settings = settings_from_environment(tmp_path)
    assert settings["PUBLIC_URL"] == "https://agreements.example.com"
    assert settings["SECRET_KEY"] == "from-the-environment"
    assert settings["SIGNATURE_KEY"] == "sealing-key-from-the-environment"
    assert settings["AUDIT_KEY"] == "audit-key-from-the-environment"
    assert settings["SESSION_COOKIE_SECURE"] is True  # production cookies are Secure by default


def test_development_derives_a_signature_key_distinct_from_the_secret_key(clean_environment, tmp_path):
    clean_environment.setenv("SECRET_KEY", "dev-secret")
    settings = settings_from_environment(tmp_path)
    assert len(settings["SIGNATURE_KEY"]) == 64 and "dev-secret" not in settings["SIGNATURE_KEY"]
    assert settings_from_environment(tmp_path)["SIGNATURE_KEY"] == settings["SIGNATURE_KEY"]
    assert len(settings["AUDIT_KEY"]) == 64 and settings["AUDIT_KEY"] not in (settings["SIGNATURE_KEY"], "dev-secret")
    assert settings_from_environment(tmp_path)["AUDIT_KEY"] == settings["AUDIT_KEY"]


def test_bad_numbers_in_the_environment_are_named(clean_environment, tmp_path):
    clean_environment.setenv("SQLITE_BUSY_TIMEOUT_MS", "five seconds")
    with pytest.raises(ConfigError, match="SQLITE_BUSY_TIMEOUT_MS must be a whole number"):
        settings_from_environment(tmp_path)


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    app = create_app(base_config(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", SQLITE_BUSY_TIMEOUT_MS=4321))
    try:
        with app.app_context(), db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 4321
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        db.dispose(app)


# Migrations --------------------------------------------------------------------------

# SQLAlchemy cannot reflect SQLite's expression indexes, and says so; that one is the migration's own.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index ix_agreements_folded_title")
def test_migrations_match_the_models_and_go_down_and_up(app, runner, backend):
    """The migrated schema is exactly what the models declare (and the register's text index, which
    they cannot), and the history is reversible."""
    from authoring.agreements.search_index import include_name

    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}), Base.metadata)
    assert differences == []

    result = runner.invoke(args=["db", "downgrade", "base"])
    assert result.exit_code == 0, result.output
    assert "database at base" in result.output
    with app.app_context(), db.engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) <= {"alembic_version"}

    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context(), db.engine.connect() as connection:
        assert set(Base.metadata.tables) <= set(inspect(connection).get_table_names())
    current = runner.invoke(args=["db", "current"])
    assert current.exit_code == 0
    head = current.output.split()[0]
    assert current.output.strip() == f"{head} (newest: {head})"


# CLI ---------------------------------------------------------------------------------

def test_demo_creates_data_once_and_then_changes_nothing(app, runner):
    from authoring.models import Agreement, AuditEvent, Revision, User
    from sqlalchemy import func, select

    def counts():
        with app.app_context():
            return [db.session.scalar(select(func.count()).select_from(model))
                    for model in (User, Agreement, Revision, AuditEvent)]

    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "Demo data created." in first.output
    assert "provider@example.com" in first.output and "demo-password" in first.output
    assert "http://127.0.0.1:5000" in first.output
    after_first = counts()
    # English: 3 revisions (one negotiated round); Spanish, Polish, Russian, Tagalog: 1 each; the two
    # executed ones (English, Hebrew): 2 each, then 1 for each amendment.
    assert after_first[:3] == [5, 7, 13]

    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    assert "already there; nothing was changed" in second.output
    assert counts() == after_first


def test_demo_logins_work(app, runner, client, login):
    assert runner.invoke(args=["demo"]).exit_code == 0
    login(client, "client@example.com", "demo-password")
    page = client.get("/agreements").get_data(as_text=True)
    assert "Managed IT support for Globex Logistics" in page



def test_demo_agreements_have_every_step_answered_in_each_language(app, runner):
    from sqlalchemy import select

    from authoring.document import Document
    from authoring.interview.health import check_health
    from authoring.interview.steps import step_status
    from authoring.models import Agreement, Draft

    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        agreements = db.session.scalars(select(Agreement).order_by(Agreement.id)).all()
        assert [(a.language, a.status) for a in agreements] == [
            ("en", "negotiating"), ("es", "draft"), ("pl", "draft"), ("ru", "draft"), ("tl", "draft"),
            ("en", "executed"), ("he", "executed")]
        for agreement in agreements:
            document = Document.from_json(db.session.get(Draft, agreement.id).document)
            assert all(not missing for missing in step_status(document.terms).values())
            assert check_health(document.terms) == []
            text = " ".join(c.text for c in document.clauses())
            assert "[●]" not in text
        # Each speaks its language's defined term for the provider, and no clause is left in English.
        for agreement, provider in zip(agreements, ("Provider", "el Proveedor", "Usługodawc", "Исполнител",
                                                    "Tagapagbigay ng Serbisyo", "Provider", "נותן השירותים")):
            text = " ".join(c.text for c in Document.from_json(db.session.get(Draft, agreement.id).document).clauses())
            assert provider in text, agreement.language
            if agreement.language != "en":
                assert " the Provider " not in text and " shall " not in text
