"""Plain functions for the rules cases follow: working days, safe contact, names for search."""

from __future__ import annotations

import datetime
import unicodedata
from functools import cache
from typing import Any

import holidays
import phonenumbers

from vigil.common.crypto import blind_index
from vigil.contact.contract import ContactCheck, SafeContactPrefs


@cache
def _bank_holidays(year: int) -> holidays.HolidayBase:
    # England and Wales share bank holidays; "ENG" is the holidays package's name for them.
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (the day itself does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def check_safe_contact(
    *,
    safe_contact: dict[str, Any],
    channel: str,
    at: datetime.datetime,
    voicemail: bool = False,
) -> ContactCheck:
    """May we contact the victim by `channel` at `at` (local time)? The rule has one home, the
    safe-contact contract; this reads a record's JSON for callers that hold only that."""
    return SafeContactPrefs.from_json(safe_contact).check(
        channel=channel, at=at, voicemail=voicemail
    )


def normalise_name(name: str) -> str:
    """Lower case, accents and punctuation removed, single spaces: 'Siân O'Neil' -> 'sian oneil'."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    kept = "".join(c if c.isalnum() or c.isspace() else "" for c in plain.lower())
    return " ".join(kept.split())


def normalise_phone(value: str) -> str:
    """E.164 for a UK or international number; digits only if it cannot be parsed."""
    try:
        parsed = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return "".join(c for c in value if c.isdigit())
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(value: str) -> str:
    return value.strip().lower()


def identifier_index(kind: str, value: str) -> str:
    normalised = normalise_phone(value) if kind == "phone" else normalise_email(value)
    return blind_index(normalised, purpose=f"case.{kind}")


def looks_like_phone(value: str) -> bool:
    digits = sum(c.isdigit() for c in value)
    return digits >= 7 and all(c.isdigit() or c in " +()-" for c in value.strip())
