"""`manage.py backup`: the database, the stored files, a signed manifest and the audit head."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from vigil.operations.archive import BackupError
from vigil.operations.backup import backup_create


class Command(BaseCommand):
    help = (
        "Write a backup directory: every table (values as stored, still encrypted), the files "
        "under MEDIA_ROOT, and a signed manifest with hashes and the audit chain's head. "
        "Progress goes to stderr; the backup's path to stdout."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="Directory to create (default: a new timestamped one in VIGIL_BACKUP_DIR).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        destination = options["output"] or (
            Path(settings.BACKUP_DIR) / f"vigil-{timezone.now():%Y%m%dT%H%M%SZ}"
        )
        try:
            manifest = backup_create(destination=destination, progress=self._progress)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self._progress(
            f"audit chain head #{manifest['audit']['last_id']} {manifest['audit']['last_hash']}"
        )
        self.stdout.write(str(destination))

    def _progress(self, message: str) -> None:
        self.stderr.write(message)
