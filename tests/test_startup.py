"""Start-up: under the `flask` command, an app whose clause library was already checked finishes its setup
on first use, so `flask --help` lists every command without importing the views; any command, request
or app-context use finds the app complete; a new or broken library is checked (and stops) at start-up."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import click
import pytest
from flask import current_app, render_template_string
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException

import authoring
from authoring import create_app
from authoring.extensions import db
from authoring.library import LibraryError, loader
from authoring.models import User
from conftest import base_config

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("docx", "lxml", "sqlalchemy", "flask_smorest", "marshmallow", "holidays", "yaml", "flask_babel",
         "authoring.accounts", "authoring.agreements", "authoring.models", "authoring.library.loader")

HELP_PROBE = textwrap.dedent("""
    import json, sys
    from flask.cli import main
    sys.argv = ["flask", "--app", "app", "--help"]
    try:
        main()
    except SystemExit:
        pass
    from app import app
    loaded = sorted(m for m in sys.modules if any(m == heavy or m.startswith(heavy + ".") for heavy in HEAVY))
    print(json.dumps({"loaded": loaded, "set_up": app.setup_finished}), file=sys.stderr)
""")


def _commands_in_help(text: str) -> dict[str, str]:
    """Command name -> short help, from the 'Commands:' part of a click help page."""
    listed = text.split("Commands:", 1)[1]
    return dict(line.strip().split(None, 1) for line in listed.splitlines() if line.strip())


@pytest.fixture
def deferred(monkeypatch):
    """As the `flask` command loads the app (which says so in FLASK_RUN_FROM_CLI), after a first start."""
    create_app(base_config())  # a first start checks the library and leaves its mark in the instance folder
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")


def test_flask_help_lists_every_command_without_importing_the_views():
    eager = create_app(base_config())  # also checks the library and leaves its mark, as a first start does
    with click.Context(eager.cli) as ctx:
        expected = {name: eager.cli.get_command(ctx, name).help for name in eager.cli.list_commands(ctx)}

    env = {key: value for key, value in os.environ.items() if key not in ("FLASK_APP", "FLASK_RUN_FROM_CLI")}
    env["PYTHONPATH"] = str(ROOT)
    probe = HELP_PROBE.replace("HEAVY", repr(HEAVY))
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=True)
    report = json.loads(done.stderr.strip().splitlines()[-1])

    listed = _commands_in_help(done.stdout)
    for name, help_text in expected.items():
        assert name in listed, f"{name} missing from flask --help"
        assert help_text.startswith(listed[name].removesuffix("..."))  # shortened to the terminal's width
    assert {"run", "shell", "routes"} <= set(listed)
    assert report == {"loaded": [], "set_up": False}


def test_the_first_request_after_a_deferred_start_serves_normally(deferred, db_config, monkeypatch):
    runs = []
    real = authoring._set_up
    monkeypatch.setattr(authoring, "_set_up", lambda app: (runs.append(app), real(app)))
    app = create_app(base_config(**db_config))
    assert not app.setup_finished and runs == []

    barrier = threading.Barrier(4)
    answers = []

    def first_request():
        client = app.test_client()
        barrier.wait()
        answers.append(client.get("/login"))

    threads = [threading.Thread(target=first_request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert runs == [app] and app.setup_finished  # once, however many requests came first
    for response in answers:
        assert response.status_code == 200
        assert 'name="csrf_token"' in response.get_data(as_text=True)
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert app.test_client().get("/no-such-page").status_code == 404
    db.dispose(app)


def test_an_app_context_pushed_first_finds_the_database_the_library_and_the_template_helpers(deferred, db_config):
    app = create_app(base_config(**db_config))
    assert not app.setup_finished
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0
        assert render_template_string("{{ language_direction('he') }}") == "rtl"  # the app's template helpers
        assert current_app.extensions["clause_library"].clauses
    assert app.setup_finished
    db.dispose(app)


def test_what_a_caller_adds_before_first_use_comes_after_the_apps_own(deferred, db_config):
    app = create_app(base_config(**db_config))

    @app.errorhandler(HTTPException)  # the app's own handler of every HTTP error: the later one is used
    def own_page(error):
        return "the caller's own page", error.code

    response = app.test_client().get("/no-such-page")
    assert response.status_code == 404 and response.get_data(as_text=True) == "the caller's own page"
    db.dispose(app)


def test_commands_run_on_a_complete_app_and_help_does_not_set_it_up(deferred, db_config):
    app = create_app(base_config(**db_config))
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["--help"])
    assert listing.exit_code == 0 and "clauses" in listing.output and "openapi" in listing.output
    assert not app.setup_finished

    result = runner.invoke(args=["openapi", "print"])
    assert result.exit_code == 0, result.output
    assert "/api/v1/agreements" in json.loads(result.output)["paths"]
    assert app.setup_finished
    db.dispose(app)


def test_a_broken_library_still_stops_the_flask_command_at_start_up(deferred, tmp_path, monkeypatch):
    root = tmp_path / "project"
    shutil.copytree(ROOT / "clauses", root / "clauses")
    path = root / "clauses" / "25_service_levels.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("{{", "{{ nonexistent_term }} {{", 1), encoding="utf-8")
    monkeypatch.setattr(authoring, "ROOT", root)
    monkeypatch.setattr(loader, "_LOADED", {})

    with pytest.raises(LibraryError) as raised:
        create_app(base_config())
    assert "25_service_levels.yaml" in str(raised.value) and "clause '" in str(raised.value)


def test_the_shell_finds_a_complete_app(deferred, db_config):
    app = create_app(base_config(**db_config))
    assert not app.setup_finished
    context = app.make_shell_context()  # what `flask shell` calls before it starts
    assert context["app"] is app and app.setup_finished
    assert "agreements" in app.blueprints and app.request_class.__module__ == "authoring.inputs.request"
    db.dispose(app)


def test_a_failed_deferred_setup_fails_every_later_use_naming_the_first_failure(deferred, db_config, monkeypatch):
    app = create_app(base_config(**db_config))
    monkeypatch.setattr(loader, "_LOADED", {})
    monkeypatch.setattr(authoring, "ROOT", Path("/nonexistent-accord-root"))  # the library cannot be read

    client = app.test_client()
    with pytest.raises(Exception) as first:
        client.get("/login")
    assert not app.setup_finished
    for _ in range(3):
        with pytest.raises(RuntimeError, match="setup failed") as later:
            client.get("/login")
        assert later.value.__cause__ is first.value  # the first failure, named; never retried half-way
