"""Make an API client and print its token, once: only a hash of it is kept."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from vigil.accounts.models import Agency, Team
from vigil.api.models import KIND_OPERATIONS, ClientKind
from vigil.api.services import ApiClientError, api_client_create


class Command(BaseCommand):
    help = "Create an API client for an agency, and print its token (shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--kind", required=True, choices=ClientKind.values)
        parser.add_argument("--agency", required=True, help="The agency's exact name")
        parser.add_argument("--team", default="", help="Offender management: the team's name")
        parser.add_argument(
            "--operation",
            action="append",
            default=[],
            help="A named operation, e.g. cases:read (repeat it). Default: all the kind allows.",
        )
        parser.add_argument("--days", type=int, default=365, help="Days until it expires")
        parser.add_argument("--rate", type=int, default=120, help="Requests a minute")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(name=options["agency"]).first()
        if agency is None:
            raise CommandError(f"There is no agency called {options['agency']!r}.")
        team = None
        if options["team"]:
            team = Team.objects.filter(agency=agency, name=options["team"]).first()
            if team is None:
                raise CommandError(f"{agency} has no team called {options['team']!r}.")
        operations = options["operation"] or sorted(KIND_OPERATIONS[options["kind"]])
        try:
            client, issued = api_client_create(
                name=options["name"],
                kind=options["kind"],
                agency=agency,
                team=team,
                operations=operations,
                expires_at=timezone.now() + datetime.timedelta(days=options["days"]),
                rate_limit_per_minute=options["rate"],
                by=None,
            )
        except ApiClientError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Client {client.name} ({client.pk}), expires {client.expires_at:%Y-%m-%d}"
        )
        self.stdout.write(f"Operations: {', '.join(client.operations)}")
        self.stdout.write("Token (shown once, keep it in the client's secret store):")
        self.stdout.write(issued.secret)
