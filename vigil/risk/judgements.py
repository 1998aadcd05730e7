"""Checks on the reasons staff give for a judgement.

"Living in fear" (HMIC/HMCPSI 2017) found risk levels and "not stalking" decisions recorded with
no reasoning anyone could review. A reason of "ok" or "x" cannot be reviewed, so a judgement that
matters needs a few real words.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

# Enough for "No further contact since the order was served", not enough for "ok, done".
MIN_REASON_CHARACTERS = 20
MIN_REASON_WORDS = 4
# A word has at least two letters; digits and punctuation alone do not explain anything.
_WORD = re.compile(r"[^\W\d_]{2,}")


def reason_problem(text: str) -> str | None:
    """What is wrong with a reason given for a judgement, or None when it will do."""
    cleaned = " ".join((text or "").split())
    if not cleaned:
        return _("Give the reasons.")
    words = _WORD.findall(cleaned)
    if len(cleaned) < MIN_REASON_CHARACTERS or len(words) < MIN_REASON_WORDS:
        return _(
            "Explain the reasons in a sentence or more, so that someone reviewing the case "
            "can follow them (at least %(words)d words)."
        ) % {"words": MIN_REASON_WORDS}
    if len({word.lower() for word in words}) < 3:
        return _("Explain the reasons in your own words, not the same word again and again.")
    return None
