"""Who reaches which safety plan and which meeting, derived from case scope (CASE_REACH).

Plans and measures are in scope exactly when their case is, for police staff. Partners reach no
plan and no meeting yet: they will see only what was referred to their agency, once referrals
(vigil.sharing) exist; until then nothing, so nothing leaks.

A meeting is for the coordinator and supervisors, who run it, and for the officers of the cases
on its list, who see it (and, on it, only the cases they may see: a MARAC list names other
victims).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from vigil.accounts.models import Role
from vigil.cases.querysets import CHANGE, VIEW, Reach, case_reach, role_of

NOTHING = Q(pk__in=[])
RUNS_MEETINGS = frozenset({Role.COORDINATOR, Role.SUPERVISOR})


def reaches_plans(user: Any, action: str = VIEW) -> bool:
    if role_of(user) in {None, Role.PARTNER}:
        return False
    return case_reach(user, action) is not Reach.NONE


def _cases(user: Any, action: str) -> Any:
    from vigil.cases.models import Case

    return Case.objects.visible_to(user, action).values("pk")


class PlanChildQuerySet(models.QuerySet[Any]):
    """Safety plans: in scope when their case is (police staff only)."""

    case_path = "case"

    def visible_to(self, user: Any, action: str = VIEW) -> PlanChildQuerySet:
        if not reaches_plans(user, action):
            return self.none()
        if case_reach(user, action) is Reach.ALL:
            return self.all()
        return self.filter(**{f"{self.case_path}__in": _cases(user, action)})


class MeasureQuerySet(PlanChildQuerySet):
    """Safety measures: in scope when their plan's case is."""

    case_path = "plan__case"


def runs_meetings(user: Any) -> bool:
    return role_of(user) in RUNS_MEETINGS


def meeting_scope(user: Any, action: str = VIEW) -> Q:
    if action not in (VIEW, CHANGE):
        raise ValueError(f"unknown action {action!r}")
    if runs_meetings(user):
        return Q()
    if action == VIEW and role_of(user) in {Role.INVESTIGATOR, Role.OFFENDER_MANAGER}:
        return Q(agenda__case__in=_cases(user, VIEW))
    return NOTHING


class MeetingQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: Any, action: str = VIEW) -> MeetingQuerySet:
        scope = meeting_scope(user, action)
        if scope == Q():
            return self.all()
        return self.filter(scope).distinct()
