"""Who reaches which offender record: the offenders' table, in the shape of cases' CASE_REACH.

An offender manager manages people, not investigations: they reach the people they (or their
team) manage, with every order, notification and breach, and the references of those people's
cases. They do not reach the cases themselves by managing someone: a case page carries the
victim's name and safe contact, which managing the offender does not need (docs/decisions.md,
"Offender managers reach people, not victims"). An investigator reaches the people in the
cases they reach, through the linking records of those cases. Out of scope is 404.
"""

from __future__ import annotations

import enum
from typing import Any

from django.db import models
from django.db.models import Q

from vigil.accounts.models import Role
from vigil.cases.querysets import ACTIONS, VIEW, role_of
from vigil.linking.api import PersonRecord


class OffenderReach(enum.Enum):
    ALL = "all"
    # The offender manager named on the record, and everyone in that manager's team.
    MANAGED = "managed"
    # Someone whose linking records come from a case or report the user reaches.
    THROUGH_CASES = "through_cases"
    NONE = "none"


OFFENDER_REACH: dict[str, dict[str, OffenderReach]] = {
    Role.COORDINATOR: {"view": OffenderReach.ALL, "change": OffenderReach.ALL},
    Role.SUPERVISOR: {"view": OffenderReach.ALL, "change": OffenderReach.ALL},
    Role.OFFENDER_MANAGER: {"view": OffenderReach.MANAGED, "change": OffenderReach.MANAGED},
    # The investigator drafts the application for their own case's suspect.
    Role.INVESTIGATOR: {
        "view": OffenderReach.THROUGH_CASES,
        "change": OffenderReach.THROUGH_CASES,
    },
}

NOTHING = Q(pk__in=[])


def offender_reach(user: Any, action: str = VIEW) -> OffenderReach:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    role = role_of(user)
    if role is None:
        return OffenderReach.NONE
    return OFFENDER_REACH.get(role, {}).get(action, OffenderReach.NONE)


def offender_scope(user: Any, action: str = VIEW, prefix: str = "") -> Q:
    """The offenders `user` may `action`, as a filter on Offender (or, with `prefix`, on a
    model that points to one)."""
    reach = offender_reach(user, action)
    if reach is OffenderReach.ALL:
        return Q()
    if reach is OffenderReach.MANAGED:
        scope = Q(**{f"{prefix}manager_id": user.pk})
        if user.team_id:
            scope |= Q(**{f"{prefix}manager__team_id": user.team_id})
        return scope
    if reach is OffenderReach.THROUGH_CASES:
        people = PersonRecord.objects.visible_to(user, action).values("person_id")
        return Q(**{f"{prefix}person_id__in": people})
    return NOTHING


class OffenderQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: Any, action: str = VIEW) -> OffenderQuerySet:
        return self.filter(offender_scope(user, action))


class OffenderChildQuerySet(models.QuerySet[Any]):
    """Markers, other orders, orders: in scope exactly when their offender is."""

    def visible_to(self, user: Any, action: str = VIEW) -> OffenderChildQuerySet:
        return self.filter(offender_scope(user, action, prefix="offender__"))


class OrderQuerySet(OffenderChildQuerySet):
    pass
