"""Schemathesis against the live OpenAPI document, with a read-write token: for every operation,
generated requests (valid and invalid) never give a server error, and every response conforms
to the document - status, content type, headers and body schema."""
from __future__ import annotations

import pytest
import schemathesis
from api_helpers import cli_token, share_as
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance, not_a_server_error, response_headers_conformance, response_schema_conformance,
    status_code_conformance,
)

from authoring import create_app
from authoring.extensions import db
from conftest import base_config

EXAMPLES = 10  # per operation: the whole run stays well under a minute
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


@pytest.fixture
def fuzzed(db_config, make_user, make_agreement, add_member):
    """The app (no rate limit to speak of), an agreement being negotiated, and a token of its provider owner."""
    app = create_app(base_config(**db_config, API_RATE_LIMIT=100_000))
    from authoring.accounts.passwords import hash_password
    from authoring.models import User, utcnow

    with app.app_context():
        owner = User(email="owner@example.com", name="Olivia Owner", password_hash=hash_password("correct horse battery"),
                     email_verified_at=utcnow())
        db.session.add(owner)
        db.session.commit()
    from authoring.agreements.services import create_agreement

    with app.test_request_context(method="POST"):
        owner = db.session.get(User, owner.id)
        agreement = create_agreement(owner, title="Fuzzed", language="en", provider_name="P", client_name="C").id
    share_as(app, agreement, owner)
    token = cli_token(app.test_cli_runner(), "owner@example.com", "--write")
    yield app, agreement, token
    db.dispose(app)


@pytest.mark.slow
def test_every_operation_conforms_and_never_fails(fuzzed):
    """Each operation in turn, with generated requests against the real agreement (so its handlers
    run, not only the 404 a random id gets); every failure is collected, then all are reported."""
    app, agreement, token = fuzzed
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures, operations = [], []
    for result in schema.get_all_operations():
        operation = result.ok()
        operations.append(f"{operation.method.upper()} {operation.path}")

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            if "agreement_id" in (case.path_parameters or {}):
                case.path_parameters["agreement_id"] = agreement
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

        try:
            run()
        except Exception as error:  # any check that failed, with Hypothesis's minimal example
            failures.append(f"{operations[-1]}: {error}")
    assert len(operations) >= 15
    assert not failures, "\n\n".join(failures)
