"""flask-smorest's Api with RFC 9457 problems as its documented errors, and the document's description."""
from __future__ import annotations

import http

from flask_smorest import Api
from flask_smorest.utils import prepare_response

from .errors import PROBLEM_JSON, ApiProblem, from_problem
from .schemas import ProblemSchema

API_DESCRIPTION = """\
A JSON API to the same agreements, people and rules as the web pages.

Authentication: every request sends a personal access token as `Authorization: Bearer <token>`. Create tokens on \
the account's *API tokens* page (or `flask --app app token create --user EMAIL [--write]`); a token is shown once. \
A *read* token reads; a *read-write* token also changes what its owner's role allows. Signing stays in the browser.

Rules: the pages' rules apply. An agreement you are not a member of is a 404, an action your side or role may not \
take a 403 saying why.

Errors: every error is `application/problem+json` (RFC 9457) with `type`, `title`, `status` and `detail`; a \
validation error lists each failed field in `errors`.

Safety: send an `Idempotency-Key` header with a POST and a retry with the same key and body is answered from the \
first request instead of acting twice (the same key with another body is a 422). Each token may make \
API_RATE_LIMIT requests a minute (429 with `Retry-After` beyond). Terms are changed with `If-Match` on the ETag \
read from them: 412 when they changed since, 428 without it.

Pages of agreements: pass `next_cursor` back as `cursor`."""


class AccordApi(Api):
    """flask-smorest's Api with RFC 9457 problems as the documented error response.

    Its own error handler is not installed: the app's handlers answer any request under
    /api/ with a problem (errors.problem_for), pages keep their HTML error pages.
    """

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        self._app.register_error_handler(ApiProblem, from_problem)

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
                prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "A problem (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)
