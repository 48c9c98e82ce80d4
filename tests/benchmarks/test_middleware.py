"""The X-Query-Count / X-DB-Time-ms headers exist only when BENCHMARK_HEADERS is on."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

MIDDLEWARE = "coalition.middleware_benchmark.QueryCountHeaderMiddleware"


@pytest.mark.django_db
def test_no_headers_by_default(client, admin_user):
    """With the default settings the middleware is not installed and no header leaks the query count."""
    assert MIDDLEWARE not in django_settings.MIDDLEWARE
    client.force_login(admin_user)
    response = client.get("/users/")
    assert response.status_code == 200
    assert "X-Query-Count" not in response
    assert "X-DB-Time-ms" not in response


@pytest.mark.django_db
def test_installed_but_flag_off_adds_nothing(client, admin_user, settings):
    """Even if installed, the middleware stays silent while the flag is off."""
    settings.MIDDLEWARE = [MIDDLEWARE, *settings.MIDDLEWARE]
    settings.BENCHMARK_HEADERS = False
    client.force_login(admin_user)
    response = client.get("/users/")
    assert "X-Query-Count" not in response


@pytest.mark.django_db
def test_flag_on_counts_every_query_of_the_request(client, admin_user, settings):
    """With the flag on, X-Query-Count equals the statements the request ran (session save included)."""
    settings.MIDDLEWARE = [MIDDLEWARE, *settings.MIDDLEWARE]
    settings.BENCHMARK_HEADERS = True
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/users/")
    assert response.status_code == 200
    assert int(response["X-Query-Count"]) == len(captured.captured_queries) > 0
    assert float(response["X-DB-Time-ms"]) > 0


@pytest.mark.parametrize(("value", "installed"), [("1", True), ("0", False), (None, False)])
def test_settings_install_the_middleware_only_with_the_env_flag(value, installed):
    """BENCHMARK_HEADERS=1 in the environment puts the middleware first in MIDDLEWARE; otherwise it is absent."""
    env = {key: val for key, val in os.environ.items() if key != "BENCHMARK_HEADERS"}
    env["DATABASE_URL"] = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/unused")
    if value is not None:
        env["BENCHMARK_HEADERS"] = value
    code = "from coalition import settings as s; print(s.BENCHMARK_HEADERS, s.MIDDLEWARE[0], s.MIDDLEWARE[-1])"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=django_settings.BASE_DIR
    ).stdout.split()
    assert out[0] == str(installed)
    assert (out[1] == MIDDLEWARE) is installed
    assert out[2] == "axes.middleware.AxesMiddleware"
