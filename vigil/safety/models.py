"""Victim safety tools: trusted contacts, check-in timers and alerts, and the evidence diary.

Everything here belongs to a report and is reached only through the "track my report" session
that proved the reference and secret. Personal data is encrypted at rest. Messages sent from
here never carry case details: only the words and the place the victim chose to share.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.common.fields import EncryptedTextField
from vigil.common.models import StoredFile, StoredFileOwner, UUIDModel
from vigil.reporting.models import Report


class _NotGone(models.Manager):
    """Rows the victim deleted are gone for every reader; only the undo (and the sweep that
    deletes them for good after SAFETY_UNDO_MINUTES) use `all_objects`."""

    gone_field = ""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(**{f"{self.gone_field}__isnull": True})


class NotRemoved(_NotGone):
    gone_field = "removed_at"


class NotDeleted(_NotGone):
    gone_field = "deleted_at"


class TrustedContact(UUIDModel):
    """Someone the victim trusts to be told when a check-in is missed.

    A contact receives nothing (no alert, no reminder) until they have opened the link we sent
    them and confirmed: this stops an alert going to a mistyped address, or to someone who never
    agreed to it.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    name = EncryptedTextField()
    email = EncryptedTextField(blank=True)
    phone = EncryptedTextField(blank=True)
    # How the contact knows the victim, used in messages instead of anything from the report.
    known_as = EncryptedTextField()
    # SHA-256 of the confirmation token: the token itself is only in the link we sent.
    token_hash = models.CharField(max_length=64, unique=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # They said no, from the same link (issue 16): they get nothing, and the victim sees it.
    declined_at = models.DateTimeField(null=True, blank=True)
    # Removed by the victim: gone at once, but she may undo it for a few minutes.
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = NotRemoved()
    all_objects = models.Manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"trusted contact {self.pk}"

    @property
    def is_declined(self) -> bool:
        return self.declined_at is not None

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class TimerStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    CANCELLED = "cancelled", _("Stopped: you checked in")
    ALERTED = "alerted", _("Alert sent")


class ReminderChannel(models.TextChoices):
    NONE = "", _("No reminder")
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class CheckInTimer(UUIDModel):
    """ "Check on me in N minutes". The reminder and the alert are deferred tasks; `version` goes
    up on every extend or cancel, so a task queued for an older version does nothing."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    plan = EncryptedTextField()
    due_at = models.DateTimeField(db_index=True)
    reminder_channel = models.CharField(
        max_length=10, choices=ReminderChannel.choices, blank=True, default=""
    )
    remind_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_version = models.PositiveIntegerField(null=True, blank=True)
    alert_officer = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=TimerStatus.choices, default=TimerStatus.RUNNING, db_index=True
    )
    version = models.PositiveIntegerField(default=1)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"timer {self.pk} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status == TimerStatus.RUNNING

    @property
    def minutes_left(self) -> int:
        seconds = (self.due_at - timezone.now()).total_seconds()
        return max(0, int(seconds + 59) // 60)


class SharedLocation(UUIDModel):
    """The last place the victim chose to share: typed, or from the browser with consent."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    place = EncryptedTextField()
    from_device = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"location {self.pk}"


class AlertReason(models.TextChoices):
    MISSED_CHECK_IN = "missed_check_in", _("Did not check in")
    SENT_NOW = "sent_now", _("Sent an alert straight away")


class SafetyAlert(UUIDModel):
    """An alert that went to trusted contacts and, where asked, to the officer's queue."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    timer = models.OneToOneField(
        CheckInTimer, on_delete=models.SET_NULL, null=True, blank=True, related_name="alert"
    )
    reason = models.CharField(max_length=20, choices=AlertReason.choices)
    message = EncryptedTextField(blank=True)
    place = EncryptedTextField(blank=True)
    place_shared_at = models.DateTimeField(null=True, blank=True)
    contacts_told = models.PositiveSmallIntegerField(default=0)
    to_officer = models.BooleanField(default=False)
    # Set when the alert reached a case (at once, or at triage if the report had none yet).
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"alert {self.pk} ({self.reason})"


class DiaryEntry(UUIDModel):
    """One entry in the victim's evidence diary, in their own words (docs/domain.md)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    occurred_at = models.DateTimeField(db_index=True)
    place = EncryptedTextField(blank=True)
    what_happened = EncryptedTextField()
    who_was_there = EncryptedTextField(blank=True)
    police_reference = EncryptedTextField(blank=True)
    impact = EncryptedTextField(blank=True)
    changes_made = EncryptedTextField(blank=True)
    impact_on_others = EncryptedTextField(blank=True)
    # The victim chose to share it with the officer; it becomes an incident on the case then,
    # or at triage if the report has no case yet.
    shared_at = models.DateTimeField(null=True, blank=True)
    incident = models.ForeignKey(
        "cases.Incident", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Deleted by the victim: gone at once, but she may undo it for a few minutes.
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = NotDeleted()
    all_objects = models.Manager()

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"diary entry {self.occurred_at:%Y-%m-%d}"

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None


class DiaryFile(StoredFileOwner, UUIDModel):
    """A file kept with a diary entry: encrypted on disk, with the SHA-256 of the original."""

    entry = models.ForeignKey(DiaryEntry, on_delete=models.CASCADE, related_name="files")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"diary file {self.sha256[:12]}"
