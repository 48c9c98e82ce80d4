"""Schemathesis against the API's own OpenAPI schema: no server error, every answer as documented.

The schema is loaded from the app (``/api/v1/schema/``) and every operation in it is called
in-process through the WSGI application (no network at all), so endpoints added later are
covered without listing them here. Each operation gets a bounded, derandomized number of
examples (``API_FUZZ_EXAMPLES``, default 15) and each answer must:

- not be a server error (``not_a_server_error``);
- have a status code the operation documents, a documented content type, and a body that
  matches the documented schema for that status (``status_code_conformance``,
  ``content_type_conformance``, ``response_schema_conformance``).

Each operation is a test of its own, with valid and invalid (wrong types, missing fields,
odd path ids) generated input. (Hypothesis drives schemathesis's strategies directly:
schemathesis's own pytest plugin does not run under pytest 9.) It runs twice: with an
admin's read-and-write token (writes happen, in the test database) and with a liaison's
read-only token (who sees little and may write nothing: 403/404 must be documented too).
Most examples of an operation on one record name a real record (the first one the admin's
list shows), so the detail answers are checked against real rows, not only 404s.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from stakeholders.models import ApiToken
from stakeholders.services.tokens import api_token_create
from tests.gates.world import build_world

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "15"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SCHEMA_PATH = "/api/v1/schema/"


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, called in the test's own thread and transaction.

    Django closes "old" connections at the start and end of each request; inside the
    test's transaction that would close it, so (as Django's test client does) those
    signal handlers are disconnected while the test runs."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, settings):
    settings.API_RATE_LIMIT = "100000/min"  # the fuzzing must not meet the rate limit
    return build_world()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def admin_token(world) -> str:
    return api_token_create(user=world.users["admin"], name="fuzz", scope=ApiToken.Scope.READ_WRITE)[1]


@pytest.fixture
def liaison_token(world) -> str:
    return api_token_create(user=world.users["liaison"], name="fuzz", scope=ApiToken.Scope.READ)[1]


@pytest.fixture
def real_ids(wsgi_app, admin_token, world) -> dict[str, list]:
    """For each collection of the schema, the ids of the first page the admin sees."""
    loaded = schemathesis.openapi.from_wsgi(SCHEMA_PATH, wsgi_app, headers=_bearer(admin_token))
    from werkzeug.test import Client

    client = Client(wsgi_app)
    ids: dict[str, list] = {}
    for path in loaded.raw_schema["paths"]:
        if "{" in path:
            continue
        response = client.get(path, headers=_bearer(admin_token))
        if response.status_code == 200 and isinstance(response.json, dict):
            ids[path] = [row["id"] for row in response.json.get("results", []) if "id" in row]
    return ids


def _collection(path: str) -> str:
    """``/api/v1/people/{id}/…`` -> ``/api/v1/people/``."""
    return path.split("{", 1)[0]


def _aim_at_real_records(case, real_ids: dict[str, list]) -> None:
    """Three examples in four name a record that exists (chosen from the generated value, so a
    derandomized run is repeatable); the rest keep the generated value (usually no record)."""
    ids = real_ids.get(_collection(case.operation.path))
    if not ids or not case.path_parameters:
        return
    for name, value in case.path_parameters.items():
        if isinstance(value, int) and value % 4:
            case.path_parameters[name] = ids[value % len(ids)]


def _operations() -> list:
    """Every (path, method) of the schema, read from drf-spectacular at collection time (no
    database needed), so each operation is its own test and a failure names it."""
    from drf_spectacular.generators import SchemaGenerator

    raw = SchemaGenerator().get_schema(request=None, public=True)
    methods = {"get", "post", "patch", "put", "delete"}
    return [
        pytest.param(path, method, id=f"{method.upper()} {path}")
        for path, item in raw["paths"].items()
        for method in item
        if method in methods
    ]


OPERATIONS = _operations()

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the first call of an operation warms caches; speed is the harness's job
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _fuzz(wsgi_app, token: str, path: str, method: str, real_ids: dict[str, list]) -> None:
    """Call ``method path`` with valid and invalid generated input; check every answer."""
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, wsgi_app, headers=_bearer(token))
    operation = schema[path][method.upper()]
    cases = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @FUZZ_SETTINGS
    @given(case=cases)
    def check(case):
        _aim_at_real_records(case, real_ids)
        case.call_and_validate(headers=_bearer(token), checks=CHECKS)

    check()


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_every_operation_answers_as_documented_for_an_admin(wsgi_app, admin_token, real_ids, path, method):
    """With an admin's read-and-write token, no operation answers with a server error, and every
    answer (status, content type, body) is one the schema documents."""
    _fuzz(wsgi_app, admin_token, path, method, real_ids)


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_every_operation_answers_as_documented_for_a_liaisons_read_token(
    wsgi_app, liaison_token, real_ids, path, method
):
    """With a liaison's read-only token (refused writes, records they may not see), no operation
    answers with a server error, and every answer is one the schema documents."""
    _fuzz(wsgi_app, liaison_token, path, method, real_ids)
