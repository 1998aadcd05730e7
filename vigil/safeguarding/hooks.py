"""How safeguarding joins the apps below it, which cannot import it (see ARCHITECTURE.md).

- A new incident or risk assessment on a case makes its plan due for review (model signals, in
  the transaction that saved them, whichever path saved them).
- Risk asks whether a case has a current plan, and offers "refer to MARAC" beside its prompts.
- Closing a case lists open measures; each must be settled or carried over with a reason.
- The coordinator's home page shows high-risk cases without a plan and meetings coming up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models.signals import post_save
from django.urls import reverse
from django.utils.translation import gettext as _

from vigil.accounts.home import HomePanel, register_home_panel
from vigil.accounts.models import Role, User
from vigil.cases.closing import OpenItem, open_items_source_register
from vigil.cases.models import Case, Incident
from vigil.cases.selectors import case_queryset
from vigil.risk.models import RiskAssessment
from vigil.risk.prompts import RiskPrompt
from vigil.risk.selectors import prompt_action_register, safety_plan_check_register
from vigil.safeguarding import meetings, plans

# Prompts from which a case goes to a meeting, and the reason given by default.
REFERRING_PROMPTS = {"marac": "marac_threshold", "escalate": "escalation"}


def on_incident_saved(
    sender: Any, instance: Incident, created: bool, raw: bool = False, **kw: Any
) -> None:
    if created and not raw:
        plans.safety_plan_review_wanted(case_id=instance.case_id, because=_("a new incident"))


def on_assessment_saved(
    sender: Any, instance: RiskAssessment, created: bool, raw: bool = False, **kw: Any
) -> None:
    if created and not raw:
        plans.safety_plan_review_wanted(
            case_id=instance.case_id, because=_("the risk was assessed again")
        )


def measure_open_items(case: Case) -> list[OpenItem]:
    url = reverse("safeguarding:plan", args=[case.pk])
    return [
        OpenItem(
            key=plans.measure_key(measure),
            kind="measure",
            label=_("Safety measure %(status)s: %(measure)s (%(owner)s)")
            % {
                "status": measure.get_status_display().lower(),
                "measure": measure.title,
                "owner": measure.owner_label,
            },
            resolve_url=url,
        )
        for measure in plans.open_measures(case)
    ]


def carry_over(case: Case, reasons: Mapping[str, str], by: User) -> None:
    plans.measures_carry_over(case, reasons, by)


def prompt_action(case: Case, prompt: RiskPrompt) -> tuple[str, str] | None:
    if prompt.code in REFERRING_PROMPTS:
        url = reverse("safeguarding:refer", args=[case.pk])
        label = _("Refer to MARAC") if prompt.code == "marac" else _("Refer to a meeting")
        return f"{url}?reason={REFERRING_PROMPTS[prompt.code]}", label
    if prompt.code == "safety_plan":
        return reverse("safeguarding:plan", args=[case.pk]), _("Make a safety plan")
    return None


def coordinator_panel(user: User) -> HomePanel | None:
    if user.role != Role.COORDINATOR:
        return None
    without = (
        plans.high_risk_open_cases()
        .filter(pk__in=case_queryset(user=user).values("pk"))
        .exclude(pk__in=plans.cases_with_current_plan().values("pk"))
        .select_related("officer")
        .order_by("opened_at")[:50]
    )
    return HomePanel(
        template="safeguarding/_home_panel.html",
        context={
            "cases_without_plan": list(without),
            "upcoming_meetings": list(meetings.upcoming_meetings()[:10]),
        },
    )


def connect() -> None:
    post_save.connect(on_incident_saved, sender=Incident, dispatch_uid="safeguarding-incident")
    post_save.connect(
        on_assessment_saved, sender=RiskAssessment, dispatch_uid="safeguarding-assessment"
    )
    safety_plan_check_register(plans.has_current_plan)
    prompt_action_register(prompt_action)
    open_items_source_register(measure_open_items, carry_over)
    register_home_panel(coordinator_panel)
