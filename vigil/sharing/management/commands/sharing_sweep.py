from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.sharing.services import referral_sweep


class Command(BaseCommand):
    help = "Remind referrers and coordinators, once, of referrals not answered in time."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = referral_sweep()
        if options["verbosity"] > 1 or any(counts.values()):
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
