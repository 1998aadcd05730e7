"""Scoring two records for the online candidate list: Fellegi-Sunter with reasons.

Each identifier is compared at a level (exact, close, different, missing); each level adds
the log-odds weight log2(m/u) that the bulk Splink model learned on synthetic data
(data/splink_model.json, rounded), so the online score and `link_records` agree in spirit.
Social accounts and vehicles are not in the bulk model; their weights are set by hand:
an account handle is unique on its platform, while a car is often shared in a household.
Missing values add nothing. The score is the match probability after a prior.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import Any

import jellyfish
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vigil.linking import normalise

# Identifier kinds in the order reasons are shown.
LABELS: dict[str, Promise] = {
    "name": _("Name"),
    "dob": _("Date of birth"),
    "phone": _("Phone number"),
    "email": _("Email address"),
    "social": _("Social media account"),
    "vehicle": _("Vehicle"),
    "address": _("Address or postcode"),
}

# (level, weight in bits, outcome) per kind; outcome is "agreed", "similar" or "differed".
WEIGHTS: dict[str, dict[str, tuple[float, str]]] = {
    "name": {
        "exact": (12.3, "agreed"),
        "swapped": (12.0, "agreed"),
        "close": (11.6, "similar"),
        "near": (9.5, "similar"),
        "initial": (6.0, "similar"),
        "surname": (2.4, "similar"),
        "given": (3.0, "similar"),
        "else": (-6.7, "differed"),
    },
    "dob": {
        "exact": (11.8, "agreed"),
        "one_digit": (4.6, "similar"),
        "day_month_swapped": (4.6, "similar"),
        "within_year": (-1.3, "differed"),
        "else": (-3.2, "differed"),
    },
    "phone": {"exact": (12.2, "agreed"), "else": (-2.0, "differed")},
    "email": {
        "exact": (12.2, "agreed"),
        "username": (8.4, "similar"),
        "else": (-3.2, "differed"),
    },
    "social": {"exact": (14.0, "agreed"), "else": (-0.5, "differed")},
    "vehicle": {"exact": (9.0, "agreed"), "else": (-0.5, "differed")},
    "address": {
        "exact": (12.1, "agreed"),
        "postcode": (11.0, "agreed"),
        "street": (5.1, "similar"),
        "else": (-2.3, "differed"),
    },
}


@dataclass(frozen=True)
class Comparison:
    kind: str
    level: str
    weight: float
    outcome: str

    @property
    def label(self) -> Promise:
        return LABELS[self.kind]


@dataclass
class Score:
    probability: float
    weight: float
    comparisons: list[Comparison] = field(default_factory=list)

    def of(self, outcome: str) -> list[Comparison]:
        return [c for c in self.comparisons if c.outcome == outcome]

    @property
    def agreed(self) -> list[Comparison]:
        return self.of("agreed")

    @property
    def similar(self) -> list[Comparison]:
        return self.of("similar")

    @property
    def differed(self) -> list[Comparison]:
        return self.of("differed")

    @property
    def shares_an_identifier(self) -> bool:
        return any(c.kind in IDENTIFYING_KINDS for c in self.agreed)

    def reasons(self) -> dict[str, list[str]]:
        """Kinds only, safe to store and audit: no identifier values."""
        return {
            outcome: [c.kind for c in self.of(outcome)]
            for outcome in ("agreed", "similar", "differed")
        }


def _jw(a: str, b: str) -> float:
    return float(jellyfish.jaro_winkler_similarity(a, b))


def _name_level(a: dict[str, str | None], b: dict[str, str | None]) -> str | None:
    ga, sa, gb, sb = a.get("given"), a.get("surname"), b.get("given"), b.get("surname")
    if not (ga or sa) or not (gb or sb):
        return None
    if ga and sa and gb and sb:
        if ga == gb and sa == sb:
            return "exact"
        if ga == sb and normalise.nicknames().get(sa, sa) == gb:
            return "swapped"
        if _jw(ga, gb) >= 0.92 and _jw(sa, sb) >= 0.92:
            return "close"
        if _jw(ga, gb) >= 0.88 and _jw(sa, sb) >= 0.88:
            return "near"
        # "S Jones" for "Sam Jones": an initial is all a witness may have.
        if (len(ga) == 1 or len(gb) == 1) and ga[0] == gb[0] and _jw(sa, sb) >= 0.88:
            return "initial"
    if sa and sb and sa == sb:
        return "surname"
    if ga and gb and ga == gb:
        return "given"
    return "else"


_NAME_ORDER = ["exact", "swapped", "close", "near", "initial", "given", "surname", "else"]

# Sharing one of these is worth a look by a person whatever else differs.
IDENTIFYING_KINDS = frozenset({"phone", "email", "social", "vehicle"})


def _best(levels: list[str | None], order: list[str]) -> str | None:
    present = [level for level in levels if level is not None]
    return min(present, key=order.index) if present else None


def _dob_level(a: str | None, b: str | None) -> str | None:
    if not a or not b:
        return None
    if a == b:
        return "exact"
    if sum(x != y for x, y in zip(a, b, strict=True)) == 1:
        return "one_digit"
    da, db = datetime.date.fromisoformat(a), datetime.date.fromisoformat(b)
    if da.year == db.year and da.month == db.day and da.day == db.month:
        return "day_month_swapped"
    if abs((da - db).days) <= 366:
        return "within_year"
    return "else"


def _set_level(a: list[str], b: list[str]) -> str | None:
    if not a or not b:
        return None
    return "exact" if set(a) & set(b) else "else"


def _email_level(a: list[str], b: list[str]) -> str | None:
    if not a or not b:
        return None
    if set(a) & set(b):
        return "exact"
    if {e.split("@")[0] for e in a} & {e.split("@")[0] for e in b}:
        return "username"
    return "else"


def _address_level(a: dict[str, Any], b: dict[str, Any]) -> str | None:
    pa, pb = set(a.get("postcodes") or []), set(b.get("postcodes") or [])
    sa, sb = set(a.get("addresses") or []), set(b.get("addresses") or [])
    if not (pa or sa) or not (pb or sb):
        return None
    if sa & sb:
        return "exact"
    if pa & pb:
        return "postcode"
    if any(_jw(x, y) >= 0.9 for x in sa for y in sb):
        return "street"
    return "else"


def prior_weight() -> float:
    probability = float(getattr(settings, "LINKING_PRIOR_MATCH_PROBABILITY", 1e-4))
    return math.log2(probability / (1 - probability))


def score(a: dict[str, Any], b: dict[str, Any]) -> Score:
    """How likely two records' attributes are to describe the same person, and why."""
    levels: dict[str, str | None] = {
        "name": _best(
            [_name_level(x, y) for x in a.get("names") or [] for y in b.get("names") or []],
            _NAME_ORDER,
        ),
        "dob": _dob_level(a.get("dob"), b.get("dob")),
        "phone": _set_level(a.get("phones") or [], b.get("phones") or []),
        "email": _email_level(a.get("emails") or [], b.get("emails") or []),
        "social": _set_level(a.get("socials") or [], b.get("socials") or []),
        "vehicle": _set_level(a.get("vehicles") or [], b.get("vehicles") or []),
        "address": _address_level(a, b),
    }
    comparisons = []
    for kind in LABELS:
        level = levels[kind]
        if level is None:
            continue
        weight, outcome = WEIGHTS[kind][level]
        comparisons.append(Comparison(kind, level, weight, outcome))
    total = prior_weight() + sum(c.weight for c in comparisons)
    probability = 1 / (1 + 2 ** (-total))
    return Score(probability=probability, weight=total, comparisons=comparisons)
