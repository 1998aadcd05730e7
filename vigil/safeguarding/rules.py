"""Who may do what with safety plans and meetings, read from the querysets' scope."""

from __future__ import annotations

from typing import Any

import rules

from vigil.accounts.models import Role
from vigil.cases.querysets import CHANGE, VIEW, case_in_scope, role_of
from vigil.safeguarding.querysets import reaches_plans, runs_meetings


@rules.predicate
def can_view_plan(user: Any, case: Any) -> bool:
    return reaches_plans(user, VIEW) and case_in_scope(user, case, VIEW)


@rules.predicate
def can_change_plan(user: Any, case: Any) -> bool:
    return reaches_plans(user, CHANGE) and case_in_scope(user, case, CHANGE)


@rules.predicate
def may_run_meetings(user: Any) -> bool:
    return runs_meetings(user)


@rules.predicate
def may_see_meetings(user: Any) -> bool:
    return runs_meetings(user) or role_of(user) in {Role.INVESTIGATOR, Role.OFFENDER_MANAGER}


rules.add_perm("safeguarding.view_plan", can_view_plan)
rules.add_perm("safeguarding.change_plan", can_change_plan)
rules.add_perm("safeguarding.run_meetings", may_run_meetings)
rules.add_perm("safeguarding.see_meetings", may_see_meetings)
