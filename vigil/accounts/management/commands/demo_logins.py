from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.accounts.demo import DEMO_PASSWORD, current_code, demo_device, demo_logins, demo_secret


class Command(BaseCommand):
    help = "Print the demo staff logins, their TOTP keys and the codes valid now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", default="8000")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("There are no demo logins in production mode.")
        port = options["port"]
        write = self.stdout.write
        write("")
        write(
            f"Vigil is starting at http://127.0.0.1:{port}/  (staff: http://127.0.0.1:{port}/staff/)"
        )
        write(f"Demo staff - password for all: {DEMO_PASSWORD}")
        write(f"{'email':34} {'role':24} {'TOTP key (add to an app)':34} code now")
        for user in demo_logins():
            device = demo_device(user)
            role = user.get_role_display()
            write(f"{user.email:34} {role:24} {demo_secret(device):34} {current_code(device)}")
        write("Codes change every 30 seconds; to print the current one:")
        write("  .venv/bin/python manage.py totp_code EMAIL")
        write("Press Ctrl-C to stop the web server and the task worker.")
        write("")
