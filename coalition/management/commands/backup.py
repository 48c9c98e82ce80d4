"""Back up the database and the uploaded files into one dated, checksummed archive."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from coalition.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write coalition-backup-<UTC time>.tar (database dump, uploaded files, manifest) and its .sha256 "
        "into --destination."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--destination",
            type=Path,
            default=settings.DATA_DIR / "backups",
            help="Folder for the archive (default: .data/backups).",
        )

    def handle(self, *args, destination: Path, **options):
        try:
            archive = backup_create(destination_dir=destination)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written: {archive}"))
