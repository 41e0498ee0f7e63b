"""Flask commands: `db`, `demo`, `clauses check`, `outbox send`, `bench`, `export`, `import terms|word|agreements`,
`verify`, `remind`, `audit verify`, `sla import`, `sla report`; also `token create` (api/cli.py) and flask-smorest's
`openapi`. Listing them imports nothing but click: each command imports what it needs when it runs."""
from __future__ import annotations

import functools

import click
from flask import Flask, current_app
from flask.cli import AppGroup, ScriptInfo, with_appcontext


def register_commands(app: Flask) -> None:
    """Add the app's commands. Their modules import only click: what a command needs, it imports when run."""
    from .api.cli import token_group

    for command in (db_group, clauses_group, outbox_group, demo_command, bench_command, export_group, import_group,
                    verify_command, remind_command, audit_group, sla_group, token_group, openapi_group):
        app.cli.add_command(_sets_up_first(command))


def _sets_up_first(command: click.Command) -> click.Command:
    """`command` (each command of a group) finishes the app's setup before it runs (application.py).

    Listing or describing commands (`flask --help`, `flask db --help`) runs no callback, so it does not.
    """
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            _sets_up_first(subcommand)
    elif command.callback is not None and not getattr(command.callback, "sets_up_first", False):
        run = command.callback

        @functools.wraps(run)
        def set_up_then_run(*args, **kwargs):
            # The app the command is run for: current under `flask`; else the one a test runner was made from.
            app = current_app._get_current_object() if current_app else (
                click.get_current_context().ensure_object(ScriptInfo).load_app())
            app.finish_setup()
            return run(*args, **kwargs)

        set_up_then_run.sets_up_first = True
        command.callback = set_up_then_run
    return command


class _OpenApiCommands(click.Group):
    """flask-smorest's `openapi` commands, listed without importing flask-smorest.

    Its Api adds the real group to the app when the app finishes its setup; until then (`flask --help`,
    `flask openapi print` under a deferred setup) this stands in for it and reads its commands on use.
    """

    def list_commands(self, ctx):
        from flask_smorest.spec import openapi_cli

        return openapi_cli.list_commands(ctx)

    def get_command(self, ctx, name):
        from flask_smorest.spec import openapi_cli

        command = openapi_cli.get_command(ctx, name)
        return None if command is None else _sets_up_first(command)


openapi_group = _OpenApiCommands("openapi", help="OpenAPI commands.")  # flask-smorest's own help text


# AppGroup wraps each subcommand in an app context (a plain click.group does not).
db_group = AppGroup("db", help="Database schema (Alembic migrations).")


@db_group.command("upgrade", help="Bring the database to the newest schema (or to REVISION).")
@click.argument("revision", default="head")
def db_upgrade(revision):
    from . import schema  # Alembic: loaded by the commands that need it, not on every start
    schema.upgrade(revision)
    click.echo(f"database at {schema.current_revision()}")


@db_group.command("downgrade", help="Undo migrations down to REVISION (e.g. base).")
@click.argument("revision")
def db_downgrade(revision):
    from . import schema  # Alembic: loaded by the commands that need it, not on every start
    schema.downgrade(revision)
    click.echo(f"database at {schema.current_revision() or 'base'}")


@db_group.command("current", help="Show the database's schema revision.")
def db_current():
    from . import schema  # Alembic: loaded by the commands that need it, not on every start
    current, head = schema.current_revision(), schema.head_revision()
    click.echo(f"{current or 'base'} (newest: {head})")


@db_group.command("revision", help="Autogenerate a migration from model changes (for developers).")
@click.option("-m", "--message", required=True)
def db_revision(message):
    from . import schema  # Alembic: loaded by the commands that need it, not on every start
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


@outbox_group.command("send", help="Send waiting e-mails (SMTP if SMTP_HOST is set, else to the log) and the "
                                    "webhook deliveries due.")
@click.option("--limit", type=click.IntRange(min=1), help="Send at most this many e-mails and this many webhooks.")
def outbox_send(limit):
    from .notifications import send_outbox
    from .webhooks.delivery import send_webhooks

    sent, failed = send_outbox(limit)
    click.echo(f"sent {sent} message{'' if sent == 1 else 's'}, {failed} failed")
    # A receiver that is down is its owner's to fix, and is retried with backoff: not an error of this run.
    run = send_webhooks(limit=limit)
    click.echo(f"delivered {run.delivered} webhook{'' if run.delivered == 1 else 's'}, {run.retrying} to retry, "
               f"{run.given_up} given up")
    if failed:
        raise SystemExit(1)  # so cron and CI notice; the failed messages are retried next run


@click.command("demo", help="Create demo users and a sample agreement (safe to run twice).")
@with_appcontext
def demo_command():
    from . import schema  # Alembic: loaded by the commands that need it, not on every start
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


@click.command("bench", help="Time the redline against diff-match-patch, count the redline page's queries, and time "
                              "pages and writes against history and size.")
@click.option("--clauses", default=300, show_default=True, type=click.IntRange(min=10), help="Clauses in the synthetic agreement.")
@click.option("--runs", default=7, show_default=True, type=click.IntRange(min=1), help="Timed runs; medians are reported.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write every figure to this file.")
@click.option("--history", default=2000, show_default=True, type=click.IntRange(min=0),
              help="Proposals of the large agreement in the history part (comments as many, events 3x); 0 skips it.")
@click.option("--size-clauses", default=3000, show_default=True, type=click.IntRange(min=0),
              help="Clauses of the large draft in the size part; 0 skips it.")
@click.option("--writes", default=2000, show_default=True, type=click.IntRange(min=0),
              help="Proposals before the one accepted in the writes part; 0 skips it.")
@click.option("--redline-only", is_flag=True, help="Time the redline against the baseline and skip every other part.")
@click.option("--register", default=100_000, show_default=True, type=click.IntRange(min=0),
              help="Agreements of the large register in the register part; 0 skips it.")
@click.option("--register-postgres", metavar="URL",
              help="Also run the register part on this PostgreSQL server, in a database it creates and drops "
                   "[default: the configured DATABASE_URL's server when it is PostgreSQL].")
@with_appcontext
def bench_command(clauses, runs, json_path, history, size_clauses, writes, redline_only, register, register_postgres):
    # It builds its own throw-away SQLite apps, and on PostgreSQL a throw-away database it creates beside the
    # configured one and drops: the configured database's data is never touched.
    from .bench import run_and_report

    url = current_app.config["DATABASE_URL"]
    if register_postgres is None and url.startswith("postgresql"):
        register_postgres = url
    run_and_report(clauses, runs, json_path, echo=click.echo, history=history, size_clauses=size_clauses,
                   writes=writes, redline_only=redline_only, register=register,
                   register_postgres=register_postgres or None)


export_group = AppGroup("export", help="Write an agreement's Word documents, terms file and OpenSLO service levels.")


def _agreement(agreement_id: int):
    from .extensions import db
    from .models import Agreement

    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None:
        raise click.ClickException(f"There is no agreement {agreement_id}.")
    return agreement


def _write(output: str, make) -> None:
    """Write what `make()` returns to `output`; a refusal becomes a one-line error, nothing is written."""
    from .export.gather import NotExportable

    try:
        data = make()
    except NotExportable as error:
        raise click.ClickException(str(error)) from error
    with open(output, "wb") as handle:
        handle.write(data)
    click.echo(f"wrote {output} ({len(data):,} bytes)")


_agreement_option = click.option("--agreement", "agreement_id", required=True, type=int, help="The agreement's id.")
_output_option = click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))


@export_group.command("docx", help="The agreement as Word (default: its newest revision).")
@_agreement_option
@click.option("--revision", type=click.IntRange(min=1), help="Revision number (1, 2, ...).")
@_output_option
def export_docx(agreement_id, revision, output):
    from .export.documents import revision_docx

    _write(output, lambda: revision_docx(_agreement(agreement_id), revision))


@export_group.command("redline", help="Revision TO with Word tracked changes against revision FROM.")
@_agreement_option
@click.option("--from", "older", required=True, type=click.IntRange(min=1))
@click.option("--to", "newer", required=True, type=click.IntRange(min=1))
@_output_option
def export_redline(agreement_id, older, newer, output):
    from .export.documents import redline_docx_between

    _write(output, lambda: redline_docx_between(_agreement(agreement_id), older, newer))


@export_group.command("signed", help="The executed text, signature page and certificate of completion.")
@_agreement_option
@click.option("--amendment", type=click.IntRange(min=0), help="An executed version: 0 the original, N amendment N "
              "(default: the latest).")
@_output_option
def export_signed(agreement_id, amendment, output):
    from .export.documents import issue_signed_docx

    _write(output, lambda: issue_signed_docx(_agreement(agreement_id), amendment))


@export_group.command("terms", help="terms.json (default: the newest revision), valid against /schema/terms/v1.json.")
@_agreement_option
@click.option("--revision", type=click.IntRange(min=1), help="Revision number (1, 2, ...).")
@_output_option
def export_terms(agreement_id, revision, output):
    from .export.documents import revision_terms_json

    _write(output, lambda: revision_terms_json(_agreement(agreement_id), revision))


@export_group.command("openslo", help="The service levels as OpenSLO v1 YAML (SLOs, SLI stubs and a Service) for the "
                                      "provider's monitoring (default: the newest revision).")
@_agreement_option
@click.option("--revision", type=click.IntRange(min=1), help="Revision number (1, 2, ...).")
@_output_option
def export_openslo(agreement_id, revision, output):
    from .export.documents import revision_openslo

    _write(output, lambda: revision_openslo(_agreement(agreement_id), revision))


import_group = AppGroup("import", help="Start agreements from exported files or a CSV register; bring edited Word files back.")


@import_group.command("terms", help="Create a new draft agreement from a terms file.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--owner", "owner_email", required=True, help="E-mail of the account that will own it (provider side).")
def import_terms_command(path, owner_email):
    from .accounts.services import find_user_by_email
    from .export.importing import import_terms
    from .export.terms_import import MAX_BYTES, TermsFileInvalid

    owner = find_user_by_email(owner_email)
    if owner is None:
        raise click.ClickException(f"There is no account {owner_email}.")
    with open(path, "rb") as handle:
        raw = handle.read(MAX_BYTES + 1)
    try:
        agreement = import_terms(raw, owner)
    except TermsFileInvalid as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"created agreement {agreement.id} “{agreement.title}” (draft) owned by {owner.email}")


@import_group.command("agreements", help="Import existing agreements from a CSV register (all of the file or none). "
                                           "Exit 1 with every problem, by line and column, on stderr.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--owner", "owner_email", required=True, help="E-mail of the account that will own each agreement's "
              "side (the file's side column).")
@click.option("--organisation", help="The owner's organisation, party to every agreement (default: the one of the "
              "owner's newest agreement).")
def import_agreements_command(path, owner_email, organisation):
    """Last line: "imported N agreements (M as executed) from FILE (sha256 …)"."""
    from pathlib import Path

    from .accounts.services import find_user_by_email
    from .agreements.bulk_csv import CsvRefused
    from .agreements.bulk_import import import_agreements, max_bytes, usual_organisation

    owner = find_user_by_email(owner_email)
    if owner is None:
        raise click.ClickException(f"There is no account {owner_email}.")
    organisation = organisation or usual_organisation(owner)
    if not organisation:
        raise click.ClickException(f"{owner_email} has no agreement yet to take the organisation from: "
                                   "name it with --organisation.")
    with open(path, "rb") as handle:
        raw = handle.read(max_bytes() + 1)
    try:
        result = import_agreements(raw, owner, organisation, Path(path).name)
    except CsvRefused as refused:
        count = len(refused.problems)
        click.echo(f"Nothing was imported: {path} has {count} problem{'' if count == 1 else 's'}.", err=True)
        for problem in refused.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1) from None
    count = len(result.agreement_ids)
    click.echo(f"imported {count} agreement{'' if count == 1 else 's'} ({result.executed} as executed) for "
               f"{organisation} from {path} (sha256 {result.sha256})")


@import_group.command("word", help="Propose the changes of a Word file the other side edited (tracked or not).")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--agreement", "agreement_id", type=int, required=True, help="The agreement the file is a copy of.")
@click.option("--as", "email", required=True, help="E-mail of the member who proposes the changes.")
@click.option("--dry-run", is_flag=True, help="List what would be proposed; change nothing.")
def import_word_command(path, agreement_id, email, dry_run):
    """Each change on a line, then "N proposals, M comments, K untracked" for a script to check."""
    from pathlib import Path

    from .accounts.services import find_user_by_email
    from .inputs.uploads import read_upload
    from .negotiation.changes import InvalidChange
    from .negotiation.services import NegotiationError
    from .roundtrip.services import ImportRefused, import_word_file, preview_word_file

    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"There is no account {email}.")
    agreement = _agreement(agreement_id)
    with open(path, "rb") as handle:
        raw = read_upload(handle)
    name = Path(path).name
    try:
        if dry_run:
            preview, proposals = preview_word_file(agreement, raw, name), []
            comments = sum(len(thread.comments) for thread in preview.threads)
        else:
            preview, proposals, comments = import_word_file(agreement, user, raw, name)
    except (ImportRefused, NegotiationError, InvalidChange) as error:
        raise click.ClickException(str(error)) from error
    if preview.revision_guessed:
        click.echo(f"The file does not name its revision; compared with revision {preview.revision_number}.")
    for change in preview.changes:
        how = "untracked" if change.untracked else "tracked by " + (", ".join(change.authors) or "?")
        what = "removed" if change.kind == "removal" else "reworded"
        found = "" if change.found_by == "bookmark" else f" (matched by its {change.found_by})"
        click.echo(f"{change.number} {change.title}{found}: {what}, {how}; {change.status}")
    for added in preview.new_clauses:
        how = "untracked" if added.untracked else "tracked by " + (", ".join(added.authors) or "?")
        click.echo(f"new clause “{added.title}” in {added.section}: {how}")
    for old, new in preview.renamed:
        click.echo(f"{old}: heading changed to “{new}” (not proposed)")
    for missing in preview.missing:
        click.echo(f"{missing}: not found in the file")
    for term_change in preview.table_changes:
        how = "untracked" if term_change.untracked else "tracked by " + (", ".join(term_change.authors) or "?")
        edits = "; ".join(_table_edit(edit) for edit in term_change.edits)
        click.echo(f"{term_change.table}: {term_change.term} ({edits}), {how}; {term_change.status}")
    for unreadable in preview.unreadable:
        where = " › ".join(part for part in (unreadable.table, unreadable.row, unreadable.column) if part)
        click.echo(f"{where}: not proposed: {unreadable.message}")
    count = len(proposals) if not dry_run else len(preview.proposable)
    for thread in preview.threads:
        click.echo(f"{thread.where or 'the agreement'}: a comment thread of {len(thread.comments)}")
    click.echo(f"{count} proposals, {comments} comments, {preview.untracked} untracked")


def _table_edit(edit) -> str:
    """One edit of a table on one line: "P3 › Response: 4 hours → 2 hours", "row P5 added"."""
    def flat(text: str) -> str:
        return text.replace("\n", " / ")

    if edit.kind == "row_added":
        return f"row {flat(edit.new)} added"
    if edit.kind == "row_removed":
        return f"row {edit.row} removed"
    return f"{edit.row} › {edit.column}: {flat(edit.old)} → {flat(edit.new)}"


@click.command("verify", help="Check a signed DOCX or terms file against the executed agreements. Exit 0: match; 1: no match.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def verify_command(path):
    from .inputs.uploads import read_upload
    from .signing.verify import verify_file

    with open(path, "rb") as handle:
        verdict = verify_file(read_upload(handle))
    click.echo(verdict.summary())
    raise SystemExit(0 if verdict.matched else 1)


@click.command("remind", help="Queue reminders of reviews, renewals and milestones falling due (run daily from cron).")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="The day to run for (default: today, UTC).")
@with_appcontext
def remind_command(today):
    from .models import utcnow
    from .reviews.reminders import remind

    day = today.date() if today else utcnow().date()
    queued = remind(day)
    click.echo(f"queued {queued} reminder{'' if queued == 1 else 's'}")


audit_group = AppGroup("audit", help="The audit log's keyed chains.")


@audit_group.command("verify", help="Check every agreement's audit chain (and the other events'); exit 1 on any "
                                    "problem. Without --full, each chain is checked from its newest checkpoint.")
@click.option("--full", is_flag=True, help="Check every chain from its first entry (run daily from cron).")
def audit_verify(full):
    from .audit import verify_every_chain

    reports = verify_every_chain(full=full)
    broken = [(chain, report) for chain, report in reports if report.problems]
    for chain, report in broken:
        click.echo("Events without an agreement:" if chain is None else f"Agreement {chain}:")
        for problem in report.problems:
            click.echo(f"  {problem}")
    read = sum(report.read for _chain, report in reports)
    click.echo(f"{len(reports)} chain{'' if len(reports) == 1 else 's'} checked "
               f"({'in full' if full else 'from their checkpoints'}, {read} entries read): "
               + (f"{len(broken)} tampered with." if broken else "all intact."))
    raise SystemExit(1 if broken else 0)


sla_group = AppGroup("sla", help="Service levels of executed agreements: incidents and outages in, figures out.")


@sla_group.command("import", help="Import incidents or outages from a CSV file (its header row says which); all or "
                                  "nothing, every bad row reported by line and column.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@_agreement_option
@click.option("--as", "email", help="E-mail of the member importing it (default: recorded as the system).")
def sla_import(path, agreement_id, email):
    from pathlib import Path

    from .access import can, membership_of
    from .accounts.services import find_user_by_email
    from .operations.incident_file import MAX_BYTES, SlaFileInvalid
    from .operations.services import OperationsError, import_sla_file

    agreement = _agreement(agreement_id)
    user = None
    if email:
        user = find_user_by_email(email)
        if user is None or not can(membership_of(user.id, agreement.id), "operate"):
            raise click.ClickException(f"{email} is not an owner or editor of agreement {agreement.id}.")
    with open(path, "rb") as handle:
        raw = handle.read(MAX_BYTES + 1)
    try:
        summary = import_sla_file(agreement, user, raw, Path(path).name)
    except SlaFileInvalid as error:
        raise click.ClickException("nothing was imported:\n  " + "\n  ".join(error.messages)) from error
    except OperationsError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"imported {summary.created + summary.updated} {summary.kind} into agreement {agreement.id} "
               f"({summary.created} new, {summary.updated} updated); file SHA-256 {summary.sha256}")


@sla_group.command("report", help="The service figures and credits of a measurement period.")
@_agreement_option
@click.option("--period", "period_text", required=True, help="YYYY-MM (YYYY-Qn where the agreement measures quarters).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, writable=True), help="Also write the figures, "
              "with the incidents each one counts, to this file.")
def sla_report(agreement_id, period_text, json_path):
    import json

    from .operations.report import report_json
    from .operations.services import OperationsError, period_named, report_for

    agreement = _agreement(agreement_id)
    try:
        period = period_named(agreement, period_text)
        report = report_for(agreement, period)
    except (OperationsError, ValueError) as error:
        raise click.ClickException(str(error)) from error
    data = report_json(report, agreement.id)
    for line in _report_lines(data):
        click.echo(line)
    if json_path:
        with open(json_path, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        click.echo(f"wrote {json_path}")


def _report_lines(data: dict) -> list[str]:
    """The report in a few lines for a terminal (English: the command line speaks to operators)."""
    state = "complete" if data["complete"] else f"so far (measured at {data['measured_at']})"
    lines = [f"agreement {data['agreement']}, period {data['period']} ({data['time_zone']}): {state}"]
    for level, figures in data["priorities"].items():
        share = f"{figures['share_met_percent']} %" if figures["share_met_percent"] is not None else "-"
        count = figures["incidents"]
        lines.append(f"  {level}: {count} incident{'' if count == 1 else 's'}, {figures['met']} met ({share}); "
                     f"credit {figures['credit_percent']} % ({figures['credit_rule'].replace('_', ' ')})")
    cap = f", cap {data['credit_cap_percent']} %" if data["credit_cap_percent"] is not None else ""
    capped = " (capped)" if data["credit_capped"] else ""
    amount = f"{data['credit_amount']} {data['currency']}" if data["credit_amount"] is not None else "no monthly fee"
    lines.append(f"  credit total {data['credit_total_percent']} %{capped}{cap}: {amount}")
    if data["availability_percent"] is not None:
        target = data["availability_target_percent"]
        verdict = "" if target is None else f" (target {target} %: {'met' if data['availability_met'] else 'missed'})"
        lines.append(f"  availability {data['availability_percent']} %{verdict}")
    if data["open_incidents"]:
        lines.append("  open at the end: " + ", ".join(i["reference"] for i in data["open_incidents"]))
    if data["excluded_incidents"]:
        lines.append("  excluded: " + ", ".join(i["reference"] for i in data["excluded_incidents"]))
    for note in data["notes"]:
        lines.append(f"  note: {note.replace('_', ' ')}")
    return lines
