from __future__ import annotations

import datetime

from vigil.cases.policy import add_working_days, check_safe_contact, normalise_name, normalise_phone

LONDON = datetime.timezone(datetime.timedelta(0))


def test_two_working_days_from_the_thursday_before_easter_skip_the_bank_holiday_weekend() -> None:
    # 2026: Good Friday 3 April, Easter Monday 6 April.
    assert add_working_days(datetime.date(2026, 4, 2), 2) == datetime.date(2026, 4, 8)


def test_one_working_day_from_friday_before_a_bank_holiday_monday_is_tuesday() -> None:
    # Spring bank holiday: Monday 25 May 2026.
    assert add_working_days(datetime.date(2026, 5, 22), 1) == datetime.date(2026, 5, 26)


def test_five_working_days_over_christmas_skip_boxing_day_substitute() -> None:
    # 25 Dec 2026 is a Friday; Boxing Day (Saturday) is observed on Monday 28 December.
    assert add_working_days(datetime.date(2026, 12, 24), 5) == datetime.date(2027, 1, 5)


def test_an_ordinary_week_counts_weekdays() -> None:
    assert add_working_days(datetime.date(2026, 11, 23), 5) == datetime.date(2026, 11, 30)


def _at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, 0, tzinfo=LONDON)  # 23 Nov 2026 is a Monday


def test_a_channel_the_victim_did_not_choose_is_refused_with_the_safe_ones_named() -> None:
    result = check_safe_contact(
        safe_contact={"channels": ["email"]}, channel="phone", at=_at(23, 10)
    )
    assert not result.allowed
    assert "did not choose" in result.reason
    assert "email" in result.reason


def test_no_channels_means_do_not_contact() -> None:
    result = check_safe_contact(safe_contact={"channels": []}, channel="email", at=_at(23, 10))
    assert not result.allowed
    assert "not to be contacted" in result.reason


def test_a_call_outside_the_safe_hours_is_refused() -> None:
    prefs = {"channels": ["phone"], "safe_from": "09:00", "safe_until": "15:00"}
    result = check_safe_contact(safe_contact=prefs, channel="phone", at=_at(23, 18))
    assert not result.allowed
    assert "18:00 is outside the safe times" in result.reason


def test_a_call_on_a_day_not_marked_safe_is_refused() -> None:
    prefs = {"channels": ["phone"], "safe_days": [0, 1, 2, 3, 4]}
    result = check_safe_contact(safe_contact=prefs, channel="phone", at=_at(28, 10))  # Saturday
    assert not result.allowed
    assert "Saturday is not a safe day" in result.reason


def test_a_voicemail_is_refused_unless_the_victim_said_it_is_safe() -> None:
    prefs = {"channels": ["phone"]}
    result = check_safe_contact(safe_contact=prefs, channel="phone", at=_at(23, 10), voicemail=True)
    assert not result.allowed
    assert "voicemail" in result.reason


def test_a_call_on_a_safe_channel_at_a_safe_time_is_allowed() -> None:
    prefs = {"channels": ["phone"], "safe_from": "09:00", "safe_until": "15:00", "safe_days": [0]}
    assert check_safe_contact(safe_contact=prefs, channel="phone", at=_at(23, 10)).allowed


def test_names_are_normalised_for_search() -> None:
    assert normalise_name("  Siân  O'Neil ") == "sian oneil"


def test_uk_phone_numbers_normalise_to_e164() -> None:
    assert normalise_phone("07700 900123") == normalise_phone("+44 7700 900123") == "+447700900123"
