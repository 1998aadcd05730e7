"""When to ask for a risk assessment, and what a result suggests. Plain functions, no database.

The rules follow national practice (docs/domain.md): screen for stalking with the S-DASH once
there are two incidents, the victim is very frightened, or the DASH stalking question is yes;
14+ DASH yes answers suggests MARAC; 3+ incidents in 12 months suggests escalation; reassess on
every new incident and when the review date passes. They are prompts: the officer decides.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

STALKING_TOOL = "sdash"
ESCALATION_INCIDENTS = 3
ESCALATION_WINDOW = datetime.timedelta(days=365)


@dataclass(frozen=True)
class AssessmentFacts:
    tool_code: str
    tool_name: str
    submitted_at: datetime.datetime
    yes_count: int
    level: str
    review_due: datetime.date
    marac_from: int | None = None
    # Codes of tools that a yes answer in this assessment asks for.
    prompted_tools: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class IncidentFacts:
    occurred_at: datetime.datetime
    recorded_at: datetime.datetime


@dataclass(frozen=True)
class RiskPrompt:
    code: str
    message: str
    tool_code: str = ""
    # A next step offered beside the prompt by an app above risk (see risk.selectors).
    action_url: str = ""
    action_label: str = ""


def risk_prompts(
    *,
    incidents: Sequence[IncidentFacts],
    current: Sequence[AssessmentFacts],
    now: datetime.datetime,
    has_safety_plan: bool = False,
) -> list[RiskPrompt]:
    """The prompts to show on a case, given its incidents and its current assessments."""
    prompts: list[RiskPrompt] = []
    done_tools = {a.tool_code for a in current}
    latest = max(current, key=lambda a: a.submitted_at, default=None)

    wanted: set[str] = set()
    if len(incidents) >= 2:
        wanted.add(STALKING_TOOL)
    for assessment in current:
        wanted |= assessment.prompted_tools
    for code in sorted(wanted - done_tools):
        prompts.append(
            RiskPrompt(
                "screen",
                _("Complete a stalking screening (S-DASH): there are signs of stalking.")
                if code == STALKING_TOOL
                else _("An answer in an earlier assessment asks for this tool to be completed."),
                tool_code=code,
            )
        )

    for assessment in current:
        if assessment.marac_from is not None and assessment.yes_count >= assessment.marac_from:
            prompts.append(
                RiskPrompt(
                    "marac",
                    _("%(count)s yes answers on the %(tool)s: refer to MARAC.")
                    % {"count": assessment.yes_count, "tool": assessment.tool_name},
                    tool_code=assessment.tool_code,
                )
            )

    recent = [i for i in incidents if now - i.occurred_at <= ESCALATION_WINDOW]
    if len(recent) >= ESCALATION_INCIDENTS:
        prompts.append(
            RiskPrompt(
                "escalate",
                _("%(count)s incidents in the last 12 months: consider escalating this case.")
                % {"count": len(recent)},
            )
        )

    # "New" means recorded since the assessment, even if it happened earlier.
    if latest and any(i.recorded_at > latest.submitted_at for i in incidents):
        prompts.append(
            RiskPrompt(
                "reassess_incident",
                _("There is a new incident since the last risk assessment: reassess the risk."),
                tool_code=latest.tool_code,
            )
        )

    for assessment in current:
        if assessment.review_due < now.date():
            prompts.append(
                RiskPrompt(
                    "review_overdue",
                    _("The %(tool)s review was due on %(date)s: reassess the risk.")
                    % {
                        "tool": assessment.tool_name,
                        "date": assessment.review_due.strftime("%d %B %Y"),
                    },
                    tool_code=assessment.tool_code,
                )
            )

    if any(a.level == "high" for a in current) and not has_safety_plan:
        prompts.append(
            RiskPrompt(
                "safety_plan", _("The risk is high: a safety plan is needed for the victim.")
            )
        )
    return prompts


def suggested_level(*, yes_count: int, medium_from: int | None, high_from: int | None) -> str:
    """What the count alone would suggest. Never stored as the level: the officer decides."""
    if high_from is not None and yes_count >= high_from:
        return "high"
    if medium_from is not None and yes_count >= medium_from:
        return "medium"
    return ""
