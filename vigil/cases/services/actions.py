"""Actions on a case: single actions, checklists and their status.

Each write is one transaction that records its audit row and timeline line.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.cases.models import (
    ActionStatus,
    Case,
    CaseAction,
    ChecklistTemplate,
    TimelineKind,
)
from vigil.cases.services.timeline import timeline_add


@write_service
def action_add(
    *, case: Case, title: str, owner: User | None, due_on: datetime.date | None, by: User
) -> CaseAction:
    action = CaseAction.objects.create(
        case=case, title=title, owner=owner, due_on=due_on, created_by=by
    )
    timeline_add(
        case=case, kind=TimelineKind.ACTION, title=_("Action: %(t)s") % {"t": title}, actor=by
    )
    audit_record(
        action="case.action.add", actor=by, target=case, summary={"action": str(action.pk)}
    )
    return action


@write_service
def checklist_apply(*, case: Case, template: ChecklistTemplate, by: User) -> list[CaseAction]:
    today = timezone.localdate()
    existing = set(case.actions.values_list("title", flat=True))
    actions = [
        CaseAction(
            case=case,
            title=item.title,
            owner=case.officer,
            due_on=today + datetime.timedelta(days=item.due_in_days),
            created_by=by,
            done_by_tool=item.done_by_tool,
        )
        for item in template.items.all()
        if item.title not in existing
    ]
    CaseAction.objects.bulk_create(actions)
    timeline_add(
        case=case,
        kind=TimelineKind.ACTION,
        title=_("Checklist added: %(name)s") % {"name": template.name},
        actor=by,
    )
    audit_record(
        action="case.checklist", actor=by, target=case, summary={"template": template.code}
    )
    return actions


@write_service
def action_set_status(*, action: CaseAction, status: str, by: User | None) -> CaseAction:
    """`by` is None when the system settles it (a message that reached the victim)."""
    action.status = status
    action.completed_at = timezone.now() if status != ActionStatus.OPEN else None
    action.save(update_fields=["status", "completed_at", "updated_at"])
    timeline_add(
        case=action.case,
        kind=TimelineKind.ACTION,
        title=_("Action %(status)s: %(t)s")
        % {"status": action.get_status_display().lower(), "t": action.title},
        actor=by,
    )
    audit_record(
        action="case.action.status",
        actor=by,
        target=action.case,
        summary={"action": str(action.pk), "status": status},
    )
    return action


def actions_done_by_tool(*, case: Case, tool_code: str, by: User) -> list[CaseAction]:
    """A risk tool was completed on the case: its checklist actions are done (inside the
    caller's transaction, with a timeline line each, as if ticked by hand)."""
    open_actions = case.actions.filter(status=ActionStatus.OPEN, done_by_tool=tool_code)
    return [
        action_set_status.as_step(action=action, status=ActionStatus.DONE, by=by)
        for action in open_actions.select_for_update()
    ]
