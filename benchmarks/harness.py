"""Benchmark Coalition's pages under gunicorn against a chosen database.

    .venv/bin/python benchmarks/harness.py --database-url postgres://postgres@127.0.0.1:5432/coalition

For each row of the page table (benchmarks/pages.py) it signs in as the row's
role, makes ``--warmup`` unmeasured requests and then ``--requests`` sequential
ones over one keep-alive connection, and reports median and p95 latency, SQL
queries per request (the ``X-Query-Count`` header that
coalition/middleware_benchmark.py adds when ``BENCHMARK_HEADERS=1``) and the
response size. Beside each page it measures the floor: the row's floor SQL
through psycopg2 on one connection plus escaping the rows into minimal HTML.
Then it runs a bounded concurrent load (``--clients``, ``--duration`` seconds
each, 127.0.0.1 only) on the load pages and reports requests per second and
errors. It prints a table and writes JSON (default benchmarks/results/latest.json).

``--check-budgets`` exits 1 when a budget of benchmarks/budgets.py is breached;
``--compare demo.json`` also checks each page's p95 against a baseline run.
``--demo-database-url URL`` serves the demo city beside the measured (large) one and
measures each page on both in the same loop, one request each in turn, so both series
see the same machine; ``--check-budgets`` then judges the large/demo p95 ratio of that run.
``--from-json`` checks a saved result without running anything.

Standard library plus psycopg2 and gunicorn from the project's venv. gunicorn
always stops when the harness ends, Ctrl-C included.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import math
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import budgets  # noqa: E402
from benchmarks import pages as page_table  # noqa: E402
from benchmarks.floor_app import rows_to_html  # noqa: E402

HOST = "127.0.0.1"  # loopback only, by design
FLOOR_APP = "benchmarks.floor_app:application"
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "latest.json"
DEMO_PASSWORD = "coalition-demo"  # noqa: S105  # the documented local demo password
# The demo admins' authenticator secret (stakeholders/demo.py), documented for local use.
DEMO_TOTP_SECRET = "MNXWC3DJORUW63RNMRSW23ZNMFSG22LO"  # noqa: S105
SECOND_STEP_PATH = "/accounts/two-step/"


# --- Statistics ---------------------------------------------------------------
def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``fraction`` of the values at or below it."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def summarize(values: list[float]) -> dict:
    """Median, p95, min and max of a non-empty list, rounded for the report."""
    return {
        "median": round(statistics.median(values), 3),
        "p95": round(percentile(values, 0.95), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
    }


# --- HTTP client --------------------------------------------------------------
@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    elapsed_ms: float


@dataclass
class Client:
    """One keep-alive HTTP connection to 127.0.0.1 with a cookie jar."""

    port: int
    timeout: float = 30.0
    cookies: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self.connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)

    def close(self):
        self.connection.close()

    def request(self, method: str, path: str, form: dict | None = None) -> Response:
        headers = {"Connection": "keep-alive"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            raw = self.connection.getresponse()
            content = raw.read()
        except (http.client.HTTPException, OSError):
            # The server closed a kept-alive connection: reconnect and let the caller count the error.
            self.connection.close()
            raise
        elapsed_ms = (time.perf_counter() - started) * 1000
        for header in raw.msg.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.value
        headers_out = {key.lower(): value for key, value in raw.getheaders()}
        return Response(raw.status, headers_out, content, elapsed_ms)

    def log_in(self, username: str, password: str) -> None:
        """Sign in through the real login form: GET it for the CSRF cookie, then POST."""
        self.request("GET", "/accounts/login/")
        token = self.cookies.get("csrftoken")
        if not token:
            raise RuntimeError("The login page set no csrftoken cookie.")
        response = self.request(
            "POST",
            "/accounts/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token},
        )
        if response.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"Could not sign in as {username!r} (HTTP {response.status}).")

    def pass_second_step(self, totp_secret: str) -> bool:
        """Enter the authenticator code if this session owes the second step (admins do);
        return whether it did."""
        if self.request("GET", SECOND_STEP_PATH).status != 200:
            return False  # no second step for this user
        from django_otp.oath import totp  # the project's own TOTP (django-otp); needs no settings

        secret = totp_secret.replace(" ", "").upper()
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        form = {"code": f"{totp(key):06d}", "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        response = self.request("POST", SECOND_STEP_PATH, form)
        if response.status != 302:
            raise RuntimeError(f"The second step refused the code (HTTP {response.status}); check --totp-secret.")
        return True


# --- gunicorn -----------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving ``app`` (Coalition by default) on a free loopback port; a context manager that
    always stops it. The floor server is the same command serving benchmarks/floor_app.py."""

    def __init__(
        self,
        database_url: str,
        workers: int = 2,
        startup_timeout: float = 60.0,
        app: str = "coalition.wsgi",
        extra_env: dict[str, str] | None = None,
    ):
        self.database_url = database_url
        self.workers = workers
        self.app = app
        self.extra_env = extra_env or {}
        self.startup_timeout = startup_timeout
        self.port = free_port()
        # Every database connection of this server carries this name (libpq reads PGAPPNAME), so the
        # harness can find its PostgreSQL backends in pg_stat_activity and read their CPU time.
        self.application_name = f"coalition-bench-{self.port}"
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(prefix="coalition-bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.database_url,
            DJANGO_ENV="local",
            DEBUG="0",
            BENCHMARK_HEADERS="1",
            ALLOWED_HOSTS=HOST,
            CONN_MAX_AGE="600",
            LOG_LEVEL="WARNING",
            DJANGO_SETTINGS_MODULE="coalition.settings",
            PGAPPNAME=self.application_name,
        )
        env.pop("REDIS_URL", None)
        env.update(self.extra_env)
        return env

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "gunicorn",
            self.app,
            "--no-control-socket",
            "--workers",
            str(self.workers),
            "--threads",
            "1",
            "--bind",
            f"{HOST}:{self.port}",
        ]

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(  # noqa: S603  # fixed argv, no shell
            self.command(),
            cwd=ROOT,
            env=self.environment(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the harness, which then stops gunicorn itself
        )
        try:
            self.wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
                connection.request("GET", "/healthz/")
                if connection.getresponse().status == 200:
                    connection.close()
                    return
                connection.close()
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer /healthz/ within {self.startup_timeout:.0f} s:\n{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the master's children."""
        return child_pids(self.process.pid) if self.process is not None else []

    def log_tail(self, lines: int = 30) -> str:
        self.log.flush()
        text = Path(self.log.name).read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # quick shutdown; nothing is left to finish
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


# --- Floor --------------------------------------------------------------------
def measure_floor(cursor, sql: str, params: dict, runs: int) -> dict:
    """Run ``sql`` ``runs`` times on one connection, escaping the rows into HTML each time; time each run."""
    timings = []
    rows: list[tuple] = []
    markup = ""
    for _ in range(runs):
        started = time.perf_counter()
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        markup = rows_to_html(rows)
        timings.append((time.perf_counter() - started) * 1000)
    return {"rows": len(rows), "html_bytes": len(markup.encode()), "latency_ms": summarize(timings)}


def lookup_params(cursor, page: page_table.Page, username: str | None) -> dict | None:
    """Parameters for a page's path, data and floor; None when its lookup finds no row."""
    params = {"username": username, **page.params}
    if page.lookup:
        cursor.execute(page.lookup)
        row = cursor.fetchone()
        if row is None:
            return None
        params.update({column.name: value for column, value in zip(cursor.description, row, strict=True)})
    return params


# --- Measuring pages ----------------------------------------------------------
@dataclass
class Credentials:
    admin_username: str = "admin"
    admin_password: str = DEMO_PASSWORD
    totp_secret: str = DEMO_TOTP_SECRET
    # A session that passed the second step, per username, shared by later clients: an
    # authenticator code is accepted once, and codes change only every 30 seconds.
    verified_cookies: dict[str, dict[str, str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def sign_in(self, client: Client, username: str, password: str) -> None:
        with self.lock:
            if username in self.verified_cookies:
                client.cookies.update(self.verified_cookies[username])
                return
            client.log_in(username, password)
            if client.pass_second_step(self.totp_secret):
                self.verified_cookies[username] = dict(client.cookies)

    def for_role(self, role: str | None) -> tuple[str, str] | None:
        if role is None:
            return None
        if role == "admin":
            return self.admin_username, self.admin_password
        return role, DEMO_PASSWORD


def _fill(template: str, params: dict) -> str:
    return template.format(**params) if "{" in template else template


def fill_data(data: dict, params: dict) -> dict:
    """A POST form from a row's ``data``: placeholders filled; a value that is exactly
    ``{name}`` where the lookup column ``name`` is a list (e.g. ``array_agg(id)``)
    becomes that many values of the field (a multiple choice)."""
    form = {}
    for key, value in data.items():
        value = str(value)
        inner = value[1:-1] if value.startswith("{") and value.endswith("}") else None
        if inner and isinstance(params.get(inner), list | tuple):
            form[key] = [str(item) for item in params[inner]]
        else:
            form[key] = _fill(value, params)
    return form


def request_page(client: Client, page: page_table.Page, path: str, data: dict) -> Response:
    if page.method == "POST":
        form = {**data, "csrfmiddlewaretoken": client.cookies.get("csrftoken", "")}
        return client.request("POST", path, form)
    return client.request("GET", path)


def signed_in_client(port: int, page: page_table.Page, credentials: Credentials) -> Client:
    client = Client(port)
    login = credentials.for_role(page.role)
    if login:
        credentials.sign_in(client, *login)
    return client


PRESSURE_FILE = Path("/proc/pressure/cpu")


def cpu_pressure_total(path: Path = PRESSURE_FILE) -> int | None:
    """Microseconds that some runnable task has waited for a CPU since boot (Linux PSI), or None."""
    try:
        for line in path.read_text().splitlines():
            if line.startswith("some "):
                fields = dict(part.split("=", 1) for part in line.split()[1:])
                return int(fields["total"])
    except (OSError, ValueError, KeyError):
        return None
    return None


def cpu_pressure_pct(before: int | None, after: int | None, seconds: float) -> float | None:
    """The share of ``seconds`` during which tasks waited for a CPU, in percent (None when unknown)."""
    if before is None or after is None or seconds <= 0:
        return None
    return round(min(100.0, (after - before) / (seconds * 1e6) * 100), 1)


def task_cpu_ns(pid: int, proc: Path = Path("/proc")) -> int | None:
    """Nanoseconds process ``pid`` (all its threads) has run on a CPU (Linux schedstat), or None.

    Waiting for a CPU is not in it: a busy machine hardly changes it."""
    try:
        tasks = list((proc / str(pid) / "task").iterdir())
        return sum(int((task / "schedstat").read_text().split()[0]) for task in tasks)
    except (OSError, ValueError, IndexError):
        return None


def child_pids(parent: int, proc: Path = Path("/proc")) -> list[int]:
    """Processes whose parent is ``parent`` (from /proc/<pid>/stat)."""
    children = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 1 and fields[1] == str(parent):
            children.append(int(entry.name))
    return sorted(children)


def backend_pids(cursor, application_name: str) -> list[int]:
    """The PostgreSQL backends serving a server's connections (tagged with PGAPPNAME)."""
    cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", [application_name])
    return sorted(row[0] for row in cursor.fetchall())


@dataclass
class CpuMeter:
    """The CPU time a server spends, read before and after a series: its gunicorn workers and the
    PostgreSQL backends of their connections (when the database runs on this machine). Unlike the
    X-CPU-ms header, which covers Django's handling only, it includes gunicorn's own work (accept,
    parse, write) and the SQL, so a page and its floor are charged for the same things."""

    server: Server
    cursor: object
    started: dict[str, dict[int, int]] = field(default_factory=dict)

    def snapshot(self) -> dict[str, dict[int, int]]:
        groups = {
            "workers": self.server.worker_pids(),
            "database": backend_pids(self.cursor, self.server.application_name),
        }
        return {
            name: {pid: ns for pid in pids if (ns := task_cpu_ns(pid)) is not None} for name, pids in groups.items()
        }

    def start(self) -> None:
        self.started = self.snapshot()

    def per_request_ms(self, requests: int) -> dict | None:
        """CPU milliseconds per request since ``start``: workers, database and total; None if unreadable."""
        return cpu_per_request(self.started, self.snapshot(), requests)


def cpu_per_request(before: dict[str, dict[int, int]], after: dict[str, dict[int, int]], requests: int) -> dict | None:
    """Per-request CPU milliseconds from two snapshots ``{group: {pid: ns}}``. A process that appeared
    in between counts from zero; one that exited is lost. None when the workers could not be read."""
    if requests < 1 or not after.get("workers"):
        return None
    spent = {}
    for group in ("workers", "database"):
        start, end = before.get(group, {}), after.get(group, {})
        spent[group] = sum(max(0, ns - start.get(pid, 0)) for pid, ns in end.items()) / 1e6 / requests
    return {
        "workers": round(spent["workers"], 3),
        "database": round(spent["database"], 3) if after.get("database") else None,
        "total": round(spent["workers"] + spent["database"], 3),
    }


def busy_cpu_seconds(path: Path = Path("/proc/stat")) -> float | None:
    """CPU seconds every CPU of the machine has spent busy since boot (/proc/stat), or None."""
    try:
        fields = [int(value) for value in path.read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


@dataclass
class Side:
    """A second city served beside the measured one (``--demo-database-url``): its server's port,
    a cursor on its database for the lookups, and its own sign-ins (sessions belong to one database)."""

    port: int
    cursor: object
    credentials: Credentials


@dataclass
class Series:
    """One page's measured requests on one server: what each response said about its cost."""

    client: Client
    path: str
    data: dict
    # The floor's series GETs its path whatever the page's method is.
    always_get: bool = False
    latencies: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    db_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)

    def request(self, page: page_table.Page, measured: bool = True) -> None:
        try:
            if self.always_get:
                response = self.client.request("GET", self.path)
            else:
                response = request_page(self.client, page, self.path, self.data)
        except (http.client.HTTPException, OSError) as error:
            if measured:
                self.statuses[type(error).__name__] += 1
            return
        if not measured:
            return
        self.statuses[str(response.status)] += 1
        self.latencies.append(response.elapsed_ms)
        self.sizes.append(len(response.body))
        if "x-query-count" in response.headers:
            self.queries.append(int(response.headers["x-query-count"]))
            self.db_ms.append(float(response.headers["x-db-time-ms"]))
        if "x-cpu-ms" in response.headers:
            self.cpu_ms.append(float(response.headers["x-cpu-ms"]))

    def summary(self, page: page_table.Page) -> dict:
        return {
            "path": self.path,
            "status_codes": dict(sorted(self.statuses.items())),
            "errors": sum(count for code, count in self.statuses.items() if code != str(page.expect)),
            "latency_ms": summarize(self.latencies),
            "queries": summarize(self.queries) if self.queries else None,
            "db_ms": summarize(self.db_ms) if self.db_ms else None,
            # The server's CPU time per request (the X-CPU-ms header): see budgets.check.
            "cpu_ms": summarize(self.cpu_ms) if self.cpu_ms else None,
            "bytes": summarize(self.sizes),
        }


def scale_ratio(large: dict, demo: dict) -> dict:
    """The large city's figures over the demo city's, measured side by side: median, p95 and CPU time."""

    def ratio(numerator, denominator):
        return round(numerator / denominator, 2) if numerator is not None and denominator else None

    cpu = (large.get("cpu_ms") or {}).get("median"), (demo.get("cpu_ms") or {}).get("median")
    return {
        "median": ratio(large["latency_ms"]["median"], demo["latency_ms"]["median"]),
        "p95": ratio(large["latency_ms"]["p95"], demo["latency_ms"]["p95"]),
        "cpu": ratio(*cpu),
    }


def floor_path(page: page_table.Page, params: dict) -> str:
    """The floor app's URL for ``page`` with its parameters."""
    query = urllib.parse.urlencode({"params": json.dumps(params, default=str)})
    return "/floor/" + urllib.parse.quote(page.name) + "?" + query


def ratio_of(numerator, denominator, digits: int = 2):
    return round(numerator / denominator, digits) if numerator is not None and denominator else None


def floor_ratios(page_wall_ms: float, floor_wall_ms: float, page_cpu: dict | None, floor_cpu: dict | None) -> dict:
    """The page against its floor, measured in the same loop: wall-clock medians, and the servers' CPU
    per request (gunicorn worker plus PostgreSQL backend; ``cpu`` is None when either was unreadable).
    The verdict reads ``cpu`` when there is one: see budgets.check."""
    cpu = ratio_of((page_cpu or {}).get("total"), (floor_cpu or {}).get("total"), 1) if page_cpu and floor_cpu else None
    return {"wall": ratio_of(page_wall_ms, floor_wall_ms, 1), "cpu": cpu}


def measure_page(
    port: int,
    page: page_table.Page,
    cursor,
    credentials: Credentials,
    requests: int,
    warmup: int,
    floor_port: int | None = None,
    demo: Side | None = None,
    meters: dict[str, CpuMeter] | None = None,
):
    """Measure one page: ``warmup`` then ``requests`` rounds of requests, then the in-process SQL floor.

    Each round asks the page, its floor page (``floor_port``) and, with ``demo``, the same page of
    the demo city, one request each, in alternating order (page, floor, demo, demo, floor, page, ...),
    so every series sees the same machine: their ratios hold however busy it is. ``meters`` (by
    side: ``page``, ``floor``, ``demo``) read each server's CPU time over the measured rounds."""
    meters = meters or {}
    login = credentials.for_role(page.role)
    params = lookup_params(cursor, page, login[0] if login else None)
    base = {"name": page.name, "kind": page.kind, "method": page.method}
    if params is None:
        return {**base, "path": page.path, "skipped": "no data: the lookup query returned no row"}
    sides = {
        "page": Series(
            signed_in_client(port, page, credentials), _fill(page.path, params), fill_data(page.data, params)
        )
    }
    if floor_port:
        sides["floor"] = Series(Client(floor_port), floor_path(page, params), {}, always_get=True)
    demo_skipped = None
    if demo is not None:
        demo_params = lookup_params(demo.cursor, page, login[0] if login else None)
        if demo_params is None:
            demo_skipped = "no data in the demo city: the lookup query returned no row"
        else:
            client = signed_in_client(demo.port, page, demo.credentials)
            sides["demo"] = Series(client, _fill(page.path, demo_params), fill_data(page.data, demo_params))
    order = list(sides.values())
    cpu: dict[str, dict | None] = {}
    try:
        for turn in range(warmup):
            for side in order if turn % 2 == 0 else order[::-1]:
                side.request(page, measured=False)
        for name in sides:
            if name in meters:
                meters[name].start()
        pressure_started = cpu_pressure_total()
        series_started = time.perf_counter()
        for turn in range(requests):
            for side in order if turn % 2 == 0 else order[::-1]:
                side.request(page)
        pressure = cpu_pressure_pct(pressure_started, cpu_pressure_total(), time.perf_counter() - series_started)
        for name in sides:
            cpu[name] = meters[name].per_request_ms(requests) if name in meters else None
    finally:
        for side in sides.values():
            side.client.close()
    large = sides["page"]
    if not large.latencies:
        return {**base, "path": large.path, "skipped": f"every request failed: {dict(large.statuses)}"}
    floor = measure_floor(cursor, page.floor, params, requests)
    http_floor = None
    if "floor" in sides:
        floor_series = sides["floor"]
        if not floor_series.latencies or set(floor_series.statuses) != {"200"}:
            raise RuntimeError(f"The floor app failed for {page.name}: {dict(floor_series.statuses)}")
        http_floor = {
            "html_bytes": floor_series.sizes[-1],
            "latency_ms": summarize(floor_series.latencies),
            "cpu_ms": summarize(floor_series.cpu_ms) if floor_series.cpu_ms else None,
            "server_cpu_ms": cpu.get("floor"),
        }
    measured = large.summary(page)
    ratios = floor_ratios(
        measured["latency_ms"]["median"],
        (http_floor or floor)["latency_ms"]["median"],
        cpu.get("page"),
        (http_floor or {}).get("server_cpu_ms"),
    )
    result = {
        **base,
        **measured,
        "skipped": None,
        "requests": requests,
        "expected_status": page.expect,
        # How much of the series the machine's runnable tasks waited for a CPU
        # (/proc/pressure/cpu "some"): see budgets.check.
        "cpu_pressure_pct": pressure,
        # The page's server per request: gunicorn workers and their PostgreSQL backends.
        "server_cpu_ms": cpu.get("page"),
        "floor": floor,
        "http_floor": http_floor,
        # Page median over the HTTP floor's median, measured in the same loop (the SQL floor's
        # when no floor server ran), and the same on the servers' CPU time.
        "floor_ratio": ratios["wall"],
        "floor_cpu_ratio": ratios["cpu"],
        "budget_p95_ms": budgets.p95_budget_ms(page.kind, page.name),
    }
    if demo is not None:
        demo_series = sides.get("demo")
        if demo_skipped or demo_series is None or not demo_series.latencies:
            statuses = dict(demo_series.statuses) if demo_series is not None else {}
            result["demo"] = {"skipped": demo_skipped or f"every request failed: {statuses}"}
        else:
            result["demo"] = {"skipped": None, **demo_series.summary(page), "server_cpu_ms": cpu.get("demo")}
            result["scale_ratio"] = scale_ratio(measured, result["demo"])
    return result


def load_figures(
    requests: int,
    elapsed_s: float,
    server_cpu: dict | None,
    client_cpu_s: float,
    machine_busy_s: float | None,
    cpus: int,
) -> dict:
    """What a load run cost in CPU, and the throughput that cost allows.

    ``cpu_rps`` = CPUs / (server plus client CPU seconds per request): the requests per second the
    run would reach if the machine's CPUs were its alone (server, PostgreSQL and client, as on a
    quiet machine). A neighbour's work slows the wall clock but not the CPU each request costs, so
    this figure holds under load. ``others_cpu_pct``: the machine's busy CPU time that was neither
    the server's nor the client's, as a share of all its CPUs over the run."""
    figures = {"server_cpu_ms": server_cpu, "client_cpu_ms": None, "cpu_rps": None, "others_cpu_pct": None}
    if requests < 1 or elapsed_s <= 0:
        return figures
    client_ms = client_cpu_s * 1000 / requests
    figures["client_cpu_ms"] = round(client_ms, 3)
    if server_cpu is None or server_cpu.get("database") is None:
        return figures  # without the database's CPU the figure would flatter the page
    per_request_ms = server_cpu["total"] + client_ms
    figures["cpu_rps"] = round(cpus * 1000 / per_request_ms, 1) if per_request_ms > 0 else None
    if machine_busy_s is not None:
        ours_s = per_request_ms * requests / 1000
        figures["others_cpu_pct"] = round(max(0.0, machine_busy_s - ours_s) / (cpus * elapsed_s) * 100, 1)
    return figures


def load_run(
    port: int,
    page: page_table.Page,
    path: str,
    data: dict,
    credentials: Credentials,
    clients: int,
    seconds,
    meter: CpuMeter | None = None,
):
    """``clients`` threads, each with its own signed-in keep-alive connection, for ``seconds``; then they stop.

    Beside the requests per second it reads the CPU the run cost: the server's (``meter``: workers
    and their PostgreSQL backends), the harness's own client threads', and the whole machine's, so
    ``cpu_rps`` can say what the server sustains when the machine's CPUs are the run's alone,
    and ``others_cpu_pct`` how busy the neighbours kept the machine meanwhile (see ``load_figures``)."""
    # Sign the clients in two at a time (password hashing is slow on purpose); not part of the measured window.
    with ThreadPoolExecutor(max_workers=2) as pool:
        logged_in = list(pool.map(lambda _: signed_in_client(port, page, credentials), range(clients)))
    barrier = threading.Barrier(clients + 1)
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    window: dict[str, float] = {}

    def worker(client: Client):
        mine, codes = [], Counter()
        barrier.wait()
        while time.perf_counter() < window["end"]:
            try:
                response = request_page(client, page, path, data)
                codes[str(response.status)] += 1
                mine.append(response.elapsed_ms)
            except (http.client.HTTPException, OSError) as error:
                codes[type(error).__name__] += 1
        with lock:
            latencies.extend(mine)
            statuses.update(codes)

    threads = [threading.Thread(target=worker, args=(client,), daemon=True) for client in logged_in]
    for thread in threads:
        thread.start()
    if meter is not None:
        meter.start()
    client_cpu_started, machine_started = time.process_time(), busy_cpu_seconds()
    window["start"] = time.perf_counter()
    window["end"] = window["start"] + seconds
    barrier.wait()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.perf_counter() - window["start"]
    client_cpu_s, machine_s = time.process_time() - client_cpu_started, busy_cpu_seconds()
    total = sum(statuses.values())
    server_cpu = meter.per_request_ms(total) if meter is not None else None
    for client in logged_in:
        client.close()
    errors = sum(count for code, count in statuses.items() if not (code.isdigit() and 200 <= int(code) < 400))
    return {
        "page": page.name,
        "clients": clients,
        "duration_s": round(elapsed, 2),
        "requests": total,
        "rps": round(total / elapsed, 1),
        "errors": errors,
        "status_codes": dict(sorted(statuses.items())),
        "latency_ms": summarize(latencies) if latencies else None,
        **load_figures(
            total,
            elapsed,
            server_cpu,
            client_cpu_s,
            None if machine_s is None or machine_started is None else machine_s - machine_started,
            os.cpu_count() or 1,
        ),
    }


# --- Output -------------------------------------------------------------------
def format_table(headers: list[str], rows: list[list]) -> str:
    """An aligned plain-text table: text left, numbers right."""
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [
        max(len(headers[i]), *(len(row[i]) for row in cells)) if cells else len(headers[i]) for i in range(len(headers))
    ]
    numeric = [all(_is_number(row[i]) for row in rows) and bool(rows) for i in range(len(headers))]

    def line(values):
        return "  ".join(
            (value.rjust(widths[i]) if numeric[i] else value.ljust(widths[i])) for i, value in enumerate(values)
        ).rstrip()

    return "\n".join([line(headers), line(["-" * width for width in widths]), *(line(row) for row in cells)])


def _is_number(value) -> bool:
    return value is None or isinstance(value, int | float)


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}" if value >= 10 else f"{value:.2f}"
    return str(value)


PAGE_HEADERS = [
    "page",
    "kind",
    "p50 ms",
    "p95 ms",
    "budget",
    "queries",
    "db ms",
    "cpu ms",
    "cpu budget",
    "pressure %",
    "KB",
    "rows",
    "sql floor",
    "floor p50",
    "x floor",
    "srv cpu",
    "floor cpu",
    "x floor cpu",
    "errors",
]
LOAD_HEADERS = [
    "page",
    "clients",
    "seconds",
    "requests",
    "req/s",
    "errors",
    "p50 ms",
    "p95 ms",
    "srv cpu",
    "client cpu",
    "cpu req/s",
    "others %",
]
SCALE_HEADERS = [
    "page",
    "kind",
    "p50 ms",
    "p95 ms",
    "demo p50",
    "demo p95",
    "x demo p50",
    "x demo p95",
    "budget",
    "cpu ms",
    "demo cpu",
    "x demo cpu",
    "queries",
    "demo queries",
    "demo errors",
]


def scale_rows(result: dict) -> list[list]:
    """Large city against demo city, measured in turn in the same run (``--demo-database-url``)."""
    rows = []
    for page in result["pages"]:
        demo = page.get("demo")
        if page.get("skipped") or demo is None:
            continue
        if demo.get("skipped"):
            rows.append([page["name"], page["kind"], *([None] * 12), demo["skipped"]])
            continue
        ratio = page["scale_ratio"]
        exempt = page["kind"] in budgets.SCALE_EXEMPT_KINDS
        rows.append(
            [
                page["name"],
                page["kind"],
                page["latency_ms"]["median"],
                page["latency_ms"]["p95"],
                demo["latency_ms"]["median"],
                demo["latency_ms"]["p95"],
                ratio["median"],
                ratio["p95"],
                None if exempt else budgets.SCALE_RATIO_MAX,
                page["cpu_ms"]["median"] if page.get("cpu_ms") else None,
                demo["cpu_ms"]["median"] if demo.get("cpu_ms") else None,
                ratio["cpu"],
                page["queries"]["max"] if page["queries"] else None,
                demo["queries"]["max"] if demo["queries"] else None,
                demo["errors"],
            ]
        )
    return rows


def page_rows(result: dict) -> list[list]:
    rows = []
    for page in result["pages"]:
        if page.get("skipped"):
            rows.append([page["name"], page["kind"], *([None] * len(PAGE_HEADERS[3:])), page["skipped"]])
            continue
        rows.append(
            [
                page["name"],
                page["kind"],
                page["latency_ms"]["median"],
                page["latency_ms"]["p95"],
                budgets.p95_budget_ms(page["kind"], page["name"]),
                page["queries"]["max"] if page["queries"] else None,
                page["db_ms"]["median"] if page["db_ms"] else None,
                page["cpu_ms"]["median"] if page.get("cpu_ms") else None,
                budgets.CPU_MS_BY_KIND.get(page["kind"]),
                page.get("cpu_pressure_pct"),
                round(page["bytes"]["median"] / 1024, 1),
                page["floor"]["rows"],
                page["floor"]["latency_ms"]["median"],
                (page.get("http_floor") or page["floor"])["latency_ms"]["median"],
                page["floor_ratio"],
                (page.get("server_cpu_ms") or {}).get("total"),
                ((page.get("http_floor") or {}).get("server_cpu_ms") or {}).get("total"),
                page.get("floor_cpu_ratio"),
                page["errors"],
            ]
        )
    return rows


def load_rows(result: dict) -> list[list]:
    return [
        [
            run["page"],
            run["clients"],
            run["duration_s"],
            run["requests"],
            run["rps"],
            run["errors"],
            run["latency_ms"]["median"] if run["latency_ms"] else None,
            run["latency_ms"]["p95"] if run["latency_ms"] else None,
            (run.get("server_cpu_ms") or {}).get("total"),
            run.get("client_cpu_ms"),
            run.get("cpu_rps"),
            run.get("others_cpu_pct"),
        ]
        for run in result["load"]
    ]


def report(result: dict) -> str:
    meta = result["meta"]
    parts = [
        f"Coalition benchmark {meta['started_at']} on {meta['database']} (commit {meta['commit'] or '?'}, "
        f"{meta['cpus']} CPUs, load average {meta['loadavg']}), {meta['requests']} requests per page",
        "",
        format_table(PAGE_HEADERS, page_rows(result)),
    ]
    scale = scale_rows(result)
    if scale:
        parts += [
            "",
            f"Large city against the demo city ({meta.get('demo_database')}), one request each in turn:",
            "",
            format_table(SCALE_HEADERS, scale),
        ]
    if result["load"]:
        parts += ["", format_table(LOAD_HEADERS, load_rows(result))]
    return "\n".join(parts)


def write_json(result: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, sort_keys=False) + "\n")


def redact(database_url: str) -> str:
    parts = urllib.parse.urlsplit(database_url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        parts = parts._replace(netloc=netloc)
    return urllib.parse.urlunsplit(parts)


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


# --- Command line -------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="default: $DATABASE_URL")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page (default 200)")
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured requests per page first (default 10)")
    parser.add_argument("--pages", help="comma-separated page names from benchmarks/pages.py (default: all)")
    parser.add_argument("--clients", default="4,16", help="concurrent clients per load run (default 4,16)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per load run (default 20)")
    parser.add_argument("--load-pages", help="pages for the load phase (default: rows with load=True)")
    parser.add_argument("--no-load", action="store_true", help="skip the concurrent load phase")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--username", default="admin", help="who signs in for role 'admin' rows (default admin)")
    parser.add_argument("--password", default=DEMO_PASSWORD, help="that user's password (default: the demo one)")
    parser.add_argument(
        "--totp-secret",
        default=DEMO_TOTP_SECRET,
        help="that user's authenticator secret (base32) for the second sign-in step (default: the demo admins')",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=DEFAULT_JSON,
        help=f"where to write the result (default {DEFAULT_JSON.relative_to(ROOT)})",
    )
    parser.add_argument("--from-json", type=Path, help="check a saved result instead of running")
    parser.add_argument("--check-budgets", action="store_true", help="exit 1 if a budget of budgets.py is breached")
    parser.add_argument("--compare", type=Path, help="a baseline result (demo city): p95 here must be <= 1.5x its p95")
    parser.add_argument(
        "--demo-database-url",
        help="also serve this database (the demo city) and measure each page on both servers in turn,\n"
        "request by request; --check-budgets then judges the large/demo p95 ratio (<= 1.5x) of that run",
    )
    args = parser.parse_args(argv)
    if not args.from_json and not args.database_url:
        parser.error("--database-url (or DATABASE_URL) is required")
    if args.requests < 1:
        parser.error("--requests must be at least 1")
    table = page_table.by_name()
    for option in ("pages", "load_pages"):
        names = [name.strip() for name in (getattr(args, option) or "").split(",") if name.strip()]
        unknown = [name for name in names if name not in table]
        if unknown:
            parser.error(f"unknown page(s) {unknown}; the table has {sorted(table)}")
        setattr(args, option, names or None)
    try:
        args.clients = [int(value) for value in args.clients.split(",") if value.strip()]
    except ValueError:
        parser.error("--clients takes comma-separated integers, e.g. 4,16")
    if any(count < 1 for count in args.clients):
        parser.error("--clients must be positive")
    return args


def run(args: argparse.Namespace) -> dict:
    import psycopg2  # the project's driver; imported here so --from-json needs nothing

    table = page_table.by_name()
    selected = [table[name] for name in args.pages] if args.pages else list(table.values())
    load_pages = [table[name] for name in args.load_pages] if args.load_pages else [p for p in selected if p.load]
    credentials = Credentials(args.username, args.password, args.totp_secret)
    result = {
        "meta": {
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": redact(args.database_url),
            "demo_database": redact(args.demo_database_url) if args.demo_database_url else None,
            "commit": git_commit(),
            "requests": args.requests,
            "warmup": args.warmup,
            "server": f"gunicorn sync worker, {args.workers} workers x 1 thread (closes the connection per response)",
            "cpus": os.cpu_count(),
            "loadavg": " ".join(f"{value:.2f}" for value in os.getloadavg()),
            "python": platform.python_version(),
        },
        "pages": [],
        "load": [],
    }
    connection = psycopg2.connect(args.database_url)
    connection.autocommit = True
    demo_connection = None
    if args.demo_database_url:
        demo_connection = psycopg2.connect(args.demo_database_url)
        demo_connection.autocommit = True
    floor_queries = tempfile.NamedTemporaryFile("w", prefix="coalition-bench-floors-", suffix=".json", delete=False)  # noqa: SIM115
    with floor_queries:
        json.dump({page.name: page.floor for page in selected}, floor_queries)
    floor_env = {"FLOOR_QUERIES": floor_queries.name}
    try:
        started = time.perf_counter()
        with ExitStack() as stack:
            server = stack.enter_context(Server(args.database_url, workers=args.workers))
            floor_server = stack.enter_context(
                Server(args.database_url, workers=args.workers, app=FLOOR_APP, extra_env=floor_env)
            )
            cursor = stack.enter_context(connection.cursor())
            # pg_stat_activity lists the backends of every database of the server, the demo city's too.
            meters = {"page": CpuMeter(server, cursor), "floor": CpuMeter(floor_server, cursor)}
            demo = None
            if demo_connection is not None:
                demo_server = stack.enter_context(Server(args.demo_database_url, workers=args.workers))
                demo_credentials = Credentials(args.username, args.password, args.totp_secret)
                demo = Side(demo_server.port, stack.enter_context(demo_connection.cursor()), demo_credentials)
                meters["demo"] = CpuMeter(demo_server, stack.enter_context(demo_connection.cursor()))
            print(f"gunicorn ready on {HOST}:{server.port} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
            for page in selected:
                print(f"measuring {page.name} ...", file=sys.stderr, flush=True)
                result["pages"].append(
                    measure_page(
                        server.port,
                        page,
                        cursor,
                        credentials,
                        args.requests,
                        args.warmup,
                        floor_port=floor_server.port,
                        demo=demo,
                        meters=meters,
                    )
                )
            if not args.no_load:
                for page in load_pages:
                    login = credentials.for_role(page.role)
                    params = lookup_params(cursor, page, login[0] if login else None)
                    if params is None:
                        continue
                    path = _fill(page.path, params)
                    data = fill_data(page.data, params)
                    for clients in args.clients:
                        print(
                            f"load {page.name}: {clients} clients for {args.duration:.0f} s ...",
                            file=sys.stderr,
                            flush=True,
                        )
                        result["load"].append(
                            load_run(server.port, page, path, data, credentials, clients, args.duration, meters["page"])
                        )
    finally:
        connection.close()
        if demo_connection is not None:
            demo_connection.close()
        Path(floor_queries.name).unlink(missing_ok=True)
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.from_json:
        result = json.loads(args.from_json.read_text())
    else:
        try:
            result = run(args)
        except KeyboardInterrupt:
            print("interrupted; gunicorn stopped", file=sys.stderr)
            return 130
        write_json(result, args.json)
    print(report(result))
    if not args.from_json:
        print(f"\nJSON: {args.json}")
    breaches = []
    if args.check_budgets:
        breaches += budgets.check(result)
    if args.compare:
        breaches += budgets.compare(result, json.loads(args.compare.read_text()))
    if args.check_budgets or args.compare:
        for note in budgets.unjudged(result):
            print(f"  note: {note}")
        if breaches:
            print(f"\n{len(breaches)} budget breach(es):")
            print("\n".join(f"  - {breach}" for breach in breaches))
            return 1
        print("\nEvery budget holds.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
