"""The person behind the cases, their orders, and a Stalking Protection Order's life.

An `Offender` is a resolved person of the linking engine (`linking.Person`: the records staff
confirmed are one person), so every case in which a confirmed-linked record appears is theirs.
Everything written about them (names, conditions, reasons, addresses notified) is encrypted at
rest; what is in clear is what the deadlines and figures need: stages, kinds and dates.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.common.fields import EncryptedTextField
from vigil.common.models import UUIDModel
from vigil.offenders.querysets import OffenderChildQuerySet, OffenderQuerySet, OrderQuerySet

USER = settings.AUTH_USER_MODEL


class Offender(UUIDModel):
    person = models.OneToOneField("linking.Person", on_delete=models.PROTECT, related_name="+")
    name = EncryptedTextField()
    manager = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="managed_offenders"
    )
    # The management plan; "people without a plan" are those where this is empty.
    plan = EncryptedTextField(blank=True)
    bail_conditions = EncryptedTextField(blank=True)
    # As Case.version: an edit read before someone else's save is refused, never overwrites it.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    objects = OffenderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Offender {str(self.pk)[:8]}"

    def get_absolute_url(self) -> str:
        return reverse("offenders:person", args=[self.pk])


class MarkerKind(models.TextChoices):
    STALKING = "stalking", _("Stalking")
    VIOLENCE = "violence", _("Violence")
    WEAPONS = "weapons", _("Weapons")
    BREACH_HISTORY = "breach_history", _("Breach history")


class WarningMarker(UUIDModel):
    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="markers")
    kind = models.CharField(max_length=20, choices=MarkerKind.choices)
    reason = EncryptedTextField()
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = OffenderChildQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "created_at"]

    def __str__(self) -> str:
        return self.get_kind_display()


class OtherOrderKind(models.TextChoices):
    RESTRAINING = "restraining", _("Restraining order")
    NON_MOLESTATION = "non_molestation", _("Non-molestation order")
    DVPN = "dvpn", _("Domestic Violence Protection Notice (DVPN)")
    DVPO = "dvpo", _("Domestic Violence Protection Order (DVPO)")
    DAPN = "dapn", _("Domestic Abuse Protection Notice (DAPN)")
    DAPO = "dapo", _("Domestic Abuse Protection Order (DAPO)")


class OtherOrder(UUIDModel):
    offender = models.ForeignKey(Offender, on_delete=models.CASCADE, related_name="other_orders")
    kind = models.CharField(max_length=20, choices=OtherOrderKind.choices)
    made_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    terms = EncryptedTextField()
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    objects = OffenderChildQuerySet.as_manager()

    class Meta:
        ordering = ["-made_on"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Stage(models.TextChoices):
    """Where a Stalking Protection Order stands (Stalking Protection Act 2019)."""

    CONSIDERED = "considered", _("Considered")
    NOT_PURSUED = "not_pursued", _("Not pursued")
    DRAFTED = "drafted", _("Application drafted")
    APPLIED = "applied", _("Applied to court")
    INTERIM = "interim", _("Interim order in force")
    FULL = "full", _("Full order in force")
    REFUSED = "refused", _("Refused by the court")
    DISCHARGED = "discharged", _("Discharged")
    EXPIRED = "expired", _("Expired")


IN_FORCE = frozenset({Stage.INTERIM, Stage.FULL})


class StalkingProtectionOrder(UUIDModel):
    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="orders")
    # The cases whose victims the order protects: a breach is an incident on each of them.
    protected_cases = models.ManyToManyField("cases.Case", related_name="+")
    stage = models.CharField(
        max_length=20, choices=Stage.choices, default=Stage.CONSIDERED, db_index=True
    )
    considered_on = models.DateField()
    not_pursued_reason = EncryptedTextField(blank=True)
    acts_of_stalking = EncryptedTextField(blank=True)
    risk_summary = EncryptedTextField(blank=True)
    court = models.CharField(max_length=200, blank=True)
    applied_on = models.DateField(null=True, blank=True)
    hearing_on = models.DateField(null=True, blank=True)
    interim_made_on = models.DateField(null=True, blank=True)
    # The Act: an interim order ends when the main application is determined.
    interim_ended_on = models.DateField(null=True, blank=True)
    full_made_on = models.DateField(null=True, blank=True)
    until_further_order = models.BooleanField(default=False)
    ends_on = models.DateField(null=True, blank=True)
    served_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Stalking Protection Order")

    def __str__(self) -> str:
        return f"SPO {str(self.pk)[:8]} ({self.stage})"

    def get_absolute_url(self) -> str:
        return reverse("offenders:order", args=[self.pk])

    @property
    def in_force(self) -> bool:
        return self.stage in IN_FORCE


class StepKind(models.TextChoices):
    CONSIDERED = "considered", _("Order considered")
    NOT_PURSUED = "not_pursued", _("Decided not to apply")
    DRAFTED = "drafted", _("Application drafted")
    APPLIED = "applied", _("Application made to court")
    HEARING = "hearing", _("Hearing date set")
    INTERIM = "interim", _("Interim order made")
    INTERIM_ENDED = "interim_ended", _("Interim order ended")
    FULL = "full", _("Full order made")
    REFUSED = "refused", _("Application refused")
    SERVED = "served", _("Order served")
    VARIED = "varied", _("Order varied")
    RENEWED = "renewed", _("Order renewed")
    DISCHARGED = "discharged", _("Order discharged")
    APPEALED = "appealed", _("Appeal lodged")
    EXPIRED = "expired", _("Order expired")
    CONDITION = "condition", _("Condition added")
    NOTIFIED = "notified", _("Notification received")
    BREACH = "breach", _("Breach recorded")
    NOTIFY_OVERDUE = "notify_overdue", _("Notification overdue: possible offence")


class OrderStep(UUIDModel):
    """One dated step in the order's life, in the order it happened; never edited."""

    order = models.ForeignKey(
        StalkingProtectionOrder, on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField(max_length=20, choices=StepKind.choices)
    on = models.DateField()
    note = EncryptedTextField(blank=True)
    # A court document kept with the case's evidence (one home for stored files).
    document = models.ForeignKey(
        "cases.Evidence", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["on", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class ConditionKind(models.TextChoices):
    PROHIBITION = "prohibition", _("Prohibition")
    REQUIREMENT = "requirement", _("Requirement")


class OrderCondition(UUIDModel):
    order = models.ForeignKey(
        StalkingProtectionOrder, on_delete=models.CASCADE, related_name="conditions"
    )
    kind = models.CharField(max_length=20, choices=ConditionKind.choices)
    text = EncryptedTextField()
    reason = EncryptedTextField()
    ended_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["kind", "created_at"]

    def __str__(self) -> str:
        return self.get_kind_display()


class NotificationKind(models.TextChoices):
    FIRST = "first", _("Names and home address after service")
    CHANGE = "change", _("A change of name or home address")


class NotificationDue(UUIDModel):
    """A notification the defendant owes the police (s9): due within 3 days, counting the day
    of service (or of the change) as the first."""

    order = models.ForeignKey(
        StalkingProtectionOrder, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=10, choices=NotificationKind.choices)
    starts_on = models.DateField()
    due_on = models.DateField(db_index=True)
    received_on = models.DateField(null=True, blank=True)
    details = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    # Set once by the sweep: the offender manager is alerted once, never again for this one.
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_on}"

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.received_on is None and self.due_on < (today or timezone.localdate())


class Breach(UUIDModel):
    order = models.ForeignKey(
        StalkingProtectionOrder, on_delete=models.PROTECT, related_name="breaches"
    )
    occurred_at = models.DateTimeField()
    # As cases' Incident.time_known: a breach recorded without a time shows none, not midday.
    time_known = models.BooleanField(default=True)
    condition = models.ForeignKey(
        OrderCondition, on_delete=models.PROTECT, null=True, blank=True, related_name="breaches"
    )
    summary = EncryptedTextField()
    evidence = EncryptedTextField(blank=True)
    incidents = models.ManyToManyField("cases.Incident", related_name="+")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"Breach {self.occurred_at:%Y-%m-%d}"


class RightToKnowDecision(models.TextChoices):
    TELL = "tell", _("Tell the victim who the stalker is")
    NOT_TELL = "not_tell", _("Do not tell the victim")


class RightToKnow(UUIDModel):
    """The decision whether to tell a victim the identity of an online stalker (government
    response, Dec 2024), with its reasons and who approved it."""

    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="right_to_know")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=RightToKnowDecision.choices)
    reasons = EncryptedTextField()
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()

    class Meta:
        ordering = ["-decided_on", "-created_at"]

    def __str__(self) -> str:
        return self.get_decision_display()
