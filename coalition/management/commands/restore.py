"""Restore a backup archive into an empty database and media folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coalition.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a coalition-backup-….tar into the configured database (which must be empty) and MEDIA_ROOT, "
        "then check every table and file against the archive's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The .tar written by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that has tables (drops its public schema) and overwrite uploaded files.",
        )

    def handle(self, *args, archive: Path, force: bool, **options):
        try:
            result = backup_restore(archive=archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {result.tables} tables ({result.rows} rows) and {result.files} files; "
                "every count and checksum matches the backup."
            )
        )
        if result.unapplied_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup predates {len(result.unapplied_migrations)} migrations of this code: "
                    "run `python manage.py migrate`."
                )
            )
