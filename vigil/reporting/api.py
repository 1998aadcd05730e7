"""What other apps may use of reporting. Anything not named here is private to it."""

from __future__ import annotations

from vigil.reporting.querysets import register_staff_scope, report_scope

__all__ = ["register_staff_scope", "report_scope"]
