"""Opening hours: the National Stalking Helpline's default week, in UK time."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from vigil.public_site.hours import Period, opening_label, opening_status

LONDON = ZoneInfo("Europe/London")
UTC = datetime.UTC
T = datetime.time
HELPLINE = [
    Period(0, T(9, 30), T(20, 0)),
    Period(1, T(9, 30), T(16, 0)),
    Period(2, T(9, 30), T(20, 0)),
    Period(3, T(9, 30), T(16, 0)),
    Period(4, T(9, 30), T(16, 0)),
]


def label_at(moment: datetime.datetime, periods: list[Period] = HELPLINE) -> str:
    return opening_label(opening_status(periods=periods, now=moment), now=moment)


def london(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


# 23 to 29 November 2026 is an ordinary week, Monday to Sunday, on GMT.
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (23, "Open now, closes at 20:00"),  # Monday
        (24, "Open now, closes at 16:00"),  # Tuesday
        (25, "Open now, closes at 20:00"),  # Wednesday
        (26, "Open now, closes at 16:00"),  # Thursday
        (27, "Open now, closes at 16:00"),  # Friday
        (28, "Closed, opens Monday at 09:30"),  # Saturday
        (29, "Closed, opens Monday at 09:30"),  # Sunday
    ],
)
def test_each_day_of_the_week_at_noon(day: int, expected: str) -> None:
    assert label_at(london(2026, 11, day, 12, 0)) == expected


def test_after_closing_on_tuesday_it_opens_wednesday() -> None:
    assert label_at(london(2026, 11, 24, 17, 0)) == "Closed, opens Wednesday at 09:30"


def test_at_closing_time_it_is_closed() -> None:
    assert label_at(london(2026, 11, 23, 20, 0)) == "Closed, opens Tuesday at 09:30"


def test_at_0929_it_is_still_closed_and_opens_today() -> None:
    assert label_at(london(2026, 11, 23, 9, 29)) == "Closed, opens today at 09:30"


def test_at_0930_it_is_open() -> None:
    assert label_at(london(2026, 11, 23, 9, 30)) == "Open now, closes at 20:00"


def test_on_a_bank_holiday_it_is_closed_until_the_next_working_day() -> None:
    # Easter Monday, 6 April 2026.
    assert label_at(london(2026, 4, 6, 12, 0)) == (
        "Closed for the bank holiday, opens Tuesday at 09:30"
    )


def test_christmas_and_the_boxing_day_substitute_are_skipped() -> None:
    # Christmas Eve 2026 is a Thursday; 25 and 28 December are bank holidays.
    assert label_at(london(2026, 12, 24, 17, 0)) == "Closed, opens Tuesday at 09:30"


def test_a_service_open_on_bank_holidays_ignores_them() -> None:
    moment = london(2026, 4, 6, 12, 0)
    status = opening_status(periods=HELPLINE, now=moment, closed_on_bank_holidays=False)
    assert status.is_open


def test_opening_after_the_clocks_go_forward_is_0930_uk_time() -> None:
    # Clocks go forward at 01:00 UTC on Sunday 29 March 2026.
    friday_evening = datetime.datetime(2026, 3, 27, 17, 0, tzinfo=UTC)
    status = opening_status(periods=HELPLINE, now=friday_evening)
    assert opening_label(status, now=friday_evening) == "Closed, opens Monday at 09:30"
    assert status.opens_at is not None
    assert status.opens_at.astimezone(UTC) == datetime.datetime(2026, 3, 30, 8, 30, tzinfo=UTC)


def test_on_the_monday_after_the_clocks_go_forward_0829_utc_is_0929_and_closed() -> None:
    assert label_at(datetime.datetime(2026, 3, 30, 8, 29, tzinfo=UTC)) == (
        "Closed, opens today at 09:30"
    )
    assert label_at(datetime.datetime(2026, 3, 30, 8, 30, tzinfo=UTC)) == (
        "Open now, closes at 20:00"
    )


def test_after_the_clocks_go_back_0930_uk_time_is_0930_utc() -> None:
    # Clocks go back at 01:00 UTC on Sunday 25 October 2026.
    assert label_at(datetime.datetime(2026, 10, 26, 9, 29, tzinfo=UTC)) == (
        "Closed, opens today at 09:30"
    )
    assert label_at(datetime.datetime(2026, 10, 26, 9, 30, tzinfo=UTC)) == (
        "Open now, closes at 20:00"
    )


def test_a_24_hour_service_is_always_open() -> None:
    moment = london(2026, 12, 25, 3, 0)
    status = opening_status(periods=[], now=moment, always_open=True)
    assert opening_label(status, now=moment) == "Open 24 hours, every day"


def test_a_service_with_no_hours_is_closed() -> None:
    assert label_at(london(2026, 11, 23, 12, 0), periods=[]) == "Closed"


def test_more_than_a_week_away_gives_the_date() -> None:
    once_a_fortnight = [Period(0, T(10, 0), T(11, 0))]
    # Monday 21 December 2026 at noon: the next Monday, 28 December, is a bank holiday.
    assert label_at(london(2026, 12, 21, 12, 0), once_a_fortnight) == (
        "Closed, opens Monday 4 January at 10:00"
    )
