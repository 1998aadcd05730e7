"""The stalking behaviours Vigil asks about and records, shared by the report and the case.

Each behaviour maps to the examples of stalking in s2A(3) Protection from Harassment Act 1997
where one applies, so a case can show which statutory examples the recorded conduct matches.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# s2A(3) examples of acts or omissions associated with stalking.
S2A3_EXAMPLES: dict[str, Promise] = {
    "a": _("following a person"),
    "b": _("contacting, or attempting to contact, a person by any means"),
    "c": _("publishing material relating to a person, or claiming to come from them"),
    "d": _("monitoring a person's use of the internet, email or other electronic communication"),
    "e": _("loitering in any place, public or private"),
    "f": _("interfering with any property in the possession of a person"),
    "g": _("watching or spying on a person"),
}


@dataclass(frozen=True)
class Behaviour:
    code: str
    label: Promise
    online: bool
    s2a3: str | None  # the s2A(3) example letter it matches, if any


BEHAVIOURS: tuple[Behaviour, ...] = (
    Behaviour("following", _("Following you"), False, "a"),
    Behaviour(
        "loitering", _("Waiting or hanging around near your home, work or school"), False, "e"
    ),
    Behaviour("turning_up", _("Turning up where you are without being asked"), False, "e"),
    Behaviour("watching", _("Watching or spying on you"), False, "g"),
    Behaviour(
        "gifts_letters", _("Sending you gifts, letters or things you did not want"), False, "b"
    ),
    Behaviour(
        "property_damage", _("Damaging or interfering with your things, home or car"), False, "f"
    ),
    Behaviour("third_parties", _("Contacting your friends, family or work"), False, "b"),
    Behaviour("threats", _("Threatening you or people close to you"), False, None),
    Behaviour("calls_messages", _("Calling, texting or messaging you again and again"), True, "b"),
    Behaviour(
        "fake_profiles", _("Using fake profiles or other people's accounts to reach you"), True, "b"
    ),
    Behaviour("posting_about", _("Posting about you or pretending to be you online"), True, "c"),
    Behaviour("hacking", _("Getting into your email, social media or other accounts"), True, "d"),
    Behaviour("monitoring", _("Checking what you do online, or your messages"), True, "d"),
    Behaviour(
        "tracking", _("Tracking where you are, for example with an AirTag or an app"), True, "g"
    ),
    Behaviour("spyware", _("Putting spyware on your phone or computer"), True, "d"),
    Behaviour(
        "identity_misuse",
        _("Using your name or details to order things or open accounts"),
        True,
        "c",
    ),
)

BEHAVIOUR_BY_CODE: dict[str, Behaviour] = {b.code: b for b in BEHAVIOURS}
BEHAVIOUR_CHOICES: list[tuple[str, Promise]] = [(b.code, b.label) for b in BEHAVIOURS]

# The same questions put to someone reporting for another person (issue 16).
ABOUT_THEM: dict[str, Promise] = {
    "following": _("Following them"),
    "loitering": _("Waiting or hanging around near their home, work or school"),
    "turning_up": _("Turning up where they are without being asked"),
    "watching": _("Watching or spying on them"),
    "gifts_letters": _("Sending them gifts, letters or things they did not want"),
    "property_damage": _("Damaging or interfering with their things, home or car"),
    "third_parties": _("Contacting their friends, family or work"),
    "threats": _("Threatening them or people close to them"),
    "calls_messages": _("Calling, texting or messaging them again and again"),
    "fake_profiles": _("Using fake profiles or other people's accounts to reach them"),
    "posting_about": _("Posting about them or pretending to be them online"),
    "hacking": _("Getting into their email, social media or other accounts"),
    "monitoring": _("Checking what they do online, or their messages"),
    "tracking": _("Tracking where they are, for example with an AirTag or an app"),
    "spyware": _("Putting spyware on their phone or computer"),
    "identity_misuse": _("Using their name or details to order things or open accounts"),
}
BEHAVIOUR_CHOICES_ABOUT_THEM: list[tuple[str, Promise]] = [
    (b.code, ABOUT_THEM[b.code]) for b in BEHAVIOURS
]


# The same behaviours as staff read and record them: a list or form for officers speaks of the
# victim, never to "you" (the victim's own words stay in the report they wrote).
ABOUT_THE_VICTIM: dict[str, Promise] = {
    "following": _("Following the victim"),
    "loitering": _("Waiting or hanging around near the victim's home, work or school"),
    "turning_up": _("Turning up where the victim is without being asked"),
    "watching": _("Watching or spying on the victim"),
    "gifts_letters": _("Sending the victim gifts, letters or things they did not want"),
    "property_damage": _("Damaging or interfering with the victim's things, home or car"),
    "third_parties": _("Contacting the victim's friends, family or work"),
    "threats": _("Threatening the victim or people close to them"),
    "calls_messages": _("Calling, texting or messaging the victim again and again"),
    "fake_profiles": _("Using fake profiles or other people's accounts to reach the victim"),
    "posting_about": _("Posting about the victim or pretending to be them online"),
    "hacking": _("Getting into the victim's email, social media or other accounts"),
    "monitoring": _("Checking what the victim does online, or their messages"),
    "tracking": _("Tracking where the victim is, for example with an AirTag or an app"),
    "spyware": _("Putting spyware on the victim's phone or computer"),
    "identity_misuse": _("Using the victim's name or details to order things or open accounts"),
}
STAFF_BEHAVIOUR_CHOICES: list[tuple[str, Promise]] = [
    (b.code, ABOUT_THE_VICTIM[b.code]) for b in BEHAVIOURS
]


def staff_labels(codes: list[str] | None) -> list[str]:
    """The staff wording of the behaviours recorded, skipping any code no longer asked about."""
    return [str(ABOUT_THE_VICTIM[code]) for code in codes or [] if code in ABOUT_THE_VICTIM]


def s2a3_examples_for(codes: list[str]) -> dict[str, list[str]]:
    """Which s2A(3) examples the given behaviours match: {"a": ["following"], ...}."""
    matched: dict[str, list[str]] = {}
    for code in codes:
        behaviour = BEHAVIOUR_BY_CODE.get(code)
        if behaviour and behaviour.s2a3:
            matched.setdefault(behaviour.s2a3, []).append(code)
    return dict(sorted(matched.items()))
