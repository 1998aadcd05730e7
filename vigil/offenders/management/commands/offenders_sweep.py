from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vigil.offenders.services import offenders_sweep


class Command(BaseCommand):
    help = "Alert offender managers once about overdue SPO notifications; expire ended orders."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every", type=int, default=0, help="Repeat every N seconds (0: run once)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            counts = offenders_sweep()
            if options["verbosity"] > 1 or any(counts.values()):
                self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
            if not options["every"]:
                return
            time.sleep(options["every"])
