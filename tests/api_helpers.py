"""Helpers for the API tests: tokens made through the CLI, and a client that sends one."""
from __future__ import annotations

from authoring.extensions import db
from authoring.models import User


def cli_token(runner, email: str, *extra: str) -> str:
    """A token made as a script would: `flask token create --user EMAIL …` prints it alone."""
    result = runner.invoke(args=["token", "create", "--user", email, *extra])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert "\n" not in token and token.startswith("acc_")
    return token


class Api:
    """A test client sending `Authorization: Bearer <token>` with every request."""

    def __init__(self, app, token: str):
        self.client, self.token = app.test_client(), token

    def _headers(self, headers):
        return {"Authorization": f"Bearer {self.token}", **(headers or {})}

    def get(self, path, headers=None, **kwargs):
        return self.client.get(path, headers=self._headers(headers), **kwargs)

    def post(self, path, json=None, headers=None, **kwargs):
        return self.client.post(path, json=json, headers=self._headers(headers), **kwargs)

    def put(self, path, json=None, headers=None, **kwargs):
        return self.client.put(path, json=json, headers=self._headers(headers), **kwargs)

    def open(self, path, method, headers=None, **kwargs):
        return self.client.open(path, method=method, headers=self._headers(headers), **kwargs)


def api_as(app, runner, user: User, write: bool = True, *extra: str) -> Api:
    return Api(app, cli_token(runner, user.email, *(["--write"] if write else []), *extra))


def is_problem(response, status: int) -> dict:
    """The response is an RFC 9457 problem of `status`; returns its body."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:500])
    assert response.mimetype == "application/problem+json", response.mimetype
    body = response.get_json(force=True)
    assert body["status"] == status
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["type"] == "about:blank" or "/api/v1/docs#problem-" in body["type"]
    return body


def share_as(app, agreement_id: int, owner: User) -> None:
    from authoring.access import membership_of
    from authoring.models import Agreement
    from authoring.negotiation.services import share

    with app.test_request_context(method="POST"):
        user = db.session.get(User, owner.id)
        share(db.session.get(Agreement, agreement_id), user, membership_of(user.id, agreement_id), "shared")
