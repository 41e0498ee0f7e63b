"""`flask token create`: a personal access token for scripts and tests (prints the token only)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

token_group = AppGroup("token", help="Personal access tokens for the JSON API.")


@token_group.command("create", help="Create a token for USER and print it (only the token, for scripts).")
@click.option("--user", "email", required=True, help="E-mail of the account the token acts as.")
@click.option("--write", is_flag=True, help="Read and write (default: read only).")
@click.option("--name", default="Command line", show_default=True, help="What the token is for.")
@click.option("--days", type=click.IntRange(1, 366), default=90, show_default=True, help="Days until it expires.")
@click.option("--agreement", "agreement_ids", type=int, multiple=True,
              help="Limit the token to this agreement (repeat for several).")
def create_token_command(email, write, name, days, agreement_ids):
    from ..accounts.services import find_user_by_email
    from .tokens import TokenError, create_token

    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"There is no account {email}.")
    try:
        _token, secret = create_token(user, name=name, scope="read-write" if write else "read", days=days,
                                      agreement_ids=agreement_ids)
    except TokenError as error:
        raise click.ClickException(str(error)) from None
    click.echo(secret)
