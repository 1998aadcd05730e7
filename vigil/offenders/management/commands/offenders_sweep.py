from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.offenders.services import offenders_sweep


class Command(BaseCommand):
    help = "Alert offender managers once about overdue SPO notifications; expire ended orders."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = offenders_sweep()
        if options["verbosity"] > 1 or any(counts.values()):
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
