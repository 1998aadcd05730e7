from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine

from vigil.accounts.models import Role, User
from vigil.cases.models import Case
from vigil.cases.tests.factories import make_case
from vigil.sharing import services
from vigil.sharing.figures import referral_cases, referrals_acknowledged_in_time
from vigil.sharing.tests.factories import refer

pytestmark = pytest.mark.django_db

MONDAY = datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC)


def test_referrals_answered_by_their_deadline_count_as_in_time(
    make_staff: Callable[..., User],
) -> None:
    ivy = make_staff(Role.INVESTIGATOR)
    pat = make_staff(Role.PARTNER)
    on_time, late, unanswered = (make_case(by=ivy, officer=ivy) for _ in range(3))
    with time_machine.travel(MONDAY, tick=False) as traveller:
        referrals = [refer(case=c, agency=pat.agency, by=ivy) for c in (on_time, late, unanswered)]  # type: ignore[arg-type]
        services.referral_accept(referral=referrals[0], by=pat)
        traveller.shift(datetime.timedelta(days=7))
        services.referral_decline(referral=referrals[1], reason="Full", by=pat)
    cases = Case.objects.all()
    week = (datetime.date(2026, 11, 2), datetime.date(2026, 11, 8))
    assert referrals_acknowledged_in_time(cases, *week) == (1, 3)
    assert list(referral_cases(cases, *week, in_time=True)) == [on_time]
    assert set(referral_cases(cases, *week, in_time=False)) == {late, unanswered}
    assert referral_cases(cases, *week, in_time=None).count() == 3
    assert referrals_acknowledged_in_time(cases, datetime.date(2026, 11, 3), week[1]) == (0, 0)
