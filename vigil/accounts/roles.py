"""What each role sees in the staff navigation. Apps add their entries as they land."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str]


ALL_STAFF = frozenset(Role.values)

STAFF_NAVIGATION: list[NavItem] = [
    NavItem(_("Home"), "accounts:home", ALL_STAFF),
    # Case management (vigil.cases)
    NavItem(
        _("Intake"),
        "cases:intake",
        frozenset({Role.CALL_HANDLER, Role.COORDINATOR, Role.SUPERVISOR}),
    ),
    NavItem(
        _("Cases"),
        "cases:list",
        frozenset(
            {
                Role.CALL_HANDLER,
                Role.INVESTIGATOR,
                Role.OFFENDER_MANAGER,
                Role.COORDINATOR,
                Role.SUPERVISOR,
                Role.PARTNER,
            }
        ),
    ),
    NavItem(
        _("Overdue"),
        "cases:overdue",
        frozenset({Role.INVESTIGATOR, Role.OFFENDER_MANAGER, Role.COORDINATOR, Role.SUPERVISOR}),
    ),
    NavItem(
        _("High-risk reviews"),
        "risk:high_risk_overdue",
        frozenset({Role.COORDINATOR, Role.SUPERVISOR}),
    ),
    NavItem(_("Audit log"), "cases:audit_log", frozenset({Role.DPO})),
    NavItem(
        _("Online reports"),
        "reporting_staff:list",
        frozenset({Role.CALL_HANDLER, Role.INVESTIGATOR, Role.COORDINATOR, Role.SUPERVISOR}),
    ),
    NavItem(
        _("Messages that failed"),
        "notifications:failed",
        frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.ADMINISTRATOR}),
    ),
    NavItem(_("Your account"), "accounts:account", ALL_STAFF),
]
