from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.audit.services import audit_anchor


class Command(BaseCommand):
    help = (
        "Print the audit chain's head, signed, to keep outside this machine; "
        "`audit_verify --expect-head VALUE` later proves nothing up to it was removed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(str(audit_anchor()))
