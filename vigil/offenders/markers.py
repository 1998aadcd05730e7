"""What offender management shows on cases (registered with cases/markers.py in ready())."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from uuid import UUID

from django.utils.translation import gettext as _

from vigil.cases.markers import CaseMarker, CasePanel
from vigil.cases.querysets import case_in_scope
from vigil.offenders.models import IN_FORCE, Offender, StalkingProtectionOrder, WarningMarker
from vigil.offenders.people import person_ids_by_case
from vigil.offenders.querysets import OffenderReach, offender_reach, offender_scope

RED = {"violence", "weapons"}


def _offenders_behind(cases: list[Any]) -> dict[UUID, list[Offender]]:
    """The offender records of the people behind each case's suspects, whoever may see them
    (callers filter). Kept on each case object for the rest of the request: the case page
    shows the markers and the order panel of the same people, and reads them once."""
    missing = [case for case in cases if not hasattr(case, "_offenders_behind")]
    if missing:
        people_by_case = person_ids_by_case([case.pk for case in missing])
        people = {p for found in people_by_case.values() for p in found}
        offenders = list(Offender.objects.filter(person_id__in=people)) if people else []
        for case in missing:
            behind = people_by_case.get(case.pk, set())
            case._offenders_behind = [o for o in offenders if o.person_id in behind]
    return {case.pk: case._offenders_behind for case in cases}


def markers_for_cases(user: Any, cases: list[Any]) -> dict[UUID, list[CaseMarker]]:
    """For cases the user already reaches: the warning markers of the person behind each
    suspect, and any Stalking Protection Order in force against them. The marker says what
    the person is; it names no other case and no other victim. Police only: a partner sees
    what the police shared with their agency, field by field, and markers are police records."""
    if not getattr(user, "is_police", False):
        return {}
    behind = _offenders_behind(cases)
    offender_ids = {offender.pk for found in behind.values() for offender in found}
    if not offender_ids:
        return {}
    labels: dict[Any, list[CaseMarker]] = defaultdict(list)
    for offender_id, kind, label in (
        (m.offender_id, m.kind, m.get_kind_display())
        for m in WarningMarker.objects.filter(offender_id__in=offender_ids, removed_at=None)
    ):
        labels[offender_id].append(CaseMarker(str(label), "red" if kind in RED else "orange"))
    in_force = set(
        StalkingProtectionOrder.objects.filter(
            offender_id__in=offender_ids, stage__in=IN_FORCE
        ).values_list("offender_id", flat=True)
    )
    for offender_id in in_force:
        labels[offender_id].append(CaseMarker(_("Stalking Protection Order in force"), "purple"))
    found: dict[UUID, list[CaseMarker]] = {}
    for case_id, offenders in behind.items():
        for offender in offenders:
            if labels.get(offender.pk):
                found.setdefault(case_id, []).extend(labels[offender.pk])
    return found


PANEL_ROLES = frozenset({"investigator", "coordinator", "supervisor", "offender_manager"})


def case_panel(user: Any, case: Any) -> CasePanel | None:
    """On the case: its orders (with the reasons when one was not pursued) and, for police who
    may change the case, the way to consider an order for its suspect."""
    if getattr(user, "role", None) not in PANEL_ROLES:
        return None
    orders = list(
        StalkingProtectionOrder.objects.filter(protected_cases=case).select_related("offender")
    )
    offenders = _offenders_behind([case])[case.pk]
    if offenders and offender_reach(user) is not OffenderReach.ALL:
        offenders = list(
            Offender.objects.filter(pk__in=[o.pk for o in offenders]).filter(offender_scope(user))
        )
    reachable = set(
        StalkingProtectionOrder.objects.visible_to(user)
        .filter(pk__in=[o.pk for o in orders])
        .values_list("pk", flat=True)
    )
    return CasePanel(
        template="offenders/_case_panel.html",
        context={
            "orders": orders,
            "reachable": reachable,
            "offenders": offenders,
            "can_consider": case_in_scope(user, case, "change") and case.is_open,
            "case": case,
        },
    )
