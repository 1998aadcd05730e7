from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.accounts.demo import current_code, demo_device
from vigil.accounts.models import User


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo staff account (development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("Not available in production mode.")
        user = User.objects.filter(email=options["email"].lower()).first()
        if user is None:
            raise CommandError(f"No demo account {options['email']!r}.")
        self.stdout.write(current_code(demo_device(user)))
