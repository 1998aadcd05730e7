"""Who may see reports made online."""

from __future__ import annotations

import rules

from vigil.accounts.models import Role

INTAKE_ROLES = frozenset({Role.CALL_HANDLER, Role.INVESTIGATOR, Role.COORDINATOR, Role.SUPERVISOR})


@rules.predicate
def is_intake_staff(user: object) -> bool:
    """Call handlers triage new reports; investigators, coordinators and supervisors act on
    them. Partner agencies see a report only once it is shared through a case."""
    return bool(
        getattr(user, "is_authenticated", False) and getattr(user, "role", None) in INTAKE_ROLES
    )


can_view_reports = is_intake_staff
can_message_reporter = is_intake_staff

rules.add_perm("reporting.view_report", can_view_reports)
