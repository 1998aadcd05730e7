from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from vigil.contact.contract import SafeContactPrefs, prefs_from_answers

MONDAY_10 = datetime.datetime(2026, 11, 23, 10, 0)


@given(
    channels=st.lists(st.sampled_from(["phone", "text", "email", "letter"]), unique=True),
    days=st.none() | st.lists(st.integers(0, 6), unique=True),
    others=st.booleans(),
    police=st.booleans(),
    words=st.text(max_size=40),
)
def test_the_json_round_trip_loses_nothing(
    channels: list[str], days: list[int] | None, others: bool, police: bool, words: str
) -> None:
    prefs = SafeContactPrefs(
        channels=tuple(channels),
        safe_days=tuple(sorted(days)) if days is not None else None,
        safe_from=datetime.time(9),
        safe_until=datetime.time(15),
        safe_times=words,
        others_may_read=others,
        can_say_police=police,
    )
    assert SafeContactPrefs.from_json(prefs.to_json()) == prefs


def test_the_police_are_named_only_if_she_said_so_and_nobody_else_reads() -> None:
    assert SafeContactPrefs(can_say_police=True).may_name_police
    assert not SafeContactPrefs(can_say_police=True, others_may_read=True).may_name_police
    assert not SafeContactPrefs().may_name_police
    assert SafeContactPrefs(can_say_police=True, others_may_read=True).sender_name() == (
        "The support team"
    )


def test_a_refusal_names_her_current_wishes() -> None:
    prefs = SafeContactPrefs(channels=("phone", "letter"), others_may_read=True)
    result = prefs.check(channel="email", at=MONDAY_10)
    assert not result.allowed
    assert "Their wishes now: only by phone call, letter." in result.reason
    assert "Someone else may read their messages." in result.reason


def test_safe_hours_can_run_past_midnight() -> None:
    prefs = SafeContactPrefs(
        channels=("text",), safe_from=datetime.time(22), safe_until=datetime.time(6)
    )
    assert prefs.check(channel="text", at=MONDAY_10.replace(hour=23)).allowed
    assert not prefs.check(channel="text", at=MONDAY_10).allowed


def test_an_unanswered_others_may_read_is_taken_as_yes() -> None:
    assert prefs_from_answers({"channels": ["email"]}.items()).others_may_read
    assert not prefs_from_answers({"others_may_read": "no"}.items()).others_may_read


def test_the_next_safe_time_is_the_start_of_the_next_safe_day() -> None:
    prefs = SafeContactPrefs(
        channels=("phone",),
        safe_days=(2,),
        safe_from=datetime.time(9),
        safe_until=datetime.time(10),
    )
    assert prefs.next_safe_time(channel="phone", after=MONDAY_10) == datetime.datetime(
        2026, 11, 25, 9, 0
    )
    assert SafeContactPrefs().next_safe_time(channel="phone", after=MONDAY_10) is None
