"""`manage.py retention_sweep`: daily review dates and purges (deploy/systemd timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.records.services import retention_sweep


class Command(BaseCommand):
    help = (
        "Work out each closed case's review date (moved on by the victim's own activity), and "
        "purge old report drafts and one-time links. Safe to run twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = retention_sweep()
        self.stdout.write(
            "Reviewed {refreshed} closed case(s); {due} due for review; purged {drafts_purged} "
            "draft(s) and {links_purged} link(s).".format(**result)
        )
