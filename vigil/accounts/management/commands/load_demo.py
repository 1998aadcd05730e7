from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vigil.accounts.demo import load_demo_staff
from vigil.cases.demo import load_demo_cases
from vigil.offenders.demo import load_demo_offenders
from vigil.risk.demo import load_demo_assessments
from vigil.safety.demo import load_demo_safety


class Command(BaseCommand):
    help = "Load demo data (idempotent). Refused in production mode."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("Demo data is never loaded in production mode.")
        users = load_demo_staff()
        cases = load_demo_cases()
        load_demo_assessments()
        self.stdout.write(f"Demo data ready: {len(users)} staff accounts, {cases} new demo cases.")
        self.stdout.write(load_demo_safety())
        self.stdout.write(load_demo_offenders())
