from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vigil.common.demo import demo_loaders


class Command(BaseCommand):
    help = "Load demo data (idempotent). Refused in production mode."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("Demo data is never loaded in production mode.")
        for load in demo_loaders():
            line = load()
            if line:
                self.stdout.write(line)
