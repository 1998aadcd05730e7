"""Who may see and change which case: the one definition of case scope.

Every read of a case, or of anything that belongs to one, starts from `visible_to(user,
action)` on its manager, so a list, a page, a template check, an export and the linking engine
cannot disagree. Out of scope does not exist: views answer 404, never 403.

The table `CASE_REACH` says, for each role and action, how far the role reaches. It is read two
ways: as SQL (`case_scope`, for querysets) and in memory (`case_in_scope`, for the `rules`
predicates, so checking one case already loaded costs no query). A test walks every role, action
and persona and proves the two readings agree (vigil/cases/tests/test_scope.py).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

from vigil.accounts.models import Role

if TYPE_CHECKING:
    from vigil.cases.models import Case

VIEW = "view"
CHANGE = "change"
ACTIONS = (VIEW, CHANGE)


class Reach(enum.Enum):
    ALL = "all"
    # The officer in charge, and everyone in the team the case belongs to.
    OFFICER_OR_TEAM = "officer_or_team"
    # The call handler who took the report and made the case.
    CREATED = "created"
    # A partner caseworker, while a referral to their agency is accepted and not ended
    # (vigil.sharing registers what that means; which parts they see is its business too).
    REFERRED_TO_AGENCY = "referred_to_agency"
    NONE = "none"


# Partners read what is shared with them; changing the police record is for police staff.
# The data protection officer and administrators see no case: the DPO reads the audit log,
# administrators keep configuration (see docs/operations.md, "The admin's limits").
CASE_REACH: dict[str, dict[str, Reach]] = {
    Role.COORDINATOR: {VIEW: Reach.ALL, CHANGE: Reach.ALL},
    Role.SUPERVISOR: {VIEW: Reach.ALL, CHANGE: Reach.ALL},
    Role.INVESTIGATOR: {VIEW: Reach.OFFICER_OR_TEAM, CHANGE: Reach.OFFICER_OR_TEAM},
    Role.OFFENDER_MANAGER: {VIEW: Reach.OFFICER_OR_TEAM, CHANGE: Reach.OFFICER_OR_TEAM},
    Role.CALL_HANDLER: {VIEW: Reach.CREATED, CHANGE: Reach.CREATED},
    Role.PARTNER: {VIEW: Reach.REFERRED_TO_AGENCY, CHANGE: Reach.NONE},
}

# The referral that lets an agency reach a case lives in vigil.sharing, above this app: it
# registers the two readings of "referred to this agency" here (as SQL on Case, and for one
# case in memory). Until it has, a partner reaches nothing: the scope fails closed.
AgencyReachSql = Callable[[Any], Q]
AgencyReachMemory = Callable[[Any, "Case"], bool]
_agency_reach: tuple[AgencyReachSql, AgencyReachMemory] | None = None


def register_agency_reach(sql: AgencyReachSql, memory: AgencyReachMemory) -> None:
    global _agency_reach
    _agency_reach = (sql, memory)


# Roles that triage new reports (online and phone): they see a report before it has a case.
INTAKE_ROLES = frozenset({Role.CALL_HANDLER, Role.COORDINATOR, Role.SUPERVISOR})

NOTHING = Q(pk__in=[])


def role_of(user: Any) -> str | None:
    """The role of a signed-in, active member of staff; None for anyone else."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    role = getattr(user, "role", None)
    return str(role) if role else None


def case_reach(user: Any, action: str = VIEW) -> Reach:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    role = role_of(user)
    if role is None:
        return Reach.NONE
    return CASE_REACH.get(role, {}).get(action, Reach.NONE)


def case_scope(user: Any, action: str = VIEW) -> Q:
    """The cases `user` may `action`, as a filter on Case."""
    reach = case_reach(user, action)
    if reach is Reach.ALL:
        return Q()
    if reach is Reach.OFFICER_OR_TEAM:
        scope = Q(officer_id=user.pk)
        if user.team_id:
            scope |= Q(team_id=user.team_id)
        return scope
    if reach is Reach.CREATED:
        return Q(created_by_id=user.pk)
    if reach is Reach.REFERRED_TO_AGENCY and user.agency_id and _agency_reach is not None:
        return _agency_reach[0](user.agency_id)
    return NOTHING


def case_in_scope(user: Any, case: Case | None, action: str = VIEW) -> bool:
    """`case_scope`, read in memory for one case already loaded (the `rules` predicates)."""
    if case is None:
        return False
    reach = case_reach(user, action)
    if reach is Reach.ALL:
        return True
    if reach is Reach.OFFICER_OR_TEAM:
        return case.officer_id == user.pk or (
            user.team_id is not None and case.team_id == user.team_id
        )
    if reach is Reach.CREATED:
        return bool(case.created_by_id == user.pk)
    if reach is Reach.REFERRED_TO_AGENCY and user.agency_id and _agency_reach is not None:
        return _agency_reach[1](user.agency_id, case)
    return False


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: Any, action: str = VIEW) -> CaseQuerySet:
        return self.filter(case_scope(user, action))


class CaseChildQuerySet(models.QuerySet[Any]):
    """Anything that belongs to one case (people, incidents, evidence, notes...): in scope
    exactly when its case is."""

    def visible_to(self, user: Any, action: str = VIEW) -> CaseChildQuerySet:
        from vigil.cases.models import Case

        if case_reach(user, action) is Reach.ALL:
            return self.all()
        return self.filter(case__in=Case.objects.visible_to(user, action).values("pk"))


def intake_scope(user: Any, action: str = VIEW) -> Q:
    """Reports (online or phone) through triage: untriaged ones are for intake roles only;
    once triaged, a report is in scope exactly when its case is. A filter on a model whose
    reverse one-to-one from Triage is called `triage`."""
    from vigil.cases.models import Case

    if role_of(user) == Role.PARTNER:
        # A referred case shows partners what the police chose to share, never the report as
        # the victim wrote it (it may name people and places the victim did not agree to share).
        return NOTHING
    scope = NOTHING
    if role_of(user) in INTAKE_ROLES:
        scope = Q(triage__isnull=True)
    reach = case_reach(user, action)
    if reach is Reach.ALL:
        return scope | Q(triage__isnull=False)
    if reach is Reach.NONE:
        return scope
    return scope | Q(triage__case__in=Case.objects.visible_to(user, action).values("pk"))


class PhoneReportQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: Any, action: str = VIEW) -> PhoneReportQuerySet:
        return self.filter(intake_scope(user, action))


def register_scopes() -> None:
    """Give the apps below case management its rules, so they answer the same as a case does:
    reports through triage (vigil.reporting.api) and linking records through their owner
    (vigil.linking.api). Called once, when the app registry is ready."""
    from vigil.cases.models import Case
    from vigil.linking.api import register_owner_scope
    from vigil.reporting.api import register_staff_scope
    from vigil.reporting.models import Report

    register_staff_scope(intake_scope)

    def police_cases(user: Any, action: str) -> Any:
        # Linking records hold suspects' names and identifiers: a partner is given a suspect
        # only when its referral shares one, on the partner view (vigil.sharing), never here.
        if role_of(user) == Role.PARTNER:
            return Case.objects.none()
        return Case.objects.visible_to(user, action)

    register_owner_scope("cases.case", police_cases)
    register_owner_scope(
        "reporting.report", lambda user, action: Report.objects.visible_to(user, action)
    )
