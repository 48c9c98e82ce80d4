"""Bad input to every API write: a 400 that names what is wrong, and nothing changes.

The writes are found from the URL resolver (every route of the ``api`` namespace whose
view answers POST or PATCH), so an endpoint added later is covered without a line here.
Each gets, from an admin's read-and-write token: malformed JSON, a JSON list instead of an
object, a body over the size limit, an unknown field, and each of its fields with a value
of the wrong type (an object). Every answer is a 400 with a message (field errors where a
field is at fault), and no table gains, loses or changes a row.
"""

from __future__ import annotations

import json
import re

import pytest
from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from stakeholders.models import ApiToken
from stakeholders.services.tokens import api_token_create
from tests.gates.world import build_world

pytestmark = pytest.mark.django_db


def _api_routes():
    """(url name, methods it writes with, its view's write serializer) for each API route."""
    api = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "api")
    for pattern in api.url_patterns:
        if isinstance(pattern, URLResolver):  # the router's include
            yield from ((f"api:{p.name}", p) for p in pattern.url_patterns if isinstance(p, URLPattern))
        elif pattern.name:
            yield f"api:{pattern.name}", pattern


def _writes():
    for name, pattern in _api_routes():
        actions = getattr(pattern.callback, "actions", None) or {}
        for method in ("post", "patch"):
            if method in actions:
                yield pytest.param(name, method.upper(), id=f"{name} {method.upper()}")


WRITES = list(_writes())


# Each call with a token is logged (security log) and stamps the token's last use: not data.
CALL_RECORDS = {"stakeholders_securityevent", "stakeholders_apitoken"}


def _table_fingerprint() -> dict[str, tuple[int, str]]:
    """Per table of the project's apps (but the call records): number of rows and a hash of all of them."""
    fingerprint = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.app_label not in {"stakeholders", "coalition", "engagements", "pghistory"}:
                continue
            if not model._meta.managed or model._meta.proxy or model._meta.db_table in CALL_RECORDS:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            rows = f"SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM {table} t"  # noqa: S608
            cursor.execute(rows)
            fingerprint[model._meta.db_table] = cursor.fetchone()
    return fingerprint


@pytest.fixture
def world(settings):
    settings.API_RATE_LIMIT = "100000/min"
    settings.API_MAX_BODY_BYTES = 4096
    return build_world()


@pytest.fixture
def admin(client, world):
    token = api_token_create(user=world.users["admin"], name="bad input", scope=ApiToken.Scope.READ_WRITE)[1]
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def _url(world, name: str) -> str:
    pattern = dict(_api_routes())[name]
    return reverse(name, kwargs=world.kwargs_for(name, list(pattern.pattern.regex.groupindex)))


def _send(client, method: str, url: str, body: str):
    return client.generic(method, url, data=body, content_type="application/json")


def _fields(client, method: str, url: str) -> list[str]:
    """The fields the operation's request body documents (from the OpenAPI schema)."""
    schema = client.get("/api/v1/schema/?format=json", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    path = next(p for p in schema["paths"] if re.fullmatch(re.sub(r"\{[^}]+\}", r"[^/]+", p), url))
    content = schema["paths"][path][method.lower()].get("requestBody", {}).get("content", {})
    ref = content.get("application/json", {}).get("schema", {}).get("$ref")
    if not ref:
        return []
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return sorted(name for name, spec in component.get("properties", {}).items() if not spec.get("readOnly"))


@pytest.mark.skipif(not WRITES, reason="no API writes")
@pytest.mark.parametrize(("name", "method"), WRITES)
def test_bad_input_is_a_400_that_names_the_problem_and_changes_nothing(admin, world, name, method):
    url = _url(world, name)
    fields = _fields(admin, method, url)
    assert fields, f"{name} {method} documents no request body"
    before = _table_fingerprint()

    answers = {
        "malformed JSON": _send(admin, method, url, '{"name": "unterminated'),
        "a list, not an object": _send(admin, method, url, "[1, 2, 3]"),
        "over the size limit": _send(admin, method, url, json.dumps({"notes": "x" * 5000})),
        "unknown field": _send(admin, method, url, json.dumps({"no_such_field": 1})),
    }
    for field in fields:
        answers[f"{field} of the wrong type"] = _send(admin, method, url, json.dumps({field: {"not": "this"}}))

    for what, response in answers.items():
        assert response.status_code == 400, f"{what}: {response.status_code} {response.content[:300]!r}"
        body = response.json()
        assert body, what
        if what == "unknown field":
            assert "no_such_field" in body, body
        elif what.endswith("of the wrong type"):
            field = what.removesuffix(" of the wrong type")
            assert field in body or "non_field_errors" in body, (what, body)
    assert "detail" in answers["malformed JSON"].json()
    assert "KB" in answers["over the size limit"].json()["detail"]
    assert _table_fingerprint() == before
