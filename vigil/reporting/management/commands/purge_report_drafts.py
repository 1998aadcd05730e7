from typing import Any

from django.core.management.base import BaseCommand

from vigil.reporting.services import drafts_purge, throttle_events_purge
from vigil.reporting.sign_in_links import tracking_links_purge


class Command(BaseCommand):
    help = (
        "Delete reports in progress that have expired, with their uploaded files, sign-in links "
        "that can no longer be used, and rate-limit events too old to count (run hourly)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = drafts_purge()
        links = tracking_links_purge()
        events = throttle_events_purge()
        self.stdout.write(f"Deleted {count} expired drafts.")
        self.stdout.write(f"Deleted {links} expired sign-in links.")
        self.stdout.write(f"Deleted {events} old rate-limit events.")
