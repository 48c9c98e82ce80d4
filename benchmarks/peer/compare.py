"""Coalition beside the open-source peer DjangoCRM at the same size, in one interleaved run (issue 20).

    /work/main/.venv/bin/python benchmarks/peer/compare.py

1. Installs DjangoCRM (PyPI ``django-crm-admin==1.7.0``, its Django 5.2 line) into its own
   virtualenv (``--peer-venv``): the wheel with ``--no-deps``, then its pinned requirements
   without ``mysqlclient`` (MySQL only), plus ``psycopg2-binary`` and ``gunicorn`` at the
   versions Coalition's venv runs. Skipped when the venv already has that version.
2. Creates two PostgreSQL databases (``--coalition-db``, ``--peer-db``) when missing. Coalition's
   gets ``generate_city --size small`` with 10,000 people, 2,000 organizations, 10,000
   affiliations, 5,000 engagements and 50,000 attendance rows; those organizations, people and
   attendance rows are exported and loaded into DjangoCRM with its own ORM as companies,
   contacts and emails (benchmarks/peer/peer_site/load_peer_data.py), so both hold the same names.
3. Starts both under the same gunicorn command of benchmarks/harness.py (``Server``: sync
   workers, ``--workers`` each, 1 thread, DEBUG off, CONN_MAX_AGE 600, the same benchmark
   middleware), signs in through each one's login form, and times with the harness's
   ``Client``: people list / contact list, person page / contact page, people search /
   contact search for "okafor", in ``--rounds`` rounds of ``--per-round`` requests, the two
   sides alternating (who goes first swaps every round). Then the list pages under load:
   ``--clients`` threads for ``--load-seconds`` each side, ``--load-rounds`` times, alternating.
4. Prints the tables, the ratios and the verdict (Coalition's list throughput at least 15x the
   peer's), writes JSON (``--json``); ``--check`` exits 1 when the verdict fails.

If the peer cannot be installed or set up, the report says why and Coalition is still measured.
Both servers always stop at the end, Ctrl-C included.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.metadata
import json
import os
import platform
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402
from benchmarks import pages as page_table  # noqa: E402
from benchmarks.peer import report  # noqa: E402

PEER_PACKAGE = "django-crm-admin"
PEER_VERSION = "1.7.0"
PEER_SKIPPED_REQUIREMENTS = {"mysqlclient"}  # its MySQL driver; the peer runs on PostgreSQL here
PEER_SITE = Path(__file__).resolve().parent / "peer_site"
PEER_USERNAME = "bench"
PEER_PASSWORD = "peer-bench-local"  # noqa: S105  # a local benchmark superuser on a loopback-only server
# DjangoCRM 1.7.0's URL prefixes (webcrm/settings.py: SECRET_CRM_PREFIX, SECRET_LOGIN_PREFIX) under i18n_patterns.
PEER_CRM = "/en/123/"
PEER_LOGIN_PATH = PEER_CRM + "789-login/"
SEARCH_WORD = "okafor"  # the word of the harness's people_search row
# Links to a row's own page, counted (distinct ids) in a list response to report the rows it shows:
# Coalition pages its people by 50, DjangoCRM by 100 (Django admin's default list_per_page).
COALITION_ROW_LINK = r'href="/people/(\d+)/"'
PEER_ROW_LINK = r'href="/en/123/crm/contact/(\d+)/change/'

DEFAULT_DATA = ROOT / ".data" / "peer"
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "peer.json"
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
# The same size for both: the generator's small city with these counts overridden.
CITY_COUNTS = {
    "people": 10_000,
    "organizations": 2_000,
    "affiliations": 10_000,
    "engagements": 5_000,
    "attendance": 50_000,
}


class PeerUnavailable(RuntimeError):
    """The peer could not be installed or set up; the message says exactly why."""


# --- Installing the peer -------------------------------------------------------
def _run(argv: list[str], *, env: dict | None = None, cwd: Path | None = None, timeout: float = 900):
    return subprocess.run(  # noqa: S603  # fixed argv built here, no shell
        argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


def _tail(text: str, lines: int = 12) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def installed_peer_version(python: Path) -> str | None:
    if not python.exists():
        return None
    done = _run([str(python), "-c", f"import importlib.metadata as m; print(m.version({PEER_PACKAGE!r}))"])
    return done.stdout.strip() if done.returncode == 0 else None


def install_peer(venv: Path) -> Path:
    """The peer's venv python, installing django-crm-admin 1.7.0 there first if needed."""
    python = venv / "bin" / "python"
    if installed_peer_version(python) == PEER_VERSION:
        return python
    steps = []
    if not python.exists():
        steps.append([sys.executable, "-m", "venv", str(venv)])
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    steps.append([*pip, "--no-deps", f"{PEER_PACKAGE}=={PEER_VERSION}"])
    for step in steps:
        print(f"peer: {' '.join(step[-3:])} ...", file=sys.stderr, flush=True)
        done = _run(step)
        if done.returncode != 0:
            raise PeerUnavailable(f"`{' '.join(step)}` failed (exit {done.returncode}):\n{_tail(done.stderr)}")
    show = f"import importlib.metadata as m; print('\\n'.join(m.requires({PEER_PACKAGE!r})))"
    listed = _run([str(python), "-c", show])
    requirements = [
        line.strip()
        for line in listed.stdout.splitlines()
        if line.strip() and _requirement_name(line) not in PEER_SKIPPED_REQUIREMENTS
    ]
    # The servers differ only in the application: same gunicorn and PostgreSQL driver as Coalition's venv.
    requirements += [
        f"gunicorn=={importlib.metadata.version('gunicorn')}",
        f"psycopg2-binary=={importlib.metadata.version('psycopg2-binary')}",
    ]
    print(f"peer: installing {len(requirements)} requirements ...", file=sys.stderr, flush=True)
    done = _run([*pip, *requirements])
    if done.returncode != 0:
        raise PeerUnavailable(
            f"pip could not install the peer's requirements (exit {done.returncode}):\n{_tail(done.stderr)}"
        )
    return python


def _requirement_name(line: str) -> str:
    for separator in ("=", "<", ">", "!", "~", ";", "[", " "):
        line = line.split(separator, 1)[0]
    return line.strip().lower()


# --- Databases ----------------------------------------------------------------
def database_url(name: str) -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def ensure_database(name: str, *, rebuild: bool) -> bool:
    """Create database ``name`` (dropping it first with ``rebuild``); return whether it is new."""
    import psycopg2
    from psycopg2 import sql

    connection = psycopg2.connect(ADMIN_URL)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            if rebuild:
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    finally:
        connection.close()


def query(url: str, statement: str, params=None) -> list[tuple]:
    import psycopg2

    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall()
    finally:
        connection.close()


def build_coalition(url: str) -> dict:
    """Migrate and generate the city unless it is there; return its counts."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "coalition.settings"}
    env.pop("REDIS_URL", None)
    done = _run([sys.executable, "manage.py", "migrate", "-v", "0"], env=env, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"Coalition's migrate failed:\n{_tail(done.stderr)}")
    if query(url, "SELECT count(*) FROM stakeholders_person")[0][0] == 0:
        print("coalition: generating the city ...", file=sys.stderr, flush=True)
        options = [f"--{name}={count}" for name, count in CITY_COUNTS.items()]
        done = _run([sys.executable, "manage.py", "generate_city", "--size", "small", *options], env=env, cwd=ROOT)
        if done.returncode != 0:
            raise RuntimeError(f"generate_city failed:\n{_tail(done.stderr)}")
    return coalition_counts(url)


def coalition_counts(url: str) -> dict:
    (row,) = query(
        url,
        "SELECT (SELECT count(*) FROM stakeholders_person), (SELECT count(*) FROM stakeholders_organization),"
        " (SELECT count(*) FROM engagements_attendance), (SELECT count(*) FROM engagements_engagement)",
    )
    return dict(zip(("people", "organizations", "attendance", "engagements"), row, strict=True))


def export_coalition(url: str, path: Path) -> None:
    """Organizations, people (with their first current organization) and attendance, for the peer's loader."""
    organizations = query(url, "SELECT id, name, email, phone FROM stakeholders_organization ORDER BY id")
    people = query(
        url,
        "SELECT p.id, p.first_name, p.last_name, p.email, p.phone,"
        " (SELECT a.organization_id FROM stakeholders_affiliation a"
        "  WHERE a.person_id = p.id ORDER BY a.end_date IS NOT NULL, a.id LIMIT 1)"
        " FROM stakeholders_person p ORDER BY p.id",
    )
    activities = query(
        url,
        "SELECT a.person_id, e.title FROM engagements_attendance a"
        " JOIN engagements_engagement e ON e.id = a.engagement_id ORDER BY a.id",
    )
    org_ids = [row[0] for row in organizations]
    export = {
        "organizations": [dict(zip(("id", "name", "email", "phone"), row, strict=True)) for row in organizations],
        "people": [
            {
                "id": person_id,
                "first_name": first,
                "last_name": last,
                "email": email,
                "phone": phone,
                # DjangoCRM requires a company: a person without one gets one in turn.
                "organization_id": org_id if org_id is not None else org_ids[index % len(org_ids)],
            }
            for index, (person_id, first, last, email, phone, org_id) in enumerate(people)
        ],
        "activities": activities,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(export))


def peer_environment(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PEER_DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="peer_bench_settings",
        DJANGO_SUPERUSER_USERNAME=PEER_USERNAME,
        DJANGO_SUPERUSER_PASSWORD=PEER_PASSWORD,
        DJANGO_SUPERUSER_EMAIL="bench@example.com",
        PYTHONPATH=str(PEER_SITE),
        # Keep the starting directory (the repository) off sys.path: its ``tests`` package would
        # shadow the peer's top-level one. gunicorn ``--chdir`` and PYTHONPATH give peer_site.
        PYTHONSAFEPATH="1",
    )
    return env


def build_peer(python: Path, url: str, export: Path) -> dict:
    """Run DjangoCRM's setup and the loader in the peer's venv; return its counts."""
    print("peer: setting up and loading (first run: about a minute) ...", file=sys.stderr, flush=True)
    done = _run([str(python), "load_peer_data.py", str(export)], env=peer_environment(url), cwd=PEER_SITE)
    if done.returncode != 0:
        raise PeerUnavailable(f"loading the peer's data failed (exit {done.returncode}):\n{_tail(done.stderr)}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- Servers and sign-in ------------------------------------------------------
class PeerServer(harness.Server):
    """The harness's gunicorn command, run by the peer's venv on DjangoCRM's WSGI app."""

    def __init__(self, python: Path, database_url: str, workers: int):
        super().__init__(database_url, workers=workers, app="webcrm.wsgi")
        self.python = python

    def environment(self) -> dict[str, str]:
        env = super().environment()
        env.update(peer_environment(self.database_url))
        return env

    def command(self) -> list[str]:
        command = super().command()
        command[0] = str(self.python)
        return [*command, "--chdir", str(PEER_SITE)]

    def __enter__(self) -> PeerServer:
        # Server.__enter__ starts gunicorn in the repository, and gunicorn puts the directory it
        # starts in first on sys.path (--chdir does not remove it): Coalition's ``tests`` package
        # would then shadow the peer's, which its views import. Start it in peer_site instead.
        self.process = subprocess.Popen(  # noqa: S603  # fixed argv, no shell
            self.command(),
            cwd=PEER_SITE,
            env=self.environment(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self.wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self


def peer_log_in(client: harness.Client, username: str, password: str) -> None:
    """Sign in through DjangoCRM's login form (Django admin's), CSRF included."""
    client.request("GET", PEER_LOGIN_PATH)
    token = client.cookies.get("csrftoken")
    if not token:
        raise RuntimeError("The peer's login page set no csrftoken cookie.")
    form = {"username": username, "password": password, "csrfmiddlewaretoken": token, "next": PEER_CRM}
    response = client.request("POST", PEER_LOGIN_PATH, form)
    if response.status != 302 or "sessionid" not in client.cookies:
        raise RuntimeError(f"Could not sign in to the peer as {username!r} (HTTP {response.status}).")


class PeerCredentials(harness.Credentials):
    """Credentials whose sign-in is the peer's form, so harness.load_run works on the peer unchanged."""

    def for_role(self, role: str | None) -> tuple[str, str] | None:
        return (self.admin_username, self.admin_password) if role else None

    def sign_in(self, client: harness.Client, username: str, password: str) -> None:
        peer_log_in(client, username, password)


# --- Measuring ----------------------------------------------------------------
def coalition_pages(url: str) -> dict[str, tuple[page_table.Page, str, str]]:
    """The harness's people list, person page and people search rows, with their paths filled."""
    table = page_table.by_name()
    pages = {"list": table["people_list"], "detail": table["person_detail"], "search": table["people_search"]}
    import psycopg2

    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            filled = {}
            for kind, page in pages.items():
                params = harness.lookup_params(cursor, page, page.role)
                if params is None:
                    raise RuntimeError(f"{page.name}: its lookup found no row in {url}.")
                filled[kind] = (page, page.path.format(**params) if "{" in page.path else page.path, COALITION_ROW_LINK)
    finally:
        connection.close()
    return filled


def peer_pages(
    coalition_url: str, peer_url: str, detail_person_path: str
) -> dict[str, tuple[page_table.Page, str, str]]:
    """The contact list, the contact page of the same person as Coalition's person page, and the search."""
    person_id = int(detail_person_path.strip("/").rsplit("/", 1)[-1])
    (email, first, last) = query(
        coalition_url, "SELECT email, first_name, last_name FROM stakeholders_person WHERE id = %s", [person_id]
    )[0]
    rows = query(
        peer_url,
        "SELECT id FROM crm_contact WHERE email = %s AND first_name = %s AND last_name = %s ORDER BY id LIMIT 1",
        [email, first, last],
    )
    if not rows:
        raise PeerUnavailable(f"the peer has no contact for Coalition's person {person_id} ({first} {last}).")
    contact = f"{PEER_CRM}crm/contact/"
    pages = {
        "list": Page(name="peer_contact_list", kind="list", path=contact),
        "detail": Page(name="peer_contact_detail", kind="detail", path=f"{contact}{rows[0][0]}/change/"),
        "search": Page(name="peer_contact_search", kind="search", path=f"{contact}?q={SEARCH_WORD}"),
    }
    return {kind: (page, page.path, PEER_ROW_LINK) for kind, page in pages.items()}


def Page(**fields) -> page_table.Page:  # noqa: N802  # a peer row of the harness's page table
    return page_table.Page(floor="", role=PEER_USERNAME, **fields)


class Series:
    """One page's sequential requests, added to round after round."""

    def __init__(self, page: page_table.Page, path: str, row_link: str | None):
        self.page, self.path, self.row_link = page, path, row_link
        self.last_body = b""
        self.latencies, self.cpu_ms, self.queries, self.db_ms, self.sizes = [], [], [], [], []
        self.statuses: Counter[str] = Counter()
        self.pressure_us = 0
        self.pressure_known = True
        self.seconds = 0.0

    def run(self, client: harness.Client, requests: int) -> None:
        pressure_started = harness.cpu_pressure_total()
        started = time.perf_counter()
        for _ in range(requests):
            try:
                response = harness.request_page(client, self.page, self.path, {})
            except (http.client.HTTPException, OSError) as error:
                self.statuses[type(error).__name__] += 1
                continue
            self.statuses[str(response.status)] += 1
            self.latencies.append(response.elapsed_ms)
            self.sizes.append(len(response.body))
            self.last_body = response.body
            if "x-query-count" in response.headers:
                self.queries.append(int(response.headers["x-query-count"]))
                self.db_ms.append(float(response.headers["x-db-time-ms"]))
            if "x-cpu-ms" in response.headers:
                self.cpu_ms.append(float(response.headers["x-cpu-ms"]))
        self.seconds += time.perf_counter() - started
        pressure_ended = harness.cpu_pressure_total()
        if pressure_started is None or pressure_ended is None:
            self.pressure_known = False
        else:
            self.pressure_us += pressure_ended - pressure_started

    def result(self) -> dict:
        def stats(values):
            return harness.summarize(values) if values else None

        return {
            "page": self.page.name,
            "path": self.path,
            "requests": len(self.latencies),
            "status_codes": dict(sorted(self.statuses.items())),
            "errors": sum(count for code, count in self.statuses.items() if code != "200"),
            "latency_ms": stats(self.latencies),
            "cpu_ms": stats(self.cpu_ms),
            "queries": stats(self.queries),
            "db_ms": stats(self.db_ms),
            "bytes": stats(self.sizes),
            "rows": (
                len(set(re.findall(self.row_link, self.last_body.decode(errors="replace")))) if self.row_link else None
            ),
            "cpu_pressure_pct": (
                harness.cpu_pressure_pct(0, self.pressure_us, self.seconds) if self.pressure_known else None
            ),
        }


def measure(sides: dict, args: argparse.Namespace) -> dict:
    """Interleave the sides page by page and round by round, then the list load runs; one result per side.

    ``sides`` maps a side's name to ``(port, credentials, pages)``."""
    names = list(sides)
    clients, series = {}, {}
    for name, (port, credentials, pages) in sides.items():
        page, _, _ = pages["list"]
        clients[name] = harness.signed_in_client(port, page, credentials)
        series[name] = {
            kind: Series(page, path, row_link if kind != "detail" else None)
            for kind, (page, path, row_link) in pages.items()
        }
    try:
        for kind in report.KINDS:
            for name in names:  # warm-up, unmeasured
                for _ in range(args.warmup):
                    harness.request_page(clients[name], series[name][kind].page, series[name][kind].path, {})
        for round_index in range(args.rounds):
            order = names if round_index % 2 == 0 else names[::-1]
            print(f"round {round_index + 1}/{args.rounds} ({' then '.join(order)}) ...", file=sys.stderr, flush=True)
            for kind in report.KINDS:
                for name in order:
                    series[name][kind].run(clients[name], args.per_round)
    finally:
        for client in clients.values():
            client.close()
    results = {name: {"pages": {kind: s.result() for kind, s in series[name].items()}, "load": []} for name in names}
    for round_index in range(args.load_rounds):
        order = names if round_index % 2 == 0 else names[::-1]
        for name in order:
            port, credentials, pages = sides[name]
            page, path, _ = pages["list"]
            note = f"load {name} list: {args.clients} clients for {args.load_seconds:g} s ..."
            print(note, file=sys.stderr, flush=True)
            pressure_started, started = harness.cpu_pressure_total(), time.perf_counter()
            run = harness.load_run(port, page, path, {}, credentials, args.clients, args.load_seconds)
            run["cpu_pressure_pct"] = harness.cpu_pressure_pct(
                pressure_started, harness.cpu_pressure_total(), time.perf_counter() - started
            )
            results[name]["load"].append(run)
    return results


# --- Command line -------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA, help="peer venv and export (default .data/peer)")
    parser.add_argument("--peer-venv", type=Path, help="the peer's virtualenv (default DATA_DIR/venv)")
    parser.add_argument("--coalition-db", default="coalition_peer", help="Coalition's database (default %(default)s)")
    parser.add_argument("--peer-db", default="djangocrm_peer", help="the peer's database (default djangocrm_peer)")
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild both databases first")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for each server (default 2)")
    parser.add_argument("--rounds", type=int, default=10, help="interleaved rounds (default 10)")
    parser.add_argument("--per-round", type=int, default=20, help="requests per page per side per round (default 20)")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured requests per page first (default 5)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients in the list load (default 4)")
    parser.add_argument("--load-seconds", type=float, default=10.0, help="seconds per load run (default 10)")
    parser.add_argument("--load-rounds", type=int, default=2, help="load runs per side, alternating (default 2)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the result")
    parser.add_argument("--from-json", type=Path, help="print a saved result instead of running")
    parser.add_argument("--check", action="store_true", help="exit 1 unless the list throughput ratio is >= 15x")
    args = parser.parse_args(argv)
    args.peer_venv = args.peer_venv or args.data_dir / "venv"
    for option in ("workers", "rounds", "per_round", "clients", "load_rounds"):
        if getattr(args, option) < 1:
            parser.error(f"--{option.replace('_', '-')} must be at least 1")
    return args


def run(args: argparse.Namespace) -> dict:
    coalition_url, peer_url = database_url(args.coalition_db), database_url(args.peer_db)
    result = {
        "meta": {
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": harness.git_commit(),
            "cpus": os.cpu_count(),
            "loadavg": " ".join(f"{value:.2f}" for value in os.getloadavg()),
            "python": platform.python_version(),
            "peer_package": f"{PEER_PACKAGE}=={PEER_VERSION}",
            "server": f"gunicorn sync, {args.workers} workers x 1 thread each",
            "coalition_db": args.coalition_db,
            "peer_db": args.peer_db,
            "rounds": args.rounds,
            "requests_per_page": args.rounds * args.per_round,
            "warmup": args.warmup,
            "clients": args.clients,
            "load_rounds": args.load_rounds,
            "load_seconds": args.load_seconds,
        },
        "coalition": None,
        "peer": None,
        "peer_unavailable": None,
    }
    ensure_database(args.coalition_db, rebuild=args.rebuild)
    result["meta"]["coalition_counts"] = build_coalition(coalition_url)
    peer_python = None
    try:
        peer_python = install_peer(args.peer_venv)
        ensure_database(args.peer_db, rebuild=args.rebuild)
        export = args.data_dir / "coalition-export.json"
        export_coalition(coalition_url, export)
        result["meta"]["peer_counts"] = build_peer(peer_python, peer_url, export)
    except PeerUnavailable as error:
        result["peer_unavailable"] = str(error)
        peer_python = None
        print(f"PEER NOT MEASURED: {error}", file=sys.stderr)

    ours = coalition_pages(coalition_url)
    sides = {}
    with harness.Server(coalition_url, workers=args.workers) as coalition_server:
        sides["coalition"] = (coalition_server.port, harness.Credentials(), ours)
        if peer_python is None:
            result.update(measure(sides, args))
            return result
        theirs = peer_pages(coalition_url, peer_url, ours["detail"][1])
        with PeerServer(peer_python, peer_url, args.workers) as peer_server:
            sides["peer"] = (peer_server.port, PeerCredentials(PEER_USERNAME, PEER_PASSWORD), theirs)
            print(f"servers ready: Coalition :{coalition_server.port}, peer :{peer_server.port}", file=sys.stderr)
            result.update(measure(sides, args))
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.from_json:
        result = json.loads(args.from_json.read_text())
    else:
        try:
            result = run(args)
        except KeyboardInterrupt:
            print("interrupted; servers stopped", file=sys.stderr)
            return 130
        result["ratios"] = report.ratios(result)
        result["verdict"] = report.verdict(result)[1]
        harness.write_json(result, args.json)
    print(report.format_report(result))
    if not args.from_json:
        print(f"\nJSON: {args.json}")
    ok, _ = report.verdict(result)
    return 1 if args.check and ok is not True else 0


if __name__ == "__main__":
    sys.exit(main())
