from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.insights.services import insights_sweep


class Command(BaseCommand):
    help = "Work out the dashboard's whole-force figures ahead of time (run hourly)."

    def handle(self, *args: Any, **options: Any) -> None:
        refreshed = insights_sweep()
        self.stdout.write(f"Refreshed {refreshed} sets of figures.")
