from typing import Any

from django.core.management.base import BaseCommand

from vigil.reporting.services import drafts_purge
from vigil.reporting.sign_in_links import tracking_links_purge


class Command(BaseCommand):
    help = (
        "Delete reports in progress that have expired, with their uploaded files, and sign-in "
        "links that can no longer be used (run hourly)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = drafts_purge()
        self.stdout.write(f"Deleted {count} expired drafts.")
        links = tracking_links_purge()
        self.stdout.write(f"Deleted {links} expired sign-in links.")
