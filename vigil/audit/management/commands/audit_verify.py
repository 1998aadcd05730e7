from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vigil.audit.services import audit_verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain and report the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if not result.ok:
            where = f"at event #{result.broken_at}" if result.broken_at else "at the end"
            raise CommandError(
                f"Audit chain BROKEN {where}: {result.reason}. "
                f"{result.checked} events before it verified."
            )
        self.stdout.write(f"Audit chain OK: {result.checked} events verified.")
