from typing import Any

from django.core.management.base import BaseCommand

from vigil.reporting.services import drafts_purge


class Command(BaseCommand):
    help = "Delete reports in progress that have expired, with their uploaded files (run hourly)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = drafts_purge()
        self.stdout.write(f"Deleted {count} expired drafts.")
