"""Demo risk assessments, made through the real service so the demo cases read true."""

from __future__ import annotations

import random

from vigil.cases.models import Case
from vigil.risk.models import Answer, RiskLevel, RiskTool
from vigil.risk.services import GivenAnswer, risk_assessment_submit

REASONS = {
    RiskLevel.STANDARD: "Contact has stopped since the warning; victim feels safer.",
    RiskLevel.MEDIUM: "Contact continues most days; no threats so far.",
    RiskLevel.HIGH: "Threats of violence, and he has been seen outside her home at night.",
}


def load_demo_assessments(seed: int = 7) -> int:
    """An S-DASH on every demo case that has none (idempotent)."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    tool = RiskTool.objects.get(code="sdash")
    made = 0
    cases = Case.objects.filter(risk_assessments__isnull=True, officer__isnull=False)
    for case in cases.select_related("officer"):
        assert case.officer is not None
        level = rng.choice(RiskLevel.assessed())
        yes = set(rng.sample(range(1, 12), {"standard": 2, "medium": 4, "high": 7}[level]))
        answers = {
            q.number: GivenAnswer(Answer.YES if q.number in yes else Answer.NO)
            for q in tool.questions.all()
        }
        risk_assessment_submit(
            case=case,
            tool=tool,
            answers=answers,
            level=level,
            reasons=REASONS[level],
            by=case.officer,
        )
        made += 1
    return made


def load_demo() -> str:
    """Called by `manage.py load_demo` (see vigil/common/demo.py)."""
    made = load_demo_assessments()
    return f"Demo risk assessments: {made} new." if made else ""
