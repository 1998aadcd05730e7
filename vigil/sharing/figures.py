"""Figures about referrals for the coordinator's dashboard (vigil.insights).

A referral counts in the period it was sent to the agency (a referral waiting for a
supervisor's approval has not been sent, and has no deadline yet). It was acknowledged in time
when the agency accepted or declined it by its deadline. Days are Europe/London days.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db.models import F, Q, QuerySet

from vigil.cases.models import Case
from vigil.sharing.models import Referral

LONDON = ZoneInfo("Europe/London")


def _sent_in(cases: QuerySet[Case], start: datetime.date, end: datetime.date) -> QuerySet[Referral]:
    """Referrals on `cases` sent from the start of `start` to the end of `end` (inclusive)."""
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=LONDON)
    until = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=LONDON
    )
    return Referral.objects.filter(
        case__in=cases.values("pk"), sent_at__gte=since, sent_at__lt=until
    )


IN_TIME = Q(acknowledged_at__isnull=False, acknowledged_at__lte=F("acknowledge_by"))


def referrals_acknowledged_in_time(
    cases: QuerySet[Case], start: datetime.date, end: datetime.date
) -> tuple[int, int]:
    """(acknowledged in time, referrals sent) in the period, over the given cases."""
    sent = _sent_in(cases, start, end)
    return sent.filter(IN_TIME).count(), sent.count()


def referral_cases(
    cases: QuerySet[Case], start: datetime.date, end: datetime.date, *, in_time: bool | None
) -> QuerySet[Case]:
    """The drill-down: cases with a referral sent in the period; with `in_time`, only those
    whose referral was (True) or was not (False, late or still unanswered) acknowledged in time."""
    sent = _sent_in(cases, start, end)
    if in_time is True:
        sent = sent.filter(IN_TIME)
    elif in_time is False:
        sent = sent.exclude(IN_TIME)
    return cases.filter(pk__in=sent.values("case_id"))
