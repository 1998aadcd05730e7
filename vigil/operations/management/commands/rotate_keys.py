"""`manage.py rotate_keys`: move every encrypted value and file to the newest field key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.common.crypto import DecryptionError
from vigil.operations.rotation import current_key_id, key_usage, keys_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field and stored file with the first key in "
        "VIGIL_FIELD_KEYS, in small batches while the service runs (stop and rerun at will), "
        "then rebuild blind indexes if VIGIL_BLIND_INDEX_KEY changed. See docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--status",
            action="store_true",
            help="Only count the stored values under each key id; change nothing.",
        )
        parser.add_argument(
            "--reindex",
            action="store_true",
            help="Rebuild the blind indexes even if their key looks unchanged.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if not options["status"]:
                result = keys_rotate(progress=self.stderr.write, reindex=options["reindex"])
                self.stdout.write(
                    f"Re-encrypted {result.rows_rewritten} rows and {result.files_rewritten} "
                    f"files with key {current_key_id()!r}."
                )
                if result.rows_skipped_changed:
                    self.stdout.write(
                        f"{result.rows_skipped_changed} rows changed while they were read; "
                        "run again to finish them."
                    )
            usage = key_usage()
        except DecryptionError as error:
            raise CommandError(
                f"A stored value cannot be read: {error} Put the missing key back in "
                "VIGIL_FIELD_KEYS (after the new one) and run again."
            ) from None
        for key_id, count in sorted(usage.items()):
            self.stdout.write(f"  {key_id}: {count}")
        old = {key.split(" ")[0] for key in usage} - {current_key_id()}
        if old:
            self.stdout.write(f"Still in use: {', '.join(sorted(old))}. Keep those keys.")
        else:
            self.stdout.write("Only the current key is in use: older keys can be removed.")
