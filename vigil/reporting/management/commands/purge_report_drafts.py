from typing import Any

from django.core.management.base import BaseCommand

from vigil.reporting.services import drafts_purge, throttle_events_purge


class Command(BaseCommand):
    help = (
        "Delete reports in progress that have expired, with their uploaded files, and rate-limit "
        "events too old to count (run hourly)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = drafts_purge()
        events = throttle_events_purge()
        self.stdout.write(f"Deleted {count} expired drafts and {events} old rate-limit events.")
