from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.private_record.services import private_record_sweep


class Command(BaseCommand):
    help = (
        "Ask holders of unused private records whether to keep them, delete those not kept in "
        "time, and forget old rate-limit counts. Safe to run any number of times."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = private_record_sweep()
        if options["verbosity"] > 1 or any(counts.values()):
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
