"""Who may do what with cases, as `rules` predicates for templates and `user.has_perm`.

Which case a user may see or change is defined once, in vigil/cases/querysets.py; the object
predicates below read that same table (`case_in_scope`), and a test proves they agree with the
querysets for every role. Out of scope is answered with 404 by the selectors and views.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils.translation import gettext as _

from vigil.accounts.models import Role
from vigil.cases.models import RiskLevel
from vigil.cases.querysets import (
    CASE_REACH,
    CHANGE,
    INTAKE_ROLES,
    VIEW,
    Reach,
    case_in_scope,
    role_of,
)

SEES_ALL_CASES = frozenset(role for role, reach in CASE_REACH.items() if reach[VIEW] is Reach.ALL)
WORKS_CASES = frozenset(
    role for role, reach in CASE_REACH.items() if reach[VIEW] is Reach.OFFICER_OR_TEAM
)
TRIAGES = INTAKE_ROLES


@rules.predicate
def sees_all_cases(user: Any) -> bool:
    return role_of(user) in SEES_ALL_CASES


@rules.predicate
def works_on_cases(user: Any) -> bool:
    return role_of(user) in WORKS_CASES


@rules.predicate
def is_call_handler(user: Any) -> bool:
    return role_of(user) == Role.CALL_HANDLER


@rules.predicate
def is_partner(user: Any) -> bool:
    return role_of(user) == Role.PARTNER


@rules.predicate
def is_dpo(user: Any) -> bool:
    return role_of(user) == Role.DPO


@rules.predicate
def can_triage(user: Any) -> bool:
    return role_of(user) in TRIAGES


@rules.predicate
def can_view_case(user: Any, case: Any) -> bool:
    return case_in_scope(user, case, VIEW)


@rules.predicate
def can_change_case(user: Any, case: Any) -> bool:
    return case_in_scope(user, case, CHANGE)


@rules.predicate
def reaches_some_case(user: Any) -> bool:
    return role_of(user) in CASE_REACH


def close_refusal(user: Any, case: Any) -> str | None:
    """Why `user` may not close `case`, or None if they may.

    The one rule for closing: the case page uses it to offer the link, the close page to explain
    a refusal, and the service to enforce it.
    """
    if case is None or not can_change_case(user, case):
        return _("You cannot change this case.")
    if is_call_handler(user) and case.officer_id is not None:
        # Once an officer is in charge, the investigation is theirs to end, not first contact's.
        return _(
            "This case has an officer in charge. Only they, their team or a supervisor can "
            "close it."
        )
    if case.risk_level == RiskLevel.HIGH and role_of(user) != Role.SUPERVISOR:
        # A high-risk case closed too early is how victims are failed: a second pair of eyes.
        return _("This case is high risk: only a supervisor can close it.")
    return None


@rules.predicate
def may_close_case(user: Any, case: Any) -> bool:
    return close_refusal(user, case) is None


rules.add_perm("cases.view_intake", can_triage)
rules.add_perm("cases.add_phone_report", can_triage)
# Partners reach cases only through their referrals (vigil.sharing), not the police list.
rules.add_perm("cases.use_case_list", reaches_some_case & ~is_partner)
rules.add_perm("cases.view_case", can_view_case)
rules.add_perm("cases.change_case", can_change_case)
rules.add_perm("cases.close_case", may_close_case)
rules.add_perm("cases.see_overdue_lists", sees_all_cases | works_on_cases)
rules.add_perm("cases.view_audit_log", is_dpo)
