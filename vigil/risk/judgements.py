"""Judgements that need a second look, and the reasons staff give for them.

"Living in fear" (HMIC/HMCPSI 2017) found risk graded down and stalking recorded as something
else with reasons nobody could review. So a level below what the answers indicate, or a
"not stalking" decision against the FOUR answers, needs a reason of substance and goes to a
supervisor. The thresholds and minimums are data (JudgementPolicy, and each tool's counts).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vigil.accounts.models import Role, User
from vigil.audit.services import audit_record
from vigil.risk.models import (
    JudgementKind,
    JudgementPolicy,
    JudgementReview,
    ReviewStatus,
    RiskAssessment,
)
from vigil.risk.prompts import suggested_level

# A word has at least two letters; digits and punctuation alone do not explain anything.
_WORD = re.compile(r"[^\W\d_]{2,}")
LEVEL_ORDER = {"": 0, "standard": 1, "medium": 2, "high": 3}
REVIEWERS = frozenset({Role.SUPERVISOR})


class JudgementError(ValidationError):
    """A judgement refused, with a message staff can act on."""


def judgement_policy() -> JudgementPolicy:
    """The force's policy; the migration makes the row, this keeps working if it was deleted."""
    policy = JudgementPolicy.objects.order_by("created_at").first()
    return policy if policy is not None else JudgementPolicy()


def reason_problem(text: str, *, policy: JudgementPolicy | None = None) -> str | None:
    """What is wrong with a reason given for a judgement, or None when it will do."""
    policy = policy or judgement_policy()
    cleaned = " ".join((text or "").split())
    if not cleaned:
        return _("Give the reasons.")
    words = _WORD.findall(cleaned)
    if len(cleaned) < policy.reason_min_characters or len(words) < policy.reason_min_words:
        return _(
            "Explain the reasons in a sentence or more, so that someone reviewing the case "
            "can follow them (at least %(words)d words)."
        ) % {"words": policy.reason_min_words}
    if len({word.lower() for word in words}) < min(3, policy.reason_min_words):
        return _("Explain the reasons in your own words, not the same word again and again.")
    return None


def indicated_level(*, yes_count: int, medium_from: int | None, high_from: int | None) -> str:
    return suggested_level(yes_count=yes_count, medium_from=medium_from, high_from=high_from)


def is_below(level: str, indicated: str) -> bool:
    return LEVEL_ORDER.get(level, 0) < LEVEL_ORDER.get(indicated, 0)


def four_needs_review(yes_answers: int) -> bool:
    return yes_answers >= judgement_policy().four_yes_for_review


def judgement_review_raise(
    *,
    case: Any,
    kind: str,
    indicated: str,
    chosen: str,
    reasons: str,
    by: User,
    assessment: RiskAssessment | None = None,
    conduct_decision: Any = None,
) -> JudgementReview:
    """Put a judgement in the supervisors' queue. Called inside the service that records it."""
    review = JudgementReview.objects.create(
        case=case,
        kind=kind,
        assessment=assessment,
        conduct_decision=conduct_decision,
        indicated=indicated[:200],
        chosen=chosen[:200],
        reasons=reasons.strip(),
        raised_by=by,
    )
    audit_record(
        action="risk.judgement_review.raise",
        actor=by,
        target=review,
        summary={"case": str(case.pk), "kind": kind},
    )
    return review


def review_queue() -> Any:
    """Open reviews, oldest first: the supervisors' queue."""
    return JudgementReview.objects.filter(status=ReviewStatus.OPEN).select_related(
        "case", "raised_by"
    )


def may_review(user: Any) -> bool:
    return getattr(user, "role", None) in REVIEWERS


__all__ = [
    "JudgementError",
    "JudgementKind",
    "four_needs_review",
    "indicated_level",
    "is_below",
    "judgement_review_raise",
    "reason_problem",
    "review_queue",
]
