"""Flask commands: `db` (migrations), `demo` (sample data), `clauses check`, `outbox send`, `bench`."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from . import schema


def register_commands(app: Flask) -> None:
    app.cli.add_command(db_group)
    app.cli.add_command(clauses_group)
    app.cli.add_command(outbox_group)
    app.cli.add_command(demo_command)
    app.cli.add_command(bench_command)


# AppGroup wraps each subcommand in an app context (a plain click.group does not).
db_group = AppGroup("db", help="Database schema (Alembic migrations).")


@db_group.command("upgrade", help="Bring the database to the newest schema (or to REVISION).")
@click.argument("revision", default="head")
def db_upgrade(revision):
    schema.upgrade(revision)
    click.echo(f"database at {schema.current_revision()}")


@db_group.command("downgrade", help="Undo migrations down to REVISION (e.g. base).")
@click.argument("revision")
def db_downgrade(revision):
    schema.downgrade(revision)
    click.echo(f"database at {schema.current_revision() or 'base'}")


@db_group.command("current", help="Show the database's schema revision.")
def db_current():
    current, head = schema.current_revision(), schema.head_revision()
    click.echo(f"{current or 'base'} (newest: {head})")


@db_group.command("revision", help="Autogenerate a migration from model changes (for developers).")
@click.option("-m", "--message", required=True)
def db_revision(message):
    schema.make_revision(message)


clauses_group = AppGroup("clauses", help="The clause library under clauses/.")


@clauses_group.command("check", help="Validate the clause library and print its size.")
def clauses_check():
    from .library import load_library, LibraryError
    from . import ROOT

    try:
        library = load_library(ROOT / "clauses")
    except LibraryError as error:
        raise click.ClickException(str(error)) from error
    clauses = list(library.clauses.values())
    variants = sum(len(c.variants) for c in clauses)
    # A language counts when every variant of every clause is written in it.
    languages = [language for language in sorted({lang for c in clauses for v in c.variants.values() for lang in v.text})
                 if all(language in v.text for c in clauses for v in c.variants.values())]
    click.echo(f"clause library OK: {len(library.sections)} sections, {len(clauses)} clauses, {variants} variants, "
               f"{len(languages)} languages ({', '.join(languages)}); every variant rendered in each")


outbox_group = AppGroup("outbox", help="E-mail notifications waiting to be sent.")


@outbox_group.command("send", help="Send waiting e-mails (SMTP if SMTP_HOST is set, else to the log).")
@click.option("--limit", type=click.IntRange(min=1), help="Send at most this many.")
def outbox_send(limit):
    from .notifications import send_outbox

    sent, failed = send_outbox(limit)
    click.echo(f"sent {sent} message{'' if sent == 1 else 's'}, {failed} failed")
    if failed:
        raise SystemExit(1)  # so cron and CI notice; the failed messages are retried next run


@click.command("demo", help="Create demo users and a sample agreement (safe to run twice).")
@with_appcontext
def demo_command():
    from .demo import DEMO_PASSWORD, create_demo

    schema.upgrade()
    created = create_demo()
    if not created:
        click.echo("Demo data is already there; nothing was changed.")
    else:
        click.echo("Demo data created.")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    from .demo import DEMO_USERS

    for email, name, description in DEMO_USERS:
        click.echo(f"  {email:<28} {name} — {description}")
    if current_app.config["APP_ENV"] != "production":
        click.echo("Start the app with: flask --app app run   then open http://127.0.0.1:5000")


@click.command("bench", help="Time the redline against diff-match-patch and count the redline page's queries.")
@click.option("--clauses", default=300, show_default=True, type=click.IntRange(min=10), help="Clauses in the synthetic agreement.")
@click.option("--runs", default=7, show_default=True, type=click.IntRange(min=1), help="Timed runs; medians are reported.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write every figure to this file.")
def bench_command(clauses, runs, json_path):
    # It builds its own throw-away SQLite app; the configured database is never touched.
    from .bench import run_and_report

    run_and_report(clauses, runs, json_path, echo=click.echo)
