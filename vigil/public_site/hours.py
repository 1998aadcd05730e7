"""Is a help service open now, and if not, when does it open?

A frightened person deciding whether to ring a helpline needs a plain answer ("Open now, closes at
20:00" or "Closed, opens Wednesday at 09:30"), not a timetable to work out. Opening hours are
wall-clock times in Europe/London, so a service that opens at 09:30 opens at 09:30 on both sides of
a clock change. England and Wales bank holidays come from the `holidays` package.
"""

from __future__ import annotations

import datetime
from collections.abc import Container, Iterable
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from django.utils.formats import date_format
from django.utils.translation import gettext as _

LONDON = ZoneInfo("Europe/London")
# Far enough ahead to get past Christmas, Boxing Day and a weekend together.
LOOK_AHEAD_DAYS = 14


@dataclass(frozen=True)
class Period:
    """One opening on one weekday (0 is Monday), in London wall-clock time."""

    weekday: int
    opens: datetime.time
    closes: datetime.time


@dataclass(frozen=True)
class OpeningStatus:
    always_open: bool = False
    is_open: bool = False
    closes_at: datetime.datetime | None = None  # local time, when open now
    opens_at: datetime.datetime | None = None  # local time, when closed now
    bank_holiday: bool = False  # closed today because it is a bank holiday


@cache
def england_and_wales_bank_holidays() -> Container[datetime.date]:
    # The object fills in each year as it is asked about, so one instance serves every year.
    return holidays.country_holidays("GB", subdiv="ENG")


def opening_status(
    *,
    periods: Iterable[Period],
    now: datetime.datetime,
    always_open: bool = False,
    closed_on_bank_holidays: bool = True,
    bank_holidays: Container[datetime.date] | None = None,
) -> OpeningStatus:
    """Whether a service is open at `now` (an aware datetime), and when it closes or next opens."""
    if always_open:
        return OpeningStatus(always_open=True, is_open=True)
    if bank_holidays is None:
        bank_holidays = england_and_wales_bank_holidays()
    local = now.astimezone(LONDON)
    by_weekday: dict[int, list[Period]] = {}
    for period in periods:
        by_weekday.setdefault(period.weekday, []).append(period)
    today_is_holiday = closed_on_bank_holidays and local.date() in bank_holidays
    for offset in range(LOOK_AHEAD_DAYS + 1):
        day = local.date() + datetime.timedelta(days=offset)
        if closed_on_bank_holidays and day in bank_holidays:
            continue
        for period in sorted(by_weekday.get(day.weekday(), []), key=lambda p: p.opens):
            opens = datetime.datetime.combine(day, period.opens, tzinfo=LONDON)
            closes = datetime.datetime.combine(day, period.closes, tzinfo=LONDON)
            # Both sides carry the same tzinfo, so Python compares wall-clock times: exactly
            # what opening hours are, whichever side of a clock change we are on.
            if opens <= local < closes:
                return OpeningStatus(is_open=True, closes_at=closes)
            if local < opens:
                return OpeningStatus(opens_at=opens, bank_holiday=today_is_holiday)
    return OpeningStatus(bank_holiday=today_is_holiday)


def _clock(moment: datetime.datetime) -> str:
    return moment.strftime("%H:%M")


def opening_label(status: OpeningStatus, *, now: datetime.datetime) -> str:
    """The one line shown beside a service: open or closed, and until or from when."""
    if status.always_open:
        return _("Open 24 hours, every day")
    if status.is_open and status.closes_at is not None:
        return _("Open now, closes at %(time)s") % {"time": _clock(status.closes_at)}
    if status.opens_at is None:
        return _("Closed")
    local_today = now.astimezone(LONDON).date()
    opens_day = status.opens_at.date()
    time = _clock(status.opens_at)
    if opens_day == local_today:
        day = _("today")
    elif opens_day < local_today + datetime.timedelta(days=7):
        day = date_format(status.opens_at, "l")
    else:
        day = date_format(status.opens_at, "l j F")
    if status.bank_holiday:
        return _("Closed for the bank holiday, opens %(day)s at %(time)s") % {
            "day": day,
            "time": time,
        }
    return _("Closed, opens %(day)s at %(time)s") % {"day": day, "time": time}
