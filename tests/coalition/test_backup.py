"""Backup and restore: every row and file comes back identical, and a bad restore changes nothing."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import tarfile
from pathlib import Path

import psycopg2
import pytest
from django.db import connection
from psycopg2 import sql

from coalition.backup import BackupError, backup_create, backup_restore, database_state
from tests.gates.demo_city import seed_demo_city

pytestmark = pytest.mark.django_db(transaction=True)


def _connect(database: dict, dbname: str | None = None):
    params = {
        "dbname": dbname or database["NAME"],
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        "host": database.get("HOST") or None,
        "port": str(database["PORT"]) if database.get("PORT") else None,
    }
    return psycopg2.connect(**{key: value for key, value in params.items() if value is not None})


def _state(database: dict) -> dict:
    with _connect(database) as conn, conn.cursor() as cursor:
        state = database_state(cursor)
    conn.close()
    return state


def _relations(database: dict) -> int:
    with _connect(database) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
        )
        count = cursor.fetchone()[0]
    conn.close()
    return count


def _files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def source():
    return dict(connection.settings_dict)


@pytest.fixture
def empty_database(source):
    """A fresh database on the same server (the embedded one or DATABASE_URL's), dropped afterwards."""
    name = f"coalition_restore_{secrets.token_hex(6)}"
    admin = _connect(source, dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield {**source, "NAME": name}
    finally:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def test_restore_brings_back_every_row_and_file(source, empty_database, media_root, tmp_path):
    """After a backup, a restore into an empty database gives the same rows in every table (counts and
    checksums), the same sequences and materialized views, and byte-identical uploaded files."""
    # given: the demo city (every app, agreement documents included) and one more upload in a subfolder
    seed_demo_city()  # with the reference lists an earlier transactional test may have flushed
    (media_root / "private" / "año 2027").mkdir(parents=True)
    (media_root / "private" / "año 2027" / "scan.pdf").write_bytes(b"%PDF-1.4\n" + secrets.token_bytes(4096))
    source_state, source_files = _state(source), _files(media_root)
    assert len(source_files) >= 2
    assert source_state["tables"]["stakeholders_person"]["rows"] > 0

    # when
    archive = backup_create(destination_dir=tmp_path / "backups", database=source, media_root=media_root)
    restored_media = tmp_path / "restored-media"
    result = backup_restore(archive=archive, database=empty_database, media_root=restored_media)

    # then: one dated archive, its checksum beside it, and no leftovers in the folder
    assert re.fullmatch(r"coalition-backup-\d{8}T\d{6}Z\.tar", archive.name)
    sidecar = archive.with_name(archive.name + ".sha256")
    assert sidecar.read_text() == f"{hashlib.sha256(archive.read_bytes()).hexdigest()}  {archive.name}\n"
    assert sorted(path.name for path in archive.parent.iterdir()) == [archive.name, sidecar.name]
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        assert {"database.dump", "manifest.json"} <= set(tar.getnames())
    assert manifest["database"]["tables"] == source_state["tables"]
    assert set(manifest["media"]) == set(source_files)
    assert "0001_initial" in manifest["migrations"]["stakeholders"]
    assert manifest["database"]["materialized_views_not_summed"] == ["engagements_engagementreach"]

    # and the restored copy is identical
    restored_state = _state(empty_database)
    assert restored_state == source_state
    assert _files(restored_media) == source_files
    assert result.tables == len(source_state["tables"])
    assert result.rows == sum(table["rows"] for table in source_state["tables"].values())
    assert result.unapplied_migrations == []
    with _connect(source) as src, _connect(empty_database) as dst:
        counts = []
        for conn in (src, dst):
            with conn.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM engagements_engagementreach")
                counts.append(cursor.fetchone()[0])
    src.close()
    dst.close()
    assert counts[0] == counts[1] > 0

    # and --force replaces a database that already has the tables
    again = backup_restore(archive=archive, database=empty_database, media_root=restored_media, force=True)
    assert again.rows == result.rows
    assert _state(empty_database) == source_state


def test_corrupted_archive_is_refused_and_nothing_changes(source, empty_database, media_root, tmp_path):
    """A restore checks the archive's checksums before it touches the database or the files."""
    (media_root / "note.txt").write_text("kept")
    archive = backup_create(destination_dir=tmp_path / "backups", database=source, media_root=media_root)
    data = bytearray(archive.read_bytes())
    data[2048] ^= 0xFF  # inside database.dump
    archive.write_bytes(bytes(data))
    restored_media = tmp_path / "restored-media"

    with pytest.raises(BackupError, match=r"corrupted.*differs from .*\.sha256\. Nothing was restored"):
        backup_restore(archive=archive, database=empty_database, media_root=restored_media)

    # without the sidecar, the manifest's checksum of the dump catches it
    archive.with_name(archive.name + ".sha256").unlink()
    with pytest.raises(BackupError, match=r"database\.dump in the archive is corrupted.*Nothing was restored"):
        backup_restore(archive=archive, database=empty_database, media_root=restored_media)

    assert _relations(empty_database) == 0
    assert not restored_media.exists()


def test_restore_refuses_a_database_that_has_tables(source, media_root, tmp_path):
    """Without --force a restore never overwrites a database that already holds data."""
    archive = backup_create(destination_dir=tmp_path / "backups", database=source, media_root=media_root)
    before = _state(source)

    with pytest.raises(BackupError, match=r"has tables .*pass --force"):
        backup_restore(archive=archive, database=source, media_root=tmp_path / "restored-media")

    assert _state(source) == before
