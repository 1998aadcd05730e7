from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vigil.cases.urgent import intake_sweep


class Command(BaseCommand):
    help = "Alert the duty supervisor, once each, about untriaged reports past their response time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every", type=int, default=0, help="Repeat every N seconds (0: run once)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            counts = intake_sweep()
            if options["verbosity"] > 1 or any(counts.values()):
                self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
            if not options["every"]:
                return
            time.sleep(options["every"])
