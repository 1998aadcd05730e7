"""Writes for the victim safety tools. Each is one transaction with its audit row; messages go
through the outbox, and timers through deferred tasks that check a version before acting."""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import secrets
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.audit.services import audit_record
from vigil.audit.write_service import audited_transaction, write_service
from vigil.common import deferred
from vigil.common.urls import absolute_url
from vigil.notifications.models import Channel
from vigil.notifications.services import outbox_enqueue

# The report's own upload checks, per-address limit and encrypted storage: one rule for every
# file a victim sends.
from vigil.reporting.api import evidence_read, upload_accept
from vigil.reporting.models import Report, ReporterType
from vigil.safety.case_link import case_link
from vigil.safety.models import (
    AlertReason,
    CheckInTimer,
    DiaryEntry,
    DiaryFile,
    ReminderChannel,
    SafetyAlert,
    SharedLocation,
    TimerStatus,
    TrustedContact,
)

logger = logging.getLogger(__name__)

REMINDER_TASK = "vigil.safety.tasks.timer_reminder_task"
ALERT_TASK = "vigil.safety.tasks.timer_alert_task"


class SafetyError(ValidationError):
    """Something the victim can put right; the message says how."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def timer_unit() -> datetime.timedelta:
    """One "minute" of a check-in timer. Only tests shorten it."""
    return datetime.timedelta(seconds=settings.SAFETY_TIMER_UNIT_SECONDS)


# --- Trusted contacts -------------------------------------------------------------------------


@write_service
def contact_add(
    *, report: Report, name: str, email: str, phone: str, known_as: str, site_url: str
) -> TrustedContact:
    """Add a contact and ask them, through the link we send, whether they agree to it."""
    if not email and not phone:
        raise SafetyError(_("Enter an email address or a mobile number for your contact"))
    limit = settings.SAFETY_MAX_CONTACTS
    if TrustedContact.objects.filter(report=report).count() >= limit:
        raise SafetyError(
            _("You can have up to %(n)s trusted contacts. Remove one to add another.")
            % {"n": limit}
        )
    token = secrets.token_urlsafe(32)
    contact = TrustedContact.objects.create(
        report=report,
        name=name,
        email=email,
        phone=phone,
        known_as=known_as,
        token_hash=token_hash(token),
    )
    link = site_url.rstrip("/") + reverse("safety:contact_confirm", kwargs={"token": token})
    body = _(
        "%(known_as)s would like you to be one of their trusted contacts.\n\n"
        "If you agree, we will message you if they set a check-in timer and do not check in, "
        "or if they ask us to alert you.\n\n"
        "To agree, or to say no, open this link: %(link)s\n\n"
        "If you do not know who this is, you can ignore this message.\n\n%(sender)s"
    ) % {
        "known_as": known_as,
        "link": link,
        # Signed as the victim allowed: the contact may live with, or know, the person they fear.
        "sender": report.tracker_prefs.sender_name(),
    }
    for channel, recipient in _addresses(contact):
        outbox_enqueue(
            channel=channel,
            recipient=recipient,
            subject=_("%(known_as)s asked you to be a trusted contact") % {"known_as": known_as},
            body=body,
            purpose="safety.contact_invite",
            idempotency_key=f"safety-invite-{contact.pk}-{channel}",
        )
    audit_record(action="safety.contact.add", target=report, summary={"contact": str(contact.pk)})
    return contact


def _addresses(contact: TrustedContact) -> list[tuple[str, str]]:
    addresses = []
    if contact.email:
        addresses.append((Channel.EMAIL.value, contact.email))
    if contact.phone:
        addresses.append((Channel.SMS.value, contact.phone))
    return addresses


@write_service
def contact_confirm(*, token: str) -> TrustedContact:
    contact = (
        TrustedContact.objects.select_for_update().filter(token_hash=token_hash(token)).first()
    )
    if contact is None:
        raise SafetyError(_("This link does not work. It may have been removed."))
    if contact.confirmed_at is None:
        contact.confirmed_at = timezone.now()
        contact.declined_at = None  # they changed their mind
        contact.save(update_fields=["confirmed_at", "declined_at", "updated_at"])
        audit_record(
            action="safety.contact.confirm",
            target=contact.report,
            summary={"contact": str(contact.pk)},
        )
    return contact


@write_service
def contact_decline(*, token: str) -> TrustedContact:
    """The person asked says no (or, having agreed, no longer wants to be one): from now on
    they get no alert, and the victim sees on her list that they said no."""
    contact = (
        TrustedContact.objects.select_for_update().filter(token_hash=token_hash(token)).first()
    )
    if contact is None:
        raise SafetyError(_("This link does not work. It may have been removed."))
    if contact.declined_at is None:
        contact.declined_at = timezone.now()
        contact.confirmed_at = None
        contact.save(update_fields=["confirmed_at", "declined_at", "updated_at"])
        audit_record(
            action="safety.contact.decline",
            target=contact.report,
            summary={"contact": str(contact.pk)},
        )
    return contact


@write_service
def contact_remove(*, contact: TrustedContact) -> None:
    """Gone at once: a removed contact's link stops working and they are told nothing more.
    The victim may put them back for SAFETY_UNDO_MINUTES (contact_restore); the sweep then
    deletes the row for good."""
    TrustedContact.objects.filter(pk=contact.pk).update(
        removed_at=timezone.now(), updated_at=timezone.now()
    )
    audit_record(
        action="safety.contact.remove", target=contact.report, summary={"contact": str(contact.pk)}
    )


def _undo_since() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.SAFETY_UNDO_MINUTES)


def contact_restorable(*, report: Report, contact_id: Any) -> TrustedContact | None:
    """A contact she removed a moment ago, that "Undo" can still put back."""
    try:
        return TrustedContact.all_objects.filter(
            report=report, pk=contact_id, removed_at__gte=_undo_since()
        ).first()
    except ValidationError:  # not an id at all
        return None


@write_service
def contact_restore(*, report: Report, contact_id: Any) -> TrustedContact:
    contact = contact_restorable(report=report, contact_id=contact_id)
    if contact is None:
        raise SafetyError(_("It is too late to undo this. Add them again instead."))
    contact.removed_at = None
    contact.save(update_fields=["removed_at", "updated_at"])
    audit_record(
        action="safety.contact.restore", target=report, summary={"contact": str(contact.pk)}
    )
    return contact


# --- Check-in timers ----------------------------------------------------------------------------


def _victim_address(report: Report, channel: str) -> str:
    """The signed-in person's own email or mobile, only if they marked that channel safe."""
    channels = report.tracker_prefs.channels
    person = report.victim if report.reporter_type == ReporterType.VICTIM else report.reporter
    person = person or report.victim
    if channel == ReminderChannel.EMAIL and "email" in channels:
        return str(person.get("email", ""))
    if channel == ReminderChannel.SMS and "text" in channels:
        return str(person.get("phone", ""))
    return ""


def safe_reminder_channels(report: Report) -> list[str]:
    return [c for c in (ReminderChannel.SMS, ReminderChannel.EMAIL) if _victim_address(report, c)]


def _reminder_at(*, due_at: datetime.datetime, channel: str) -> datetime.datetime | None:
    """The reminder goes this long before the end; none for a timer too short for one."""
    if not channel:
        return None
    at = due_at - settings.SAFETY_REMINDER_BEFORE * timer_unit()
    return at if at > timezone.now() else None


def _schedule(timer: CheckInTimer) -> None:
    """Queue the reminder and the alert for this version of the timer, after commit."""
    timer_id, version, due_at, remind_at = (
        str(timer.pk),
        timer.version,
        timer.due_at,
        timer.remind_at,
    )

    def enqueue() -> None:
        if remind_at is not None:
            deferred.enqueue(REMINDER_TASK, timer_id, version, run_after=remind_at)
        deferred.enqueue(ALERT_TASK, timer_id, version, run_after=due_at)

    transaction.on_commit(enqueue)


def running_timer(report: Report) -> CheckInTimer | None:
    return CheckInTimer.objects.filter(report=report, status=TimerStatus.RUNNING).first()


@write_service
def timer_start(
    *, report: Report, plan: str, minutes: int, reminder_channel: str, alert_officer: bool
) -> CheckInTimer:
    if running_timer(report) is not None:
        raise SafetyError(_("You already have a timer running. Stop or extend it instead."))
    if not 1 <= minutes <= settings.SAFETY_TIMER_MAX_MINUTES:
        raise SafetyError(
            _("Choose between 1 and %(n)s minutes") % {"n": settings.SAFETY_TIMER_MAX_MINUTES}
        )
    if reminder_channel and reminder_channel not in safe_reminder_channels(report):
        raise SafetyError(_("Choose a way to remind you that you told us is safe"))
    due_at = timezone.now() + minutes * timer_unit()
    timer = CheckInTimer.objects.create(
        report=report,
        plan=plan,
        due_at=due_at,
        remind_at=_reminder_at(due_at=due_at, channel=reminder_channel),
        reminder_channel=reminder_channel,
        alert_officer=alert_officer,
    )
    audit_record(action="safety.timer.start", target=report, summary={"timer": str(timer.pk)})
    _schedule(timer)
    return timer


def timer_keeps_signed_in_until(report_id: str) -> datetime.datetime | None:
    """While a check-in timer runs, the report's "track my report" sign-in does not end for
    idleness (reporting.tracking asks this): saying "I am safe" must never need the reference
    and secret again. Not forever: until the timer is due, and the usual idle time after, so
    she can see what happened when it ended."""
    due = (
        CheckInTimer.objects.filter(report_id=report_id, status=TimerStatus.RUNNING)
        .order_by("-due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    if due is None:
        return None
    return due + datetime.timedelta(minutes=settings.REPORT_TRACK_IDLE_MINUTES)


def _locked(timer: CheckInTimer) -> CheckInTimer:
    return CheckInTimer.objects.select_for_update().get(pk=timer.pk)


@write_service
def timer_extend(*, timer: CheckInTimer, minutes: int) -> CheckInTimer:
    """Move the end later. Tasks already queued for the old end see the new version and stop."""
    timer = _locked(timer)
    if not timer.is_running:
        raise SafetyError(_("This timer has already ended"))
    if not 1 <= minutes <= settings.SAFETY_TIMER_MAX_MINUTES:
        raise SafetyError(
            _("Choose between 1 and %(n)s minutes") % {"n": settings.SAFETY_TIMER_MAX_MINUTES}
        )
    timer.due_at = max(timer.due_at, timezone.now()) + minutes * timer_unit()
    timer.remind_at = _reminder_at(due_at=timer.due_at, channel=timer.reminder_channel)
    timer.version += 1
    timer.save(update_fields=["due_at", "remind_at", "version", "updated_at"])
    audit_record(action="safety.timer.extend", target=timer.report, summary={"minutes": minutes})
    _schedule(timer)
    return timer


@write_service
def timer_cancel(*, timer: CheckInTimer) -> CheckInTimer:
    """ "I'm safe": nothing more is sent for this timer."""
    timer = _locked(timer)
    if timer.is_running:
        timer.status = TimerStatus.CANCELLED
        timer.version += 1
        timer.ended_at = timezone.now()
        timer.save(update_fields=["status", "version", "ended_at", "updated_at"])
        audit_record(action="safety.timer.cancel", target=timer.report)
    return timer


_STOP_SALT = "vigil.safety.timer-stop"


def timer_stop_token(timer: CheckInTimer) -> str:
    """The one-time "I am safe" link in a reminder. Signed with the timer and its version: any
    stop, extension or alert moves the version on, so the link works once and only for the
    timer as the reminder described it. It stops a timer and does nothing else, so it needs
    no sign-in: a victim signed out by then is never locked out of stopping it."""
    return signing.dumps({"t": str(timer.pk), "v": timer.version}, salt=_STOP_SALT, compress=True)


@write_service
def timer_stop_by_link(*, token: str) -> CheckInTimer:
    """Stop the timer a reminder's link names. Raises SafetyError when the link is not good."""
    refused = SafetyError(_("This link has already been used or has run out."))
    try:
        payload = signing.loads(token, salt=_STOP_SALT, max_age=datetime.timedelta(days=1))
        timer = CheckInTimer.objects.filter(pk=payload["t"]).first()
    except (signing.BadSignature, KeyError, TypeError, ValidationError, ValueError):
        raise refused from None
    if timer is None or not timer.is_running or timer.version != payload.get("v"):
        raise refused
    timer = timer_cancel.as_step(timer=timer)
    audit_record(action="safety.timer.stop_by_link", target=timer.report)
    return timer


def _reminder_body(timer: CheckInTimer) -> str:
    """The reminder. Its stop link needs no sign-in, so it goes only where nobody else reads the
    victim's messages: in a shared inbox, whoever reads it could stop her alert."""
    prefs = timer.report.tracker_prefs
    values = {
        "time": timezone.localtime(timer.due_at).strftime("%H:%M"),
        "sender": prefs.sender_name(),
    }
    if not prefs.may_carry_reference:
        return (
            _(
                "Your check-in timer ends at %(time)s. If you are safe, stop it on the site.\n\n"
                "If you do nothing, we will alert the people you chose.\n\n"
                "If you are in danger now, call 999.\n\n%(sender)s"
            )
            % values
        )
    return _(
        "Your check-in timer ends at %(time)s. If you are safe, stop it here (no need to "
        "sign in): %(link)s\n\nIf you do nothing, we will alert the people you chose.\n\n"
        "If you are in danger now, call 999.\n\n%(sender)s"
    ) % {**values, "link": absolute_url("safety:timer_stop_link", timer_stop_token(timer))}


@write_service
def timer_remind(*, timer_id: Any, version: int) -> bool:
    """Send the reminder if this timer, at this version, is still running and the reminder is
    due; once per version, however often the task runs."""
    timer = CheckInTimer.objects.select_for_update().filter(pk=timer_id).first()
    if timer is None or not timer.is_running or timer.version != version:
        return False
    if timer.remind_at is None or timer.reminder_sent_version == version:
        return False
    if timezone.now() < timer.remind_at:
        return False
    recipient = _victim_address(timer.report, timer.reminder_channel)
    if not recipient:
        return False
    timer.reminder_sent_version = version
    timer.save(update_fields=["reminder_sent_version", "updated_at"])
    outbox_enqueue(
        channel=timer.reminder_channel,
        recipient=recipient,
        subject=_("Your check-in timer is nearly up"),
        body=_reminder_body(timer),
        purpose="safety.timer_reminder",
        idempotency_key=f"safety-reminder-{timer.pk}-{version}",
        contact=timer.report.tracker_contact,
    )
    audit_record(action="safety.timer.remind", target=timer.report, summary={"v": version})
    return True


@write_service
def timer_expire(*, timer_id: Any, version: int) -> SafetyAlert | None:
    """The timer ran out without a check-in: alert, once, unless it moved on since queued."""
    timer = CheckInTimer.objects.select_for_update().filter(pk=timer_id).first()
    if timer is None or not timer.is_running or timer.version != version:
        return None
    if timezone.now() < timer.due_at:
        _schedule(timer)  # ran early (clock drift): try again at the end
        return None
    timer.status = TimerStatus.ALERTED
    timer.version += 1
    timer.ended_at = timezone.now()
    timer.save(update_fields=["status", "version", "ended_at", "updated_at"])
    return _alert(
        report=timer.report,
        reason=AlertReason.MISSED_CHECK_IN,
        message=timer.plan,
        to_officer=timer.alert_officer,
        timer=timer,
    )


@write_service
def alert_send_now(*, report: Report, message: str, to_officer: bool) -> SafetyAlert:
    """ "Send alert now": the same alert at once; a running timer ends with it."""
    timer = running_timer(report)
    if timer is not None:
        timer = _locked(timer)
        timer.status = TimerStatus.ALERTED
        timer.version += 1
        timer.ended_at = timezone.now()
        timer.save(update_fields=["status", "version", "ended_at", "updated_at"])
        message = message or timer.plan
        to_officer = to_officer or timer.alert_officer
    return _alert(
        report=report,
        reason=AlertReason.SENT_NOW,
        message=message,
        to_officer=to_officer,
        timer=timer,
    )


@write_service
def location_share(*, report: Report, place: str, from_device: bool) -> SharedLocation:
    location = SharedLocation.objects.create(report=report, place=place, from_device=from_device)
    audit_record(
        action="safety.location.share", target=report, summary={"from_device": from_device}
    )
    return location


def last_location(report: Report) -> SharedLocation | None:
    return SharedLocation.objects.filter(report=report).first()


def _alert(
    *,
    report: Report,
    reason: str,
    message: str,
    to_officer: bool,
    timer: CheckInTimer | None,
) -> SafetyAlert:
    location = last_location(report)
    alert = SafetyAlert.objects.create(
        report=report,
        timer=timer,
        reason=reason,
        message=message,
        place=location.place if location else "",
        place_shared_at=location.created_at if location else None,
        to_officer=to_officer,
    )
    contacts = list(TrustedContact.objects.filter(report=report, confirmed_at__isnull=False))
    for contact in contacts:
        body = _alert_text(alert, known_as=contact.known_as)
        for channel, recipient in _addresses(contact):
            outbox_enqueue(
                channel=channel,
                recipient=recipient,
                subject=_("%(known_as)s may need you to check on them")
                % {"known_as": contact.known_as},
                body=body,
                purpose="safety.alert",
                idempotency_key=f"safety-alert-{alert.pk}-{contact.pk}-{channel}",
            )
    alert.contacts_told = len(contacts)
    alert.save(update_fields=["contacts_told", "updated_at"])
    if to_officer:
        case = case_for_report(report)
        if case is not None:
            _alert_to_case(alert, case)
    audit_record(
        action="safety.alert",
        target=report,
        summary={"alert": str(alert.pk), "reason": reason, "contacts": len(contacts)},
    )
    return alert


_COORDINATES = re.compile(r"\s*(-?[0-9]{1,2}\.[0-9]+),\s*(-?[0-9]{1,3}\.[0-9]+)\b")


def place_coordinates(place: str) -> tuple[float, float] | None:
    """Latitude and longitude, when the place came from the device ("52.20530, 0.12180 (within
    8 m)", see safety/location.js); None for a place the victim typed."""
    match = _COORDINATES.match(place)
    if match is None:
        return None
    latitude, longitude = float(match[1]), float(match[2])
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return latitude, longitude


def place_link(latitude: float, longitude: float) -> str:
    """Our own map page (no third-party map is loaded by it; see views.place)."""
    query = urlencode({"lat": f"{latitude:.5f}", "lon": f"{longitude:.5f}"})
    return f"{absolute_url('safety:place')}?{query}"


def _alert_text(alert: SafetyAlert, *, known_as: str) -> str:
    """Only what the victim chose to share: their own words and the place they gave."""
    if alert.reason == AlertReason.MISSED_CHECK_IN:
        opening = _("%(known_as)s set a check-in timer and has not checked in.")
    else:
        opening = _("%(known_as)s has asked us to alert you now.")
    lines = [opening % {"known_as": known_as}]
    if alert.message:
        lines.append(_("Their message: %(message)s") % {"message": alert.message})
    if alert.place and alert.place_shared_at:
        lines.append(
            _("The last place they shared, at %(time)s: %(place)s")
            % {
                "time": timezone.localtime(alert.place_shared_at).strftime("%H:%M"),
                "place": alert.place,
            }
        )
        point = place_coordinates(alert.place)
        if point is not None:
            lines.append(_("See it on a map: %(link)s") % {"link": place_link(*point)})
    lines.append(_("Please try to contact them. If you think they are in danger, call 999."))
    lines.append(alert.report.tracker_prefs.sender_name())
    return "\n\n".join(str(line) for line in lines)


# --- The link to case management ------------------------------------------------------------


def case_for_report(report: Report) -> Any:
    """The case this report became at triage (or the case its victim was added to), if any."""
    link = case_link()
    return link.case_for_report(report) if link is not None else None


def _alert_to_case(alert: SafetyAlert, case: Any) -> None:
    link = case_link()
    if link is None:
        return
    alert.case = case
    alert.save(update_fields=["case", "updated_at"])
    link.alert_to_case(alert, case)
    # The victim's alert now sits on a case staff read: on record, like a shared diary entry.
    audit_record(action="safety.alert.to_case", target=case, summary={"alert": str(alert.pk)})


def _diary_apply(entry: DiaryEntry, case: Any) -> None:
    """Make a shared entry an incident on the case, with its files as evidence."""
    link = case_link()
    if link is None:
        return
    files: list[UploadedFile] = []
    for item in entry.files.select_related("file"):
        data = evidence_read(stored_path=item.stored_path)
        if hashlib.sha256(data).hexdigest() != item.sha256:
            raise RuntimeError("diary file changed between upload and share")
        files.append(SimpleUploadedFile(item.original_name, data, content_type=item.content_type))
    incident = link.diary_to_case(entry, case, files)
    if incident is None:
        return
    entry.incident = incident
    entry.save(update_fields=["incident", "updated_at"])
    audit_record(
        action="safety.diary.to_incident",
        target=case,
        summary={"entry": str(entry.pk), "incident": str(incident.pk)},
    )


@write_service
def pending_shares_apply(*, report: Report) -> int:
    """Once the report has a case: shared diary entries become incidents, and alerts meant for
    the officer reach the case. Called at triage and by the sweep; safe to call again."""
    case = case_for_report(report)
    if case is None:
        return 0
    applied = 0
    for entry in DiaryEntry.objects.select_for_update().filter(
        report=report, shared_at__isnull=False, incident__isnull=True
    ):
        _diary_apply(entry, case)
        applied += 1
    for alert in SafetyAlert.objects.filter(report=report, to_officer=True, case__isnull=True):
        _alert_to_case(alert, case)
        applied += 1
    return applied


# --- Diary --------------------------------------------------------------------------------------


@write_service
def diary_entry_add(
    *,
    report: Report,
    occurred_at: datetime.datetime,
    files: list[UploadedFile],
    address: str | None = None,
    **fields: str,
) -> DiaryEntry:
    entry = DiaryEntry.objects.create(report=report, occurred_at=occurred_at, **fields)
    for upload in files:
        diary_file_add.as_step(entry=entry, upload=upload, address=address)
    audit_record(action="safety.diary.add", target=report, summary={"entry": str(entry.pk)})
    return entry


@write_service
def diary_file_add(
    *, entry: DiaryEntry, upload: UploadedFile, address: str | None = None
) -> DiaryFile:
    """`address`: the client's, counted against the report's hourly upload limit per address
    (so one connection cannot fill the disk through the diary either)."""
    if entry.is_shared:
        raise SafetyError(_("This entry has been shared. Add a new entry instead."))
    already = sum(
        DiaryFile.objects.filter(entry__report=entry.report).values_list("file__size", flat=True)
    )
    accepted = upload_accept(upload, already_stored=already, address=address)
    item = DiaryFile.objects.create(entry=entry, file=accepted["file"])
    audit_record(
        action="safety.diary.file_add",
        target=entry.report,
        summary={"entry": str(entry.pk), "sha256": item.sha256, "size": item.size},
    )
    return item


@write_service
def diary_entry_update(
    *,
    entry: DiaryEntry,
    occurred_at: datetime.datetime,
    files: list[UploadedFile],
    address: str | None = None,
    **fields: str,
) -> DiaryEntry:
    """Change an entry not yet shared (a shared one is evidence, kept as the officer saw it)."""
    entry = DiaryEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.is_shared:
        raise SafetyError(_("This entry has been shared with the police and cannot be changed."))
    entry.occurred_at = occurred_at
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save()
    for upload in files:
        diary_file_add.as_step(entry=entry, upload=upload, address=address)
    audit_record(action="safety.diary.edit", target=entry.report, summary={"entry": str(entry.pk)})
    return entry


@write_service
def diary_entry_delete(*, entry: DiaryEntry) -> None:
    """Gone at once from her diary, its export and every page; "Undo" can put it back for
    SAFETY_UNDO_MINUTES (diary_entry_restore), then the sweep deletes it and its files."""
    if entry.is_shared:
        raise SafetyError(_("This entry has been shared with the police and cannot be deleted."))
    DiaryEntry.objects.filter(pk=entry.pk).update(
        deleted_at=timezone.now(), updated_at=timezone.now()
    )
    audit_record(
        action="safety.diary.delete", target=entry.report, summary={"entry": str(entry.pk)}
    )


def diary_entry_restorable(*, report: Report, entry_id: Any) -> DiaryEntry | None:
    try:
        return DiaryEntry.all_objects.filter(
            report=report, pk=entry_id, deleted_at__gte=_undo_since()
        ).first()
    except ValidationError:
        return None


@write_service
def diary_entry_restore(*, report: Report, entry_id: Any) -> DiaryEntry:
    entry = diary_entry_restorable(report=report, entry_id=entry_id)
    if entry is None:
        raise SafetyError(_("It is too late to undo this. The entry has been deleted for good."))
    entry.deleted_at = None
    entry.save(update_fields=["deleted_at", "updated_at"])
    audit_record(action="safety.diary.restore", target=report, summary={"entry": str(entry.pk)})
    return entry


def deleted_purge() -> int:
    """Entries and contacts past their undo time, deleted for good (idempotent: the sweep)."""
    since = _undo_since()
    purged = 0
    for entry in DiaryEntry.all_objects.filter(deleted_at__lt=since):
        with audited_transaction("vigil.safety.services.deleted_purge"):
            # Its files' rows release their StoredFile and file as they go.
            audit_record(
                action="safety.diary.purge", target=entry.report, summary={"entry": str(entry.pk)}
            )
            entry.delete()
        purged += 1
    purged += (
        TrustedContact.all_objects.filter(removed_at__lt=since)
        .delete()[1]
        .get(TrustedContact._meta.label, 0)
    )
    return purged


@write_service
def diary_entry_share(*, entry: DiaryEntry) -> DiaryEntry:
    """The victim chose to share this entry: it goes to the case now, or at triage."""
    entry = DiaryEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.is_shared:
        return entry
    entry.shared_at = timezone.now()
    entry.save(update_fields=["shared_at", "updated_at"])
    audit_record(action="safety.diary.share", target=entry.report, summary={"entry": str(entry.pk)})
    case = case_for_report(entry.report)
    if case is not None:
        _diary_apply(entry, case)
    return entry


# --- Recovery -----------------------------------------------------------------------------------


def safety_sweep() -> dict[str, int]:
    """Act on timers whose queued task was lost (a worker stopped, a queue was cleared), and
    apply shares that waited for a case, and delete for good what the victim deleted once its
    undo time has passed. Every step is idempotent."""
    now = timezone.now()
    counts = {"alerts": 0, "reminders": 0, "shares": 0, "purged": deleted_purge()}
    for timer in CheckInTimer.objects.filter(status=TimerStatus.RUNNING):
        if timer.due_at <= now:
            if timer_expire(timer_id=timer.pk, version=timer.version):
                counts["alerts"] += 1
        elif (
            timer.remind_at
            and timer.remind_at <= now
            and timer_remind(timer_id=timer.pk, version=timer.version)
        ):
            counts["reminders"] += 1
    report_ids = set(
        DiaryEntry.objects.filter(shared_at__isnull=False, incident__isnull=True).values_list(
            "report_id", flat=True
        )
    ) | set(
        SafetyAlert.objects.filter(to_officer=True, case__isnull=True).values_list(
            "report_id", flat=True
        )
    )
    for report in Report.objects.filter(pk__in=report_ids):
        try:
            counts["shares"] += pending_shares_apply(report=report)
        except Exception:  # one bad report must not stop the others
            logger.exception("could not apply shares for report %s", report.pk)
    return counts
