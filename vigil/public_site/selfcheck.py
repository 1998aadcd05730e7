"""The "Is this stalking?" self-check: a few questions built on FOUR.

Stalking is behaviour that is Fixated, Obsessive, Unwanted and Repeated. The check helps someone
put words to what is happening; it is not a legal decision, so its result never tells anyone that
what they are going through is "not stalking". Every result ends with the same next steps.

Nothing is stored: answers travel in hidden form fields from one question to the next, by POST,
so they are neither kept on the server nor shown in the address bar or the browser history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vigil.common.behaviours import BEHAVIOUR_BY_CODE

STEPS = ("behaviours", "repeated", "unwanted", "fixated", "afraid")
YES, NO, UNSURE, ONCE = "yes", "no", "unsure", "once"
SOMETHING_ELSE = "something_else"
# Behaviours that mean the person may be able to see where someone is or what they do online.
TECH_BEHAVIOURS = frozenset({"hacking", "monitoring", "tracking", "spyware"})


class Outcome:
    SOUNDS_LIKE_STALKING = "sounds_like_stalking"
    COULD_BE = "could_be"


@dataclass(frozen=True)
class SelfCheckResult:
    outcome: str
    # Which parts of FOUR the answers point to, in the visitor's own terms.
    four: list[tuple[str, Promise]] = field(default_factory=list)
    behaviours: list[Promise] = field(default_factory=list)
    happened_once: bool = False
    threats: bool = False
    tech: bool = False


def self_check_result(answers: dict[str, Any]) -> SelfCheckResult:
    """What to tell someone after the questions. Never "this is not stalking"."""
    codes = [code for code in answers.get("behaviours", []) if code in BEHAVIOUR_BY_CODE]
    repeated = answers.get("repeated")
    unwanted = answers.get("unwanted")
    fixated = answers.get("fixated")
    afraid = answers.get("afraid")

    four: list[tuple[str, Promise]] = []
    if fixated == YES:
        four.append(("F", _("Fixated: the person seems fixed on you.")))
        four.append(("O", _("Obsessive: they keep going even when you avoid them.")))
    if unwanted == YES:
        four.append(("U", _("Unwanted: you want it to stop.")))
    if repeated == YES:
        four.append(("R", _("Repeated: it has happened more than once.")))

    sounds_like = (
        repeated == YES
        and unwanted in {YES, UNSURE}
        and (fixated == YES or afraid == YES or bool(codes))
    )
    return SelfCheckResult(
        outcome=Outcome.SOUNDS_LIKE_STALKING if sounds_like else Outcome.COULD_BE,
        four=four,
        behaviours=[BEHAVIOUR_BY_CODE[code].label for code in codes],
        happened_once=repeated == ONCE,
        threats="threats" in codes,
        tech=bool(TECH_BEHAVIOURS.intersection(codes)),
    )
