"""Who may do what with cases. Out of scope is answered with 404 by the selectors and views."""

from __future__ import annotations

from typing import Any

import rules
from django.utils.translation import gettext as _

from vigil.accounts.models import Role
from vigil.cases.models import RiskLevel

SEES_ALL_CASES = frozenset({Role.COORDINATOR, Role.SUPERVISOR})
WORKS_CASES = frozenset({Role.INVESTIGATOR, Role.OFFENDER_MANAGER})
TRIAGES = frozenset({Role.CALL_HANDLER, Role.COORDINATOR, Role.SUPERVISOR})


def _role(user: Any) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "role", None)


@rules.predicate
def sees_all_cases(user: Any) -> bool:
    return _role(user) in SEES_ALL_CASES


@rules.predicate
def works_on_cases(user: Any) -> bool:
    return _role(user) in WORKS_CASES


@rules.predicate
def is_call_handler(user: Any) -> bool:
    return _role(user) == Role.CALL_HANDLER


@rules.predicate
def is_partner(user: Any) -> bool:
    return _role(user) == Role.PARTNER


@rules.predicate
def is_dpo(user: Any) -> bool:
    return _role(user) == Role.DPO


@rules.predicate
def can_triage(user: Any) -> bool:
    return _role(user) in TRIAGES


@rules.predicate
def is_case_officer(user: Any, case: Any) -> bool:
    return case is not None and case.officer_id == user.pk


@rules.predicate
def is_on_case_team(user: Any, case: Any) -> bool:
    return case is not None and user.team_id is not None and case.team_id == user.team_id


@rules.predicate
def created_the_case(user: Any, case: Any) -> bool:
    return case is not None and case.created_by_id == user.pk


@rules.predicate
def case_is_shared_with_users_agency(user: Any, case: Any) -> bool:
    if case is None or user.agency_id is None:
        return False
    return case.shares.filter(agency_id=user.agency_id, revoked_at__isnull=True).exists()


can_view_case = (
    sees_all_cases
    | (works_on_cases & (is_case_officer | is_on_case_team))
    | (is_call_handler & created_the_case)
    | (is_partner & case_is_shared_with_users_agency)
)
# Partners read what is shared with them; changing the police record is for police staff.
can_change_case = can_view_case & ~is_partner


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
    if case.risk_level == RiskLevel.HIGH and _role(user) != Role.SUPERVISOR:
        # A high-risk case closed too early is how victims are failed: a second pair of eyes.
        return _("This case is high risk: only a supervisor can close it.")
    return None


@rules.predicate
def may_close_case(user: Any, case: Any) -> bool:
    return close_refusal(user, case) is None


rules.add_perm("cases.view_intake", can_triage)
rules.add_perm("cases.add_phone_report", can_triage)
rules.add_perm(
    "cases.use_case_list", sees_all_cases | works_on_cases | is_call_handler | is_partner
)
rules.add_perm("cases.view_case", can_view_case)
rules.add_perm("cases.change_case", can_change_case)
rules.add_perm("cases.close_case", may_close_case)
rules.add_perm("cases.see_overdue_lists", sees_all_cases | works_on_cases)
rules.add_perm("cases.view_audit_log", is_dpo)
