"""`manage.py retention_sweep`: daily review dates and purges (deploy/systemd timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vigil.records.sweep import retention_sweep


class Command(BaseCommand):
    help = (
        "Work out the review dates that may have moved (records marked since the last run, and "
        "those now due), and purge old report drafts and one-time links. Safe to run twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--full",
            action="store_true",
            help="Work out every record's review date from scratch (repair, after a restore).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = retention_sweep(full=options["full"])
        self.stdout.write(
            "Reviewed {refreshed} record(s); {due} due for review; purged {drafts_purged} "
            "draft(s) and {links_purged} link(s).".format(**result)
        )
