"""Multi-agency meetings (MARAC, stalking clinic): the list of cases, who came from which
agency, what each agency brought, the actions agreed, the minutes and the next review.

The coordinator and supervisors run meetings. An officer may put their own case on a meeting's
list (from the risk prompts: 14+ DASH yes answers, escalation, or their judgement).
"""

from __future__ import annotations

import datetime
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import Agency, User
from vigil.audit.services import audit_denied, audit_record
from vigil.audit.write_service import write_service
from vigil.cases.models import Case, TimelineKind
from vigil.cases.querysets import CHANGE, VIEW
from vigil.cases.services import timeline_add
from vigil.safeguarding.models import (
    Meeting,
    MeetingAction,
    MeetingAttendee,
    MeetingCase,
    MeetingInformation,
    MeetingKind,
    MeetingStatus,
    ReferralReason,
)
from vigil.safeguarding.plans import SafeguardingError
from vigil.safeguarding.querysets import runs_meetings


def _must_run(by: User) -> None:
    if not runs_meetings(by):
        raise SafeguardingError(_("Only the stalking coordinator or a supervisor can do this."))


def _must_be_open(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise SafeguardingError(_("This meeting was cancelled."))


@write_service
def meeting_create(*, kind: str, held_on: datetime.date, place: str, by: User) -> Meeting:
    _must_run(by)
    if kind not in MeetingKind.values:
        raise SafeguardingError({"kind": _("Choose the kind of meeting.")})
    meeting = Meeting.objects.create(kind=kind, held_on=held_on, place=place.strip(), created_by=by)
    audit_record(action="safeguarding.meeting.create", actor=by, target=meeting)
    return meeting


@write_service
def meeting_case_add(
    *, meeting: Meeting, case: Case, reason: str, note: str, by: User
) -> MeetingCase:
    """Put a case on the meeting's list. The caller has checked `by` may change the case."""
    _must_be_open(meeting)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise SafeguardingError({"meeting": _("This meeting has been held: choose a later one.")})
    if reason not in ReferralReason.values:
        raise SafeguardingError({"reason": _("Choose why the case is referred.")})
    if not case.is_open:
        raise SafeguardingError(_("The case is closed."))
    if MeetingCase.objects.filter(meeting=meeting, case=case).exists():
        raise SafeguardingError({"meeting": _("The case is already on this meeting's list.")})
    entry = MeetingCase.objects.create(
        meeting=meeting, case=case, reason=reason, note=note.strip(), referred_by=by
    )
    timeline_add(
        case=case,
        kind=TimelineKind.SAFEGUARDING,
        title=_("Referred to %(meeting)s on %(date)s: %(reason)s")
        % {
            "meeting": meeting.short_name,
            "date": meeting.held_on.strftime("%d/%m/%Y"),
            "reason": entry.get_reason_display(),
        },
        detail=entry.note,
        actor=by,
    )
    audit_record(
        action="safeguarding.meeting.case_add",
        actor=by,
        target=entry,
        summary={"meeting": str(meeting.pk), "case": str(case.pk), "reason": reason},
    )
    return entry


@write_service
def meeting_attendee_add(
    *, meeting: Meeting, agency: Agency, name: str, job: str, by: User
) -> MeetingAttendee:
    _must_run(by)
    _must_be_open(meeting)
    if not name.strip():
        raise SafeguardingError({"name": _("Enter the name of the person attending.")})
    attendee = MeetingAttendee.objects.create(
        meeting=meeting, agency=agency, name=name.strip(), job=job.strip()
    )
    audit_record(
        action="safeguarding.meeting.attendee_add",
        actor=by,
        target=meeting,
        summary={"agency": str(agency.pk)},
    )
    return attendee


@write_service
def meeting_information_add(
    *, entry: MeetingCase, agency: Agency, summary: str, by: User
) -> MeetingInformation:
    _must_run(by)
    _must_be_open(entry.meeting)
    if not summary.strip():
        raise SafeguardingError({"summary": _("Enter what the agency told the meeting.")})
    information = MeetingInformation.objects.create(
        entry=entry, agency=agency, summary=summary.strip(), recorded_by=by
    )
    timeline_add(
        case=entry.case,
        kind=TimelineKind.SAFEGUARDING,
        title=_("%(meeting)s: information from %(agency)s recorded")
        % {"meeting": entry.meeting.short_name, "agency": agency.name},
        actor=by,
    )
    audit_record(
        action="safeguarding.meeting.information_add",
        actor=by,
        target=information,
        summary={"case": str(entry.case_id), "agency": str(agency.pk)},
    )
    return information


@write_service
def meeting_action_add(
    *,
    entry: MeetingCase,
    title: str,
    owner_agency: Agency | None,
    owner_user: User | None,
    due_on: datetime.date | None,
    by: User,
) -> MeetingAction:
    _must_run(by)
    _must_be_open(entry.meeting)
    if not title.strip():
        raise SafeguardingError({"title": _("Enter the action agreed.")})
    if (owner_agency is None) == (owner_user is None):
        raise SafeguardingError(
            {"owner": _("Choose who owns the action: one agency or one officer.")}
        )
    action = MeetingAction.objects.create(
        entry=entry,
        title=title.strip(),
        owner_agency=owner_agency,
        owner_user=owner_user,
        due_on=due_on,
        created_by=by,
    )
    timeline_add(
        case=entry.case,
        kind=TimelineKind.SAFEGUARDING,
        title=_("%(meeting)s action for %(owner)s: %(title)s")
        % {"meeting": entry.meeting.short_name, "owner": action.owner_label, "title": action.title},
        actor=by,
    )
    audit_record(
        action="safeguarding.meeting.action_add",
        actor=by,
        target=action,
        summary={"case": str(entry.case_id)},
    )
    return action


@write_service
def meeting_minutes_record(
    *, meeting: Meeting, minutes: str, next_review_on: datetime.date | None, by: User
) -> Meeting:
    """The meeting took place: its minutes and the date the cases come back."""
    _must_run(by)
    _must_be_open(meeting)
    if not minutes.strip():
        raise SafeguardingError({"minutes": _("Enter the minutes of the meeting.")})
    if next_review_on is not None and next_review_on <= meeting.held_on:
        raise SafeguardingError(
            {"next_review_on": _("The next review must be after the meeting date.")}
        )
    meeting.minutes = minutes.strip()
    meeting.next_review_on = next_review_on
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["minutes", "next_review_on", "status", "updated_at"])
    audit_record(action="safeguarding.meeting.minutes", actor=by, target=meeting)
    return meeting


# --- reads --------------------------------------------------------------------------------


def meeting_list(*, user: User) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(user, VIEW).order_by("-held_on")


def meeting_get(*, user: User, meeting_id: UUID, change: bool = False) -> Meeting:
    """The meeting if `user` may see (or run) it; else 404, audited as denied."""
    action = CHANGE if change else VIEW
    meeting = Meeting.objects.visible_to(user, action).filter(pk=meeting_id).first()
    if meeting is None:
        audit_denied(
            actor=user, target_type="safeguarding.meeting", target_id=meeting_id, action=action
        )
        raise Http404
    return meeting


def meeting_view(*, user: User, meeting_id: UUID) -> Meeting:
    """The meeting to show, its reading audited with the cases on it this user sees."""
    meeting = meeting_get(user=user, meeting_id=meeting_id)
    shown = meeting_agenda(meeting=meeting, user=user).values_list("case_id", flat=True)
    audit_record(
        action="safeguarding.meeting.view",
        actor=user,
        target=meeting,
        summary={"cases": [str(pk) for pk in shown]},
    )
    return meeting


def meeting_agenda(*, meeting: Meeting, user: User) -> QuerySet[MeetingCase]:
    """The cases on the list that `user` may see: a MARAC list names other victims."""
    return (
        meeting.agenda.filter(case__in=Case.objects.visible_to(user, VIEW).values("pk"))
        .select_related("case", "referred_by")
        .prefetch_related("information__agency", "actions__owner_agency", "actions__owner_user")
    )


def meeting_entry_get(*, meeting: Meeting, user: User, entry_id: UUID) -> MeetingCase:
    entry = meeting_agenda(meeting=meeting, user=user).filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    return entry


def upcoming_meetings(*, kind: str | None = None) -> QuerySet[Meeting]:
    found = Meeting.objects.filter(
        status=MeetingStatus.SCHEDULED, held_on__gte=timezone.localdate()
    ).order_by("held_on")
    return found.filter(kind=kind) if kind else found


def case_meetings(*, case: Case) -> QuerySet[MeetingCase]:
    return (
        MeetingCase.objects.filter(case=case)
        .select_related("meeting")
        .order_by("-meeting__held_on")
    )
