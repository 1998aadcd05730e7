from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.cases.demo import bulk_cases_create, demo_cases_create, demo_intake_create


class Command(BaseCommand):
    help = "Make synthetic cases (no real people) for demos and benchmarks. Not in production."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=20, help="How many cases to make.")
        parser.add_argument(
            "--incidents-per-case", type=int, default=5, help="Bulk mode only (default 5)."
        )
        parser.add_argument(
            "--bulk",
            action="store_true",
            help="Insert in batches without audit rows or timelines (for benchmarks).",
        )
        parser.add_argument("--seed", type=int, default=6)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("Demo data is never made in production mode.")
        try:
            if options["bulk"]:
                bulk_cases_create(
                    cases=options["cases"],
                    incidents_per_case=options["incidents_per_case"],
                    seed=options["seed"],
                    log=self.stdout.write,
                )
            else:
                demo_cases_create(count=options["cases"], seed=options["seed"])
                demo_intake_create(seed=options["seed"] + 1)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Made {options['cases']} demo cases.")
