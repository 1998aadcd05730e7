"""Who may use the staff pages of reports made online.

Which reports each of them sees is the report's scope (vigil/reporting/querysets.py): untriaged
reports for the roles that triage, triaged ones through their case. These predicates only say
who may open the pages at all.
"""

from __future__ import annotations

import rules

from vigil.accounts.models import Role

REPORT_PAGE_ROLES = frozenset(
    {Role.CALL_HANDLER, Role.INVESTIGATOR, Role.COORDINATOR, Role.SUPERVISOR}
)


@rules.predicate
def is_intake_staff(user: object) -> bool:
    """Call handlers triage new reports; investigators, coordinators and supervisors act on
    them. Partner agencies see what the police share through a case, never the report itself."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "role", None) in REPORT_PAGE_ROLES
    )


can_view_reports = is_intake_staff
can_message_reporter = is_intake_staff

rules.add_perm("reporting.view_report", can_view_reports)
