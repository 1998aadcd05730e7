"""Closing a case, and what must be settled first.

"Living in fear" (HMIC/HMCPSI 2017) found stalking cases closed with safety work still open and
the victim never told. So closing lists everything still open on the case (actions, Victims' Code
duties, alerts about a suspect with other victims, referrals to partner agencies), and each one
must be settled first or carried over with a reason that is kept on the timeline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.cases.models import ActionStatus, Case, CaseOutcome, CaseStatus, TimelineKind
from vigil.cases.rules import close_refusal
from vigil.cases.selectors import case_link_records
from vigil.cases.services import CaseError, key_decision_duty_add, timeline_add
from vigil.cases.versions import case_lock, version_bump
from vigil.linking.models import Alert, AlertStatus
from vigil.risk.judgements import reason_problem


@dataclass(frozen=True)
class OpenItem:
    """Something still open on a case that closing would otherwise leave behind."""

    key: str  # "<kind>:<pk>": what a carry-over reason is given for
    kind: str
    label: str
    resolve_url: str

    @property
    def field_name(self) -> str:
        return "carry_" + self.key.replace(":", "_").replace("-", "")


# Apps above cases (safety measures in vigil.safeguarding) add their open items here: cases
# cannot import them. `items(case)` lists them; `carried_over(case, reasons, by)`, called in the
# closing transaction, records each carried-over item's reason (keyed by OpenItem.key) at home.
OpenItemsSource = Callable[[Case], list[OpenItem]]
CarriedOver = Callable[[Case, Mapping[str, str], User], None]


@dataclass(frozen=True)
class _Source:
    items: OpenItemsSource
    carried_over: CarriedOver | None


_SOURCES: list[_Source] = []


def open_items_source_register(
    items: OpenItemsSource, carried_over: CarriedOver | None = None
) -> None:
    source = _Source(items, carried_over)
    if source not in _SOURCES:
        _SOURCES.append(source)


def open_items(*, case: Case) -> list[OpenItem]:
    """Everything on the case that must be settled, or carried over, before it is closed."""
    items = [
        OpenItem(
            key=f"action:{action.pk}",
            kind="action",
            label=_("Action to do: %(title)s") % {"title": action.title},
            resolve_url=reverse("cases:actions", args=[case.pk]),
        )
        for action in case.actions.filter(status=ActionStatus.OPEN).order_by("created_at")
    ]
    items += [
        OpenItem(
            key=f"duty:{duty.pk}",
            kind="duty",
            label=_("Victims' Code duty due %(due)s: %(what)s")
            % {
                "due": duty.due_on.strftime("%d/%m/%Y"),
                "what": duty.description or duty.get_kind_display(),
            },
            resolve_url=reverse("cases:duties", args=[case.pk]),
        )
        for duty in case.duties.filter(done_at__isnull=True).order_by("due_on", "created_at")
    ]
    persons = {record.person_id for record in case_link_records(case=case)}
    alerts = Alert.objects.filter(person_id__in=persons, status=AlertStatus.OPEN)
    items += [
        OpenItem(
            key=f"alert:{alert.pk}",
            kind="alert",
            label=_("Alert to review: a suspect on this case is linked to %(n)d victims")
            % {"n": alert.victim_count},
            resolve_url=reverse("linking:alert", args=[alert.pk]),
        )
        for alert in alerts.order_by("created_at")
    ]
    for source in _SOURCES:
        items += source.items(case)
    return items


@write_service
def case_close(
    *,
    case: Case,
    outcome: str,
    reason: str,
    by: User,
    carry_over: Mapping[str, str] | None = None,
    version: int | None = None,
) -> Case:
    """Close the case. `carry_over` gives, for each open item's key, why it may stay open.

    Raises CaseError: a message for the whole form, or one per open item without a reason
    (keyed by the item's field name, so the form shows each beside its item).
    """
    case = case_lock(case=case, version=version)
    if not case.is_open:
        raise CaseError(_("The case is already closed."))
    refusal = close_refusal(by, case)
    if refusal:
        raise CaseError(refusal)
    if outcome not in CaseOutcome.values:
        raise CaseError(_("Choose an outcome."))
    if not reason.strip():
        raise CaseError(_("Give the reason for closing the case."))
    given = carry_over or {}
    items = open_items(case=case)
    problems: dict[str, str] = {}
    for item in items:
        problem = reason_problem(given.get(item.key, ""))
        if problem:
            problems[item.field_name] = _(
                "Settle this first, or say why it can stay open after the case closes. %(problem)s"
            ) % {"problem": problem}
    if problems:
        raise CaseError(problems)

    case.status = CaseStatus.CLOSED
    case.outcome = outcome
    case.outcome_reason = reason
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "outcome", "outcome_reason", "closed_at", "updated_at"])
    timeline_add(
        case=case,
        kind=TimelineKind.DECISION,
        title=_("Case closed: %(outcome)s") % {"outcome": case.get_outcome_display()},
        detail=reason,
        actor=by,
    )
    for item in items:
        timeline_add(
            case=case,
            kind=TimelineKind.DECISION,
            title=_("Left open when the case closed: %(item)s") % {"item": item.label},
            detail=given[item.key].strip(),
            actor=by,
        )
    reasons = {item.key: given[item.key].strip() for item in items}
    for source in _SOURCES:
        if source.carried_over is not None:
            source.carried_over(case, reasons, by)
    key_decision_duty_add(case=case, description=_("Tell the victim the case is closed, and why"))
    audit_record(
        action="case.close",
        actor=by,
        target=case,
        summary={"outcome": outcome, "carried_over": [item.key for item in items]},
    )
    version_bump(case)
    return case
