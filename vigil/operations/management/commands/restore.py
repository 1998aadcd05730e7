"""`manage.py restore DIR`: check a backup's hashes, load it, and verify the audit chain."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.operations.archive import BackupError
from vigil.operations.restore import backup_check, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into this (migrated) database and "
        "MEDIA_ROOT. Every hash and the audit chain are verified before it reports success; "
        "on any failure the database is left as it was."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, help="The backup directory.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace a database that is already in use (it has audit events).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the manifest's signature and every hash; change nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["check"]:
                backup_check(source=options["source"], progress=self.stderr.write)
                self.stdout.write("Backup OK: every hash matches the signed manifest.")
                return
            result = backup_restore(
                source=options["source"], replace=options["replace"], progress=self.stderr.write
            )
        except BackupError as error:
            raise CommandError(f"Not restored: {error}") from None
        self.stdout.write(
            f"Restored {result.rows} rows and {result.files} files; "
            f"audit chain verified ({result.audit_events} events)."
        )
