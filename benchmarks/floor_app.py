"""The floor as a web page: a minimal WSGI app the harness serves beside Coalition.

    GET /floor/<page name>?params=<JSON>

runs that page's floor SQL with the JSON parameters through
psycopg2 on the worker's one open connection, escapes the rows into minimal HTML
(``rows_to_html``, the same as the in-process floor) and answers 200. The harness
starts it under the same gunicorn command as the app (same workers, same sync
worker class that closes the connection after each response), so the page and its
floor pay the same HTTP cost: a loopback TCP connect, the request parse, the
response write. What is left between them is what the page does beyond fetching
its rows: Django's middleware, sessions, permissions, the ORM and the templates.

The harness writes the floor SQL of the pages it measures, ``{name: sql}``, to a
JSON file named by ``FLOOR_QUERIES`` (so rows added at run time are served too);
without it the app serves the rows of benchmarks/pages.py.

No Django, no sessions, no authentication: never serve it beyond a benchmark run.
Standard library plus psycopg2.
"""

from __future__ import annotations

import html
import json
import os
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import pages as page_table  # noqa: E402


def _floor_queries() -> dict[str, str]:
    if os.environ.get("FLOOR_QUERIES"):
        return json.loads(Path(os.environ["FLOOR_QUERIES"]).read_text())
    return {name: page.floor for name, page in page_table.by_name().items()}


_QUERIES = _floor_queries()
_connection = None


def rows_to_html(rows: list[tuple]) -> str:
    """The minimal HTML for rows: every cell escaped, in <tr><td> markup."""
    return "".join(
        "<tr>" + "".join(f"<td>{html.escape('' if cell is None else str(cell))}</td>" for cell in row) + "</tr>"
        for row in rows
    )


def _cursor():
    """A cursor on this worker's connection, opened on first use and kept (like CONN_MAX_AGE)."""
    global _connection
    if _connection is None or _connection.closed:
        import psycopg2

        _connection = psycopg2.connect(os.environ["DATABASE_URL"])
        _connection.autocommit = True
    return _connection.cursor()


def _answer(start_response, status: str, body: str, cpu_started: float | None = None):
    data = body.encode()
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(data)))]
    if cpu_started is not None:
        # Like coalition/middleware_benchmark.py's header: this thread's CPU time for the request.
        headers.append(("X-CPU-ms", f"{(time.thread_time() - cpu_started) * 1000:.2f}"))
    start_response(status, headers)
    return [data]


def application(environ, start_response):
    cpu_started = time.thread_time()
    path = environ.get("PATH_INFO", "")
    if path == "/healthz/":
        return _answer(start_response, "200 OK", "ok")
    name = path.removeprefix("/floor/").strip("/")
    sql = _QUERIES.get(name) if path.startswith("/floor/") else None
    if sql is None:
        return _answer(start_response, "404 Not Found", "no such page")
    query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
    params = json.loads(query.get("params", ["{}"])[0])
    with _cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    body = f"<!doctype html><title>{html.escape(name)}</title><table>{rows_to_html(rows)}</table>"
    return _answer(start_response, "200 OK", body, cpu_started)
