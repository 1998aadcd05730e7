"""Which identifiers a private record, a report or a case names, in the one canonical form that
matching compares (the linking normalisers, so "07700 900123" and "+44 7700 900123" are one).

Only strong identifiers count alone (a phone number, an email address, a social media account,
a vehicle registration); a name counts only together with a date of birth: many people share a
name, and a match on a name alone would tell a holder about a stranger.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from vigil.linking import normalise


def _each(values: Iterable[Any]) -> Iterable[str]:
    for value in values:
        if isinstance(value, str) and value.strip():
            yield value


def canonical_identifiers(
    *,
    names: Iterable[str] = (),
    date_of_birth: str = "",
    phones: Iterable[str] = (),
    emails: Iterable[str] = (),
    social: Iterable[dict[str, str] | str] = (),
    vehicles: Iterable[str] = (),
) -> set[str]:
    found: set[str] = set()
    for raw in _each(phones):
        if value := normalise.phone(raw):
            found.add(f"phone:{value}")
    for raw in _each(emails):
        if value := normalise.email(raw):
            found.add(f"email:{value}")
    for item in social:
        if isinstance(item, dict):
            account = normalise.social_account(
                item.get("handle", ""), platform=item.get("platform", "")
            )
        else:
            platform, sep, handle = str(item).partition(":")
            account = (
                normalise.social_account(handle, platform=platform)
                if sep and "/" not in platform
                else normalise.social_account(str(item))
            )
        if account:
            found.add(f"social:{account}")
    for raw in _each(vehicles):
        if value := normalise.vehicle_registration(raw):
            found.add(f"vehicle:{value}")
    dob = normalise.date_of_birth(date_of_birth) if date_of_birth else None
    if dob:
        for raw in _each(names):
            if value := normalise.name(raw):
                found.add(f"name-dob:{value}|{dob}")
    return found


def report_identifiers(suspects: Iterable[dict[str, Any]]) -> set[str]:
    """From a report's `suspects` (the shape documented in vigil.reporting.models)."""
    found: set[str] = set()
    for suspect in suspects:
        found |= canonical_identifiers(
            names=suspect.get("names", []),
            date_of_birth=str(suspect.get("date_of_birth") or ""),
            phones=suspect.get("phones", []),
            emails=suspect.get("emails", []),
            social=suspect.get("social", []),
            vehicles=suspect.get("vehicles", []),
        )
    return found
