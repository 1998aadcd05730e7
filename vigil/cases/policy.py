"""Plain functions for the rules cases follow: working days, safe contact, names for search."""

from __future__ import annotations

import datetime
import unicodedata
from functools import cache
from typing import Any

import holidays
import phonenumbers
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.common.crypto import blind_index
from vigil.contact.contract import ContactCheck, SafeContactPrefs
from vigil.linking.services import record_attributes


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


def names_in_text(text: str, names: list[str]) -> list[str]:
    """Which of these people's names the text mentions: any part of a name of three letters or
    more, as a whole word ("Mallory", "sample", "MALLORY SAMPLE" all name Mallory Sample)."""
    words = set(normalise_name(text).split())
    return [
        name
        for name in names
        if any(len(p) >= 3 and p in words for p in normalise_name(name).split())
    ]


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
    """The blind index of a phone, email, vehicle or postcode. Vehicles and postcodes arrive
    normalised by linking's normaliser (see searchable_identifiers)."""
    if kind == "phone":
        normalised = normalise_phone(value)
    elif kind == "email":
        normalised = normalise_email(value)
    else:
        normalised = value
    return blind_index(normalised, purpose=f"case.{kind}")


def looks_like_phone(value: str) -> bool:
    digits = sum(c.isdigit() for c in value)
    return digits >= 7 and all(c.isdigit() or c in " +()-" for c in value.strip())


# The earliest incident date accepted: a course of conduct older than this is not plausible, and
# dates like 1 January 1900 are what a form left at its default or a typing slip produce.
EARLIEST_INCIDENT_DATE = datetime.date(1950, 1, 1)


def incident_date_problem(day: datetime.date, *, today: datetime.date | None = None) -> str | None:
    """Why an incident date cannot be right, or None."""
    today = today or timezone.localdate()
    if day < EARLIEST_INCIDENT_DATE:
        return _("Enter a date after %(earliest)s") % {
            "earliest": EARLIEST_INCIDENT_DATE.strftime("%d/%m/%Y")
        }
    if day > today:
        return _("The date must be today or in the past")
    return None


def incident_moment(day: datetime.date, at: datetime.time | None) -> datetime.datetime:
    """The stored moment of an incident. Without a time, midday local: the day stays right in
    any time zone, and Incident.time_known says that the time itself is not known."""
    return timezone.make_aware(datetime.datetime.combine(day, at or datetime.time(12, 0)))


def searchable_places_and_vehicles(details: dict[str, Any]) -> dict[str, list[str]]:
    """Vehicles and postcodes in a person's details, normalised as linking normalises them."""
    addresses = [a for a in [details.get("address"), *(details.get("addresses") or [])] if a]
    attributes = record_attributes(
        vehicles=[str(v) for v in details.get("vehicles") or []],
        addresses=[str(a) for a in addresses],
        postcodes=[str(p) for p in details.get("postcodes") or []],
    )
    return {
        "vehicle": list(attributes["vehicles"]),
        "postcode": list(attributes["postcodes"]),
    }
