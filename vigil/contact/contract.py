"""How a victim may be contacted: the one typed contract every app reads and writes.

A message on the wrong channel, at the wrong time, or signed with the force's name can tell the
person the victim fears that they went to the police. So every sender (case contact, victim
messages, the outbox, check-in timers, sign-in links, trusted-contact invites and timer alerts)
asks this contract, and nothing else, whether and how it may reach the victim. Anything not
clearly allowed is refused.

The JSON shape (`to_json`/`from_json`), all keys optional:
{"channels": ["phone" | "text" | "email" | "letter"] (empty = do not contact),
 "safe_days": [0-6, Monday is 0] (absent = any day), "safe_from": "HH:MM", "safe_until": "HH:MM",
 "safe_times": str (the victim's own words: shown beside the structured answers, never enforced
 in their place), "voicemail_ok": bool, "others_may_read": bool, "can_say_police": bool,
 "safe_word": str, "third_party_caution": "unaware" | "unsafe" | "unsure"}

`third_party_caution` is set when someone else reported for the victim and told us the victim
does not know, or that contacting them is not (or may not be) safe: the record then allows no
contact, and says why, until staff record the victim's own wishes (which clears it).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.utils.dates import WEEKDAYS as DJANGO_WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Monday first, as date.weekday() counts; Django's own names, translated into Welsh already.
WEEKDAYS = [DJANGO_WEEKDAYS[day] for day in range(7)]

CHANNELS = {
    "phone": gettext_lazy("phone call"),
    "text": gettext_lazy("text message"),
    "email": gettext_lazy("email"),
    "letter": gettext_lazy("letter"),
}
# Channels whose arrival someone nearby notices (a ringing phone, a text on a lock screen): the
# safe days and hours apply to these.
TIMED_CHANNELS = frozenset({"phone", "text"})

# Why a record made from someone else's report allows no contact (see the module docstring).
THIRD_PARTY_CAUTIONS = {
    "unaware": gettext_lazy(
        "Do not contact the victim: the person who reported for them said the victim does not "
        "know about this report."
    ),
    "unsafe": gettext_lazy(
        "Do not contact the victim: the person who reported for them said it is not safe to "
        "contact them."
    ),
    "unsure": gettext_lazy(
        "Do not contact the victim: the person who reported for them was not sure it is safe "
        "to contact them."
    ),
}


@dataclass(frozen=True)
class ContactCheck:
    allowed: bool
    reason: str = ""
    # Refused only because of the day or the hour: the message can wait for a safe time.
    can_wait: bool = False


def _time(value: Any) -> datetime.time | None:
    if isinstance(value, datetime.time):
        return value
    try:
        return datetime.time.fromisoformat(str(value))
    except ValueError:
        return None


def _days(value: Any) -> tuple[int, ...] | None:
    if value is None:
        return None
    try:
        return tuple(sorted({int(d) for d in value if 0 <= int(d) <= 6}))
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class SafeContactPrefs:
    channels: tuple[str, ...] = ()
    safe_days: tuple[int, ...] | None = None
    safe_from: datetime.time | None = None
    safe_until: datetime.time | None = None
    safe_times: str = ""
    voicemail_ok: bool = False
    others_may_read: bool = False
    can_say_police: bool = False
    safe_word: str = ""
    third_party_caution: str = ""
    # Keys this contract does not know, kept so that a round trip loses nothing.
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    # --- the contract's shape ---

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> SafeContactPrefs:
        data = dict(data or {})
        known = {
            "channels",
            "safe_days",
            "safe_from",
            "safe_until",
            "safe_times",
            "voicemail_ok",
            "others_may_read",
            "can_say_police",
            "safe_word",
            "third_party_caution",
        }
        start, end = _time(data.get("safe_from")), _time(data.get("safe_until"))
        if not (start and end):
            start = end = None
        return cls(
            channels=tuple(c for c in (data.get("channels") or []) if c in CHANNELS),
            safe_days=_days(data.get("safe_days")),
            safe_from=start,
            safe_until=end,
            safe_times=str(data.get("safe_times") or ""),
            voicemail_ok=bool(data.get("voicemail_ok")),
            others_may_read=bool(data.get("others_may_read")),
            can_say_police=bool(data.get("can_say_police")),
            safe_word=str(data.get("safe_word") or ""),
            third_party_caution=(
                caution
                if (caution := data.get("third_party_caution")) in THIRD_PARTY_CAUTIONS
                else ""
            ),
            extra={k: v for k, v in data.items() if k not in known},
        )

    def to_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            **self.extra,
            "channels": list(self.channels),
            "safe_times": self.safe_times,
            "voicemail_ok": self.voicemail_ok,
            "others_may_read": self.others_may_read,
            "can_say_police": self.can_say_police,
            "safe_word": self.safe_word,
        }
        if self.third_party_caution:
            result["third_party_caution"] = self.third_party_caution
        if self.safe_days is not None:
            result["safe_days"] = list(self.safe_days)
        if self.safe_from and self.safe_until:
            result["safe_from"] = self.safe_from.strftime("%H:%M")
            result["safe_until"] = self.safe_until.strftime("%H:%M")
        return result

    def but(self, **changes: Any) -> SafeContactPrefs:
        return replace(self, **changes)

    # --- may we? ---

    def check(
        self, *, channel: str, at: datetime.datetime, voicemail: bool = False
    ) -> ContactCheck:
        """May we contact the victim by `channel` at `at` (local time)? If not, say why.

        Channels outside this contract (in person, a message on their online report) are for
        the caller to judge; the day and hour rules are for calls and texts only.
        """
        if self.third_party_caution:
            # Every way, in person and on the online report too: the person reporting read
            # the situation, and nobody has heard from the victim yet.
            return ContactCheck(False, str(THIRD_PARTY_CAUTIONS[self.third_party_caution]))
        if channel in CHANNELS:
            if not self.channels:
                return ContactCheck(False, _("The victim asked not to be contacted at all."))
            if channel not in self.channels:
                return ContactCheck(
                    False,
                    _("The victim did not choose this way to be contacted. %(now)s")
                    % {"now": self.describe()},
                )
        if voicemail and not self.voicemail_ok:
            return ContactCheck(False, _("The victim said it is not safe to leave a voicemail."))
        if channel in TIMED_CHANNELS:
            if self.safe_days is not None and at.weekday() not in self.safe_days:
                return ContactCheck(
                    False,
                    _("%(day)s is not a safe day to contact the victim. Safe days: %(days)s.")
                    % {"day": WEEKDAYS[at.weekday()], "days": self.days_label()},
                    can_wait=bool(self.safe_days),
                )
            if self.safe_from and self.safe_until and not self._in_hours(at.time()):
                return ContactCheck(
                    False,
                    _("%(now)s is outside the safe times the victim gave (%(start)s to %(end)s).")
                    % {
                        "now": at.strftime("%H:%M"),
                        "start": self.safe_from.strftime("%H:%M"),
                        "end": self.safe_until.strftime("%H:%M"),
                    },
                    can_wait=True,
                )
        return ContactCheck(True)

    def _in_hours(self, moment: datetime.time) -> bool:
        assert self.safe_from is not None and self.safe_until is not None
        if self.safe_from <= self.safe_until:
            return self.safe_from <= moment < self.safe_until
        # Hours that run past midnight, e.g. 22:00 to 06:00 for someone on night shifts.
        return moment >= self.safe_from or moment < self.safe_until

    def next_safe_time(self, *, channel: str, after: datetime.datetime) -> datetime.datetime | None:
        """The first moment from `after` (aware, local) when `channel` is allowed, within a
        fortnight; None if there is none (the channel is not safe at all)."""
        moment = after.replace(second=0, microsecond=0)
        for _step in range(14 * 24 * 4):
            if self.check(channel=channel, at=moment).allowed:
                return moment
            moment += datetime.timedelta(minutes=15)
        return None

    # --- how we sign and what we may say ---

    @property
    def may_name_police(self) -> bool:
        """The police only if they said we may say who we are and nobody else reads their
        messages."""
        return self.can_say_police and not self.others_may_read

    @property
    def may_carry_reference(self) -> bool:
        """A reference or a sign-in link in an inbox someone else reads would let that person
        into the victim's report: never then."""
        return not self.others_may_read

    def sender_name(self) -> str:
        """Who a written message to the victim is from. Otherwise a name that gives nothing
        away (not the service's name either: "Stalking and harassment" says as much as the
        police would)."""
        if self.may_name_police:
            return str(settings.VIGIL_FORCE_NAME)
        return _(settings.VIGIL_DISCREET_SENDER_NAME)

    def wording(self) -> str:
        """What a message written now may say, as a short key: a message written under other
        wishes may say too much and must not go."""
        return f"{'named' if self.may_name_police else 'discreet'}-" + (
            "private" if self.may_carry_reference else "shared"
        )

    # --- in words, for staff ---

    def channels_label(self) -> str:
        return ", ".join(str(CHANNELS[c]) for c in self.channels)

    def days_label(self) -> str:
        if self.safe_days is None:
            return _("any day")
        return ", ".join(str(WEEKDAYS[d]) for d in self.safe_days) or _("no days")

    def describe(self) -> str:
        """The victim's current wishes in one sentence or two, for a refusal or a banner."""
        if self.third_party_caution:
            return str(THIRD_PARTY_CAUTIONS[self.third_party_caution])
        if not self.channels:
            return _("Their wishes now: do not contact them.")
        parts = [_("Their wishes now: only by %(ways)s") % {"ways": self.channels_label()}]
        if self.safe_days is not None:
            parts.append(_("on %(days)s") % {"days": self.days_label()})
        if self.safe_from and self.safe_until:
            parts.append(
                _("between %(start)s and %(end)s")
                % {
                    "start": self.safe_from.strftime("%H:%M"),
                    "end": self.safe_until.strftime("%H:%M"),
                }
            )
        sentence = ", ".join(parts) + "."
        if self.others_may_read:
            sentence += " " + _("Someone else may read their messages.")
        return sentence

    def changes_from(self, before: SafeContactPrefs) -> list[str]:
        """What changed, in words and without the victim's own text (a timeline line may be
        shown to more people than the banner)."""
        labels = {
            "channels": _("safe ways"),
            "safe_days": _("safe days"),
            "safe_from": _("safe hours"),
            "safe_until": _("safe hours"),
            "safe_times": _("safe times in their words"),
            "voicemail_ok": _("voicemail"),
            "others_may_read": _("whether others may read their messages"),
            "can_say_police": _("whether we may say we are the police"),
            "safe_word": _("safe word"),
            "third_party_caution": _("whether the reporter said we may contact them"),
        }
        changed: list[str] = []
        for key, label in labels.items():
            if getattr(self, key) != getattr(before, key) and label not in changed:
                changed.append(label)
        return changed


def prefs_from_answers(answers: Iterable[tuple[str, Any]]) -> SafeContactPrefs:
    """From form answers (cleaned data) to the contract: the one place a form's fields become
    the record, so no form or view rebuilds the dict by hand."""
    data = dict(answers)
    days = data.get("safe_days")
    start, end = data.get("safe_from"), data.get("safe_until")
    return SafeContactPrefs(
        channels=tuple(c for c in (data.get("channels") or []) if c in CHANNELS),
        safe_days=_days(days) if days else None,
        safe_from=start if start and end else None,
        safe_until=end if start and end else None,
        safe_times=str(data.get("safe_times") or ""),
        voicemail_ok=_bool(data.get("voicemail_ok")),
        # Unless they said nobody else reads their messages, we write as if someone might.
        others_may_read=data.get("others_may_read") not in (False, "no"),
        can_say_police=_bool(data.get("can_say_police")),
        safe_word=str(data.get("safe_word") or ""),
    )


def _bool(value: Any) -> bool:
    return value is True or value == "yes"
