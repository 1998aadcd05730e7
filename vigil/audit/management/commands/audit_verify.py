from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.audit.services import Anchor, AnchorError, audit_verify, audit_verify_anchor


class Command(BaseCommand):
    help = "Check the audit log's hash chain and report the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--expect-head",
            default="",
            metavar="VALUE",
            help="A value printed by `audit_anchor`: fail unless the chain still holds it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if options["expect_head"]:
            try:
                anchor = Anchor.parse(options["expect_head"])
            except AnchorError as error:
                raise CommandError(f"Audit anchor REFUSED: {error}.") from error
            result = audit_verify_anchor(anchor, result)
        if not result.ok:
            where = f"at event #{result.broken_at}" if result.broken_at else "at the end"
            raise CommandError(
                f"Audit chain BROKEN {where}: {result.reason}. "
                f"{result.checked} events before it verified."
            )
        self.stdout.write(f"Audit chain OK: {result.checked} events verified.")
