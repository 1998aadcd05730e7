"""Builders for offender tests: two cases whose suspects are confirmed as one person."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from vigil.accounts.models import User
from vigil.cases.models import Case
from vigil.cases.selectors import case_link_records
from vigil.cases.tests.factories import make_case, make_report, suspect_of
from vigil.linking.services import link_confirm
from vigil.offenders import services
from vigil.offenders.models import ConditionKind, StalkingProtectionOrder


@dataclass
class Pair:
    first: Case
    second: Case


def linked_cases(*, handler: User, officer: User, other_officer: User, by: User) -> Pair:
    first = make_case(
        by=handler,
        officer=officer,
        report=make_report(
            victim={"name": "Ann One", "email": "ann@example.com", "phone": "07700 900123"},
            suspects=[{"names": ["Mallory Sample"], "phones": ["07700 900999"]}],
        ),
    )
    second = make_case(
        by=handler,
        officer=other_officer,
        report=make_report(
            victim={"name": "Bea Two", "email": "bea@example.com"},
            suspects=[{"names": ["Mallory Sample"], "phones": ["07700 900999"]}],
        ),
    )
    link_confirm(
        record=case_link_records(case=first)[0], other=case_link_records(case=second)[0], by=by
    )
    return Pair(first, second)


# The day the test order is considered, drafted and applied for: before every court date the
# tests give (their dates are fixed in 2026), as a step cannot be dated before the last one.
APPLIED_AT = datetime.datetime(2026, 5, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))


def applied_order(
    *, case: Case, by: User, at: datetime.datetime = APPLIED_AT
) -> StalkingProtectionOrder:
    """An order considered, drafted with one prohibition, and applied for, on the day `at`."""
    with time_machine.travel(at):
        return _applied_order(case=case, by=by)


def _applied_order(*, case: Case, by: User) -> StalkingProtectionOrder:
    order = services.spo_consider(
        case=case, suspect=suspect_of(case), pursue=True, reasons="", by=by
    )
    services.spo_draft(
        order=order, acts_of_stalking="Followed her home.", risk_summary="High.", by=by
    )
    services.condition_add(
        order=order,
        kind=ConditionKind.PROHIBITION,
        text="Not to contact the victim by any means.",
        reason="Calls every night.",
        by=by,
    )
    today = timezone.localdate()
    services.spo_apply(
        order=order,
        court="Exeter Magistrates",
        applied_on=today,
        hearing_on=today + datetime.timedelta(days=14),
        by=by,
    )
    return order
