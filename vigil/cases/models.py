"""Case management: intake and triage, cases, incidents as a course of conduct, and duties.

Personal data (names, places, summaries, contact preferences) is encrypted at rest. Two columns
are kept in a searchable form on purpose, and nowhere else:
- `CasePerson.name_search`: the lower-cased, accent-stripped name, so that fuzzy search by name
  (pg_trgm on PostgreSQL) answers in milliseconds over hundreds of thousands of people. See
  docs/decisions.md for why this trade-off was chosen over decrypting names to compare them.
- `CaseIdentifier.blind_index`: a keyed HMAC of a normalised phone number or email address, for
  exact-match search; it reveals nothing without the key.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import Agency, Team
from vigil.cases.querysets import CaseChildQuerySet, CaseQuerySet, PhoneReportQuerySet
from vigil.common.behaviours import staff_labels
from vigil.common.fields import EncryptedJSONField, EncryptedTextField
from vigil.common.models import StoredFile, StoredFileOwner, UUIDModel
from vigil.contact.contract import SafeContactPrefs
from vigil.contact.models import SafeContact
from vigil.notifications.models import OutboxMessage, OutboxStatus
from vigil.reporting.models import Report, ReportEvidence, SuspectRelationship

USER = settings.AUTH_USER_MODEL


# What people quote: "CS-KRX4-TMPA-7" for a case, "PH-..." for a phone report (see
# vigil/common/references.py).
CASE_PREFIX, PHONE_PREFIX = "CS-", "PH-"


class EncryptedJSON(EncryptedJSONField):
    """EncryptedJSONField, typed for mypy as the JSON document it holds (not as text)."""

    _pyi_private_set_type: Any
    _pyi_private_get_type: Any


class PriorityGrade(UUIDModel):
    """A response grade and how soon it must be met; policy, so kept as data a force can edit."""

    code = models.SlugField(max_length=30, unique=True)
    label = models.CharField(max_length=100)
    response_minutes = models.PositiveIntegerField(
        help_text=_("How long after triage the response is due, in minutes.")
    )
    order = models.PositiveSmallIntegerField(default=0)
    # A report whose victim said they are in danger now may be given only these grades: a
    # person at risk this minute must never be "scheduled: 7 days" (see vigil.cases.urgent).
    offered_in_danger = models.BooleanField(
        default=False,
        help_text=_("Offered at triage when the reporter said they are in danger now."),
    )

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.label

    @property
    def response_time(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.response_minutes)


class DutyKind(models.TextChoices):
    REFERRAL = "referral", _("Refer to support services (with consent)")
    KEY_DECISION = "key_decision", _("Tell the victim about a key decision")
    UPDATE = "update", _("Update the victim on the investigation")


class VictimsCodeRule(UUIDModel):
    """How soon a Victims' Code duty is due. Defaults from the 2021 Code; forces may change them.

    `working_days` counts England and Wales working days; `enhanced_working_days` replaces it for
    victims with enhanced rights; `every_days` is a calendar interval for recurring updates.
    """

    kind = models.CharField(max_length=20, choices=DutyKind.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    enhanced_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    every_days = models.PositiveSmallIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return self.get_kind_display()


class Classification(models.TextChoices):
    STALKING_S2A = "stalking_s2a", _("Stalking (s2A)")
    STALKING_S4A = "stalking_s4a", _("Stalking involving fear of violence or serious alarm (s4A)")
    HARASSMENT_S2 = "harassment_s2", _("Harassment (s2)")
    HARASSMENT_S4 = "harassment_s4", _("Harassment with fear of violence (s4)")
    MALICIOUS_COMMS = "malicious_comms", _("Malicious communications")
    CONTROLLING = "controlling", _("Controlling or coercive behaviour")
    CRIMINAL_DAMAGE = "criminal_damage", _("Criminal damage")
    BREACH_OF_ORDER = "breach_of_order", _("Breach of an order")
    ASSAULT = "assault", _("Assault")
    OTHER = "other", _("Other offence")


STALKING_CLASSIFICATIONS = frozenset({Classification.STALKING_S2A, Classification.STALKING_S4A})


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class CaseOutcome(models.TextChoices):
    CHARGE = "charge", _("Charged")
    CAUTION = "caution", _("Caution")
    SPO = "spo", _("Stalking Protection Order")
    NFA = "nfa", _("No further action")
    WITHDRAWN = "withdrawn", _("Victim withdrew support")


class RiskLevel(models.TextChoices):
    """The one risk scale: a case's current level and every assessment's grade."""

    NOT_ASSESSED = "", _("Not assessed")
    STANDARD = "standard", _("Standard")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")

    @classmethod
    def assessed(cls) -> list[RiskLevel]:
        """The grades an assessment can give (not "not assessed")."""
        return [level for level in cls if level]

    @classmethod
    def assessed_choices(cls) -> list[tuple[str, Any]]:
        return [(level.value, level.label) for level in cls.assessed()]


class PhoneReport(UUIDModel):
    """A report taken over the phone by a call handler: quick to fill in while on the call."""

    reference = models.CharField(max_length=20, unique=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    taken_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    immediate_danger = models.BooleanField(default=False)
    caller_is_victim = models.BooleanField(default=True)
    # Same shapes as Report.victim / suspects (see vigil.reporting.models); safe_contact is the
    # JSON of vigil.contact.contract.SafeContactPrefs, the victim's record made at triage.
    victim = EncryptedJSON(default=dict)
    # {"email", "phone"}: how to reach a friend or relative who phoned for the victim, kept
    # only when caller_is_victim is False. Indexed for subject access (vigil.records), so the
    # caller can be found by their own details and given their own part.
    caller = EncryptedJSON(default=dict, blank=True)
    safe_contact = EncryptedJSON(default=dict)
    suspects = EncryptedJSON(default=list)
    behaviours = models.JSONField(default=list, blank=True)
    summary = EncryptedTextField()
    triaged = models.BooleanField(default=False, db_index=True)

    objects = PhoneReportQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.reference


class Case(UUIDModel):
    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(
        max_length=200, blank=True, help_text=_("No names: e.g. 'Ex-partner'.")
    )
    principal_classification = models.CharField(
        max_length=30, choices=Classification.choices, db_index=True
    )
    status = models.CharField(
        max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN, db_index=True
    )
    outcome = models.CharField(max_length=20, choices=CaseOutcome.choices, blank=True)
    outcome_reason = EncryptedTextField(blank=True)
    officer = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="cases_in_charge"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    supervisor = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="cases_supervised"
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="cases_created")
    priority = models.ForeignKey(
        PriorityGrade, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response_due_at = models.DateTimeField(null=True, blank=True)
    first_contact_at = models.DateTimeField(null=True, blank=True)
    risk_level = models.CharField(
        max_length=10, choices=RiskLevel.choices, blank=True, default="", db_index=True
    )
    enhanced_rights = models.BooleanField(
        default=True,
        help_text=_(
            "Victims' Code enhanced rights: persistently targeted victims usually qualify."
        ),
    )
    opened_at = models.DateTimeField(default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Counts saves by the services, so an edit form read before another save is refused
    # (see vigil.cases.versions).
    version = models.PositiveIntegerField(default=1)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at"]
        indexes = [
            models.Index(fields=["officer", "-last_activity_at"]),
            models.Index(fields=["team", "-last_activity_at"]),
            models.Index(fields=["created_by", "-last_activity_at"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    def victims(self) -> list[CasePerson]:
        """For the safe-contact panel shown on every case page."""
        # With their live safe-contact record, which the panel reads, in the same query.
        return list(self.people.filter(role=PersonRole.VICTIM).select_related("contact"))

    @property
    def response_overdue(self) -> bool:
        return bool(
            self.response_due_at
            and self.first_contact_at is None
            and self.status == CaseStatus.OPEN
            and self.response_due_at < timezone.now()
        )


class IncludedClassification(models.Model):
    """Another offence the case includes, e.g. stalking on a case recorded as criminal damage.

    The 2024 super-complaint asked that stalking be findable this way, not only as principal.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="included")
    classification = models.CharField(max_length=30, choices=Classification.choices, db_index=True)

    objects = CaseChildQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "classification"], name="included_classification_once"
            )
        ]

    def __str__(self) -> str:
        return self.get_classification_display()


class Triage(UUIDModel):
    """THRIVE triage of one intake item, and what it led to."""

    class Decision(models.TextChoices):
        NEW_CASE = "new_case", _("Create a new case")
        LINK = "link", _("Add to an existing case")

    report = models.OneToOneField(
        Report, on_delete=models.PROTECT, null=True, blank=True, related_name="triage"
    )
    phone_report = models.OneToOneField(
        PhoneReport, on_delete=models.PROTECT, null=True, blank=True, related_name="triage"
    )
    # {"threat", "harm", "risk", "investigation", "vulnerability", "engagement"}: free text.
    thrive = EncryptedJSON(default=dict)
    grade = models.ForeignKey(PriorityGrade, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField()
    decision = models.CharField(max_length=20, choices=Decision.choices)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="triages")
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    objects = CaseChildQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(report__isnull=False) | models.Q(phone_report__isnull=False),
                name="triage_has_an_intake_item",
            )
        ]

    def __str__(self) -> str:
        return f"Triage of {self.report or self.phone_report}"


class PersonRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    SUSPECT = "suspect", _("Suspect")


class CasePerson(UUIDModel):
    """A victim or suspect on a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="people")
    role = models.CharField(max_length=10, choices=PersonRole.choices)
    name = EncryptedTextField()
    name_search = models.CharField(max_length=200, blank=True, db_index=True)
    # {"date_of_birth", "address", "relationship", "description", "aliases": [...]}
    details = EncryptedJSON(default=dict, blank=True)
    # Victims only: the victim's one live safe-contact record, the same row as their online
    # report's, so what they change on "track my report" is what the case enforces.
    contact = models.ForeignKey(
        SafeContact, on_delete=models.PROTECT, null=True, blank=True, related_name="case_people"
    )
    # The online report this victim came from: messages to them go through "track my report".
    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The phone report this victim came from (made at its triage): the same person, so
    # subject access exports the two together, once.
    phone_report = models.ForeignKey(
        PhoneReport, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # As Case.version: the safe-contact form is refused over a newer save.
    version = models.PositiveIntegerField(default=1)

    objects = CaseChildQuerySet.as_manager()

    class Meta:
        ordering = ["role", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} on {self.case_id}"

    @property
    def contact_prefs(self) -> SafeContactPrefs:
        """The victim's wishes as they stand now (nothing is allowed without a record)."""
        return self.contact.prefs if self.contact is not None else SafeContactPrefs()

    @property
    def relationship_label(self) -> str:
        code = (self.details or {}).get("relationship", "")
        return str(dict(SuspectRelationship.choices).get(code, code))


class NameWord(models.Model):
    """One word of some case person's normalised name: the dictionary the fuzzy name search
    looks typed words up in before it scores whole names (see vigil/cases/name_search.py).
    A word goes when the last person with it does."""

    word = models.CharField(max_length=200, primary_key=True)

    def __str__(self) -> str:
        return self.word


class IdentifierKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    # Normalised by linking's normaliser, so search and linking agree on what is the same.
    VEHICLE = "vehicle", _("Vehicle registration")
    POSTCODE = "postcode", _("Postcode")


class CaseIdentifier(UUIDModel):
    """A phone number or email address of a person on a case, findable by exact match."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="identifiers")
    person = models.ForeignKey(CasePerson, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=10, choices=IdentifierKind.choices)
    value = EncryptedTextField()
    blind_index = models.CharField(max_length=64, db_index=True)

    def __str__(self) -> str:
        return f"{self.kind} of {self.person_id}"


class IncidentSource(models.TextChoices):
    ONLINE_REPORT = "online_report", _("Online report")
    PHONE = "phone", _("Phone call")
    VICTIM = "victim", _("Victim, in person")
    WITNESS = "witness", _("Witness")
    OFFICER = "officer", _("Officer")
    PARTNER = "partner", _("Partner agency")


class Incident(UUIDModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incidents")
    occurred_at = models.DateTimeField(db_index=True)
    # False when only the day is known: occurred_at then holds midday so that the day is right,
    # and no time is ever shown or printed. Evidence must not invent facts.
    time_known = models.BooleanField(default=True)
    place = EncryptedTextField(blank=True)
    behaviours = models.JSONField(default=list, blank=True)
    summary = EncryptedTextField()
    source = models.CharField(max_length=20, choices=IncidentSource.choices)
    victim = models.ForeignKey(CasePerson, on_delete=models.PROTECT, related_name="+")
    suspect = models.ForeignKey(
        CasePerson, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Empty when the victim added it themselves, on "track my report".
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CaseChildQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_at"]
        indexes = [models.Index(fields=["case", "occurred_at"])]

    def __str__(self) -> str:
        return f"Incident {self.occurred_at:%Y-%m-%d}"

    @property
    def behaviour_labels(self) -> list[str]:
        return staff_labels(self.behaviours)


class Evidence(StoredFileOwner, UUIDModel):
    """An item of evidence, kept byte for byte (encrypted) with its SHA-256 for integrity."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    incident = models.ForeignKey(
        Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence"
    )
    description = EncryptedTextField()
    # Empty for evidence recorded in words only (a description of what was seen).
    file = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    report_evidence = models.ForeignKey(
        ReportEvidence, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")

    objects = CaseChildQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Evidence {self.sha256[:12]}"


class CourseOfConductOutcome(models.TextChoices):
    STALKING_S2A = "stalking_s2a", _("Stalking (s2A): record as stalking")
    STALKING_S4A = "stalking_s4a", _("Stalking with fear of violence or serious alarm (s4A)")
    HARASSMENT = "harassment", _("Harassment, not stalking: record the reasons")
    NOT_A_COURSE = "not_a_course", _("Not a course of conduct: record the reasons")


class CourseOfConductDecision(UUIDModel):
    """The officer's decision, with reasons, on whether incidents amount to stalking."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conduct_decisions")
    victim = models.ForeignKey(CasePerson, on_delete=models.PROTECT, related_name="+")
    suspect = models.ForeignKey(CasePerson, on_delete=models.PROTECT, related_name="+")
    # The FOUR questions: fixated, obsessive, unwanted, repeated.
    fixated = models.BooleanField()
    obsessive = models.BooleanField()
    unwanted = models.BooleanField()
    repeated = models.BooleanField()
    outcome = models.CharField(max_length=20, choices=CourseOfConductOutcome.choices)
    reasons = EncryptedTextField()
    incident_count = models.PositiveIntegerField()
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    objects = CaseChildQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.get_outcome_display()


class TimelineKind(models.TextChoices):
    INCIDENT = "incident", _("Incident")
    CONTACT = "contact", _("Contact")
    MESSAGE = "message", _("Message")
    EVIDENCE = "evidence", _("Evidence")
    RISK = "risk", _("Risk assessment")
    ACTION = "action", _("Action")
    ORDER = "order", _("Order")
    REFERRAL = "referral", _("Referral")
    DECISION = "decision", _("Decision")
    DUTY = "duty", _("Victims' Code")
    NOTE = "note", _("Staff note")
    CASE = "case", _("Case")
    SAFEGUARDING = "safeguarding", _("Safety plan and meetings")


class TimelineEntry(UUIDModel):
    """One line on the case's timeline, written by the service that made the change."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=20, choices=TimelineKind.choices)
    occurred_at = models.DateTimeField(default=timezone.now)
    # As Incident.time_known: an entry for an incident whose time was not given shows no time.
    time_known = models.BooleanField(default=True)
    title = models.CharField(max_length=200)
    detail = EncryptedTextField(blank=True)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")

    objects = CaseChildQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-created_at"]
        indexes = [models.Index(fields=["case", "-occurred_at"])]

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Not needed")


class CaseAction(UUIDModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="case_actions"
    )
    due_on = models.DateField(null=True, blank=True, db_index=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN, db_index=True
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    # As ChecklistItem.done_by_tool: submitting that risk tool on the case marks this done.
    done_by_tool = models.SlugField(max_length=40, blank=True)

    objects = CaseChildQuerySet.as_manager()

    class Meta:
        ordering = ["status", "due_on", "created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.status == ActionStatus.OPEN and self.due_on and self.due_on < timezone.localdate()
        )


class ChecklistTemplate(UUIDModel):
    """A set of actions to add in one go, e.g. for a stalking investigation. Data, editable."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class ChecklistItem(UUIDModel):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(max_length=200)
    due_in_days = models.PositiveSmallIntegerField(default=7)
    order = models.PositiveSmallIntegerField(default=0)
    # The code of a risk tool (e.g. "sdash") whose completion on the case is this item done.
    done_by_tool = models.SlugField(
        max_length=40,
        blank=True,
        help_text=_("Code of a risk tool: submitting it on the case marks this action done."),
    )

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")
    IN_PERSON = "in_person", _("In person")
    ONLINE_REPORT = "online_report", _("Message on their online report")


class ContactDirection(models.TextChoices):
    TO_VICTIM = "to_victim", _("To the victim")
    FROM_VICTIM = "from_victim", _("From the victim")


class ContactLogEntry(UUIDModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    victim = models.ForeignKey(CasePerson, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=20, choices=ContactChannel.choices)
    direction = models.CharField(max_length=20, choices=ContactDirection.choices)
    at = models.DateTimeField(default=timezone.now)
    summary = EncryptedTextField()
    left_voicemail = models.BooleanField(default=False)
    # Contact we made that went against the victim's wishes (a call outside their safe hours
    # that really happened): recorded, never hidden, with the warning the officer confirmed.
    against_wishes = EncryptedTextField(blank=True)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    # A message by email or text is only queued when it is logged: the outbox may hold it for
    # her safe time, withhold it, or fail to deliver it. The log shows which, from here.
    message = models.ForeignKey(
        OutboxMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The Victims' Code duty this message tells her about: done when it is delivered.
    tells = models.ForeignKey(
        "VictimsCodeDuty",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tellings",
    )

    objects = CaseChildQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def delivery(self) -> tuple[str, str, datetime.datetime | None] | None:
        """(what the log says, its tag colour, when it was sent) for a message the outbox
        carries: the officer must not read "sent" when it is only queued, held back, or never
        got through."""
        message = self.message
        if message is None:
            return None
        if message.status == OutboxStatus.SENT:
            return str(_("Sent")), "govuk-tag--green", message.sent_at or message.updated_at
        if message.status == OutboxStatus.WITHHELD:
            return str(_("Not sent: not safe for the victim")), "govuk-tag--orange", None
        if message.status == OutboxStatus.FAILED:
            return str(_("Not delivered")), "govuk-tag--red", None
        return str(_("Waiting to be sent")), "govuk-tag--grey", None


class VictimsCodeDuty(UUIDModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="duties")
    kind = models.CharField(max_length=20, choices=DutyKind.choices)
    description = models.CharField(max_length=200, blank=True)
    due_on = models.DateField(db_index=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    # The Code's duty is to tell the victim: done means we can say how and when they were told.
    told_how = models.CharField(max_length=20, choices=ContactChannel.choices, blank=True)
    told_at = models.DateTimeField(null=True, blank=True)
    told_time_known = models.BooleanField(default=True)
    # The officer's task to tell her another way, made when no message could or did reach her.
    task = models.ForeignKey(
        "CaseAction", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CaseChildQuerySet.as_manager()

    class Meta:
        ordering = ["done_at", "due_on"]
        verbose_name_plural = _("Victims' Code duties")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.due_on}"

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()


class CaseNote(UUIDModel):
    """A private staff note. Never shown to the victim or reporter, never sent anywhere."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    body = EncryptedTextField()
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    objects = CaseChildQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Note {self.created_at:%Y-%m-%d}"


class CaseShare(UUIDModel):
    """A case shared with a partner agency, only with the victim's recorded consent."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="case_shares")
    consent_given_on = models.DateField()
    consent_note = EncryptedTextField()
    shared_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CaseChildQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["agency", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} shared with {self.agency_id}"


class AttentionKind(models.TextChoices):
    INCIDENT = "incident", _("New incident from the victim")
    EVIDENCE = "evidence", _("New evidence from the victim")
    MESSAGE = "message", _("New message from the victim")
    CONTACT = "contact", _("The victim changed how we may contact them")
    WITHDRAWAL = "withdrawal", _("The victim asked us to take it no further")
    WITHHELD = "withheld", _("A message to the victim was not sent")


class AttentionItem(UUIDModel):
    """Something the victim did after triage (or a message that could not safely go), waiting
    for the officer in charge to see it: the "needs attention" list on their home page."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attention")
    kind = models.CharField(max_length=20, choices=AttentionKind.choices)
    # What to do about it, e.g. "Reassess the risk". Never the victim's own words: the list is
    # read at a glance, on shared screens.
    prompt = models.CharField(max_length=200, blank=True)
    timeline_entry = models.ForeignKey(
        TimelineEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    seen_at = models.DateTimeField(null=True, blank=True)
    seen_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "seen_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case_id}"


class DutySupervisor(UUIDModel):
    """A supervisor marked as on duty for intake: urgent reports alert them at once.

    With nobody marked, every active supervisor is alerted (an alert to too many people is
    safer than an alert to nobody). Set in the admin by whoever runs the duty rota.
    """

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="intake_duty")

    def __str__(self) -> str:
        return f"On duty: {self.user_id}"


class UrgentReason(models.TextChoices):
    DANGER = "danger", _("The reporter said they are in danger now")
    OVERDUE = "overdue", _("Past its response time, not yet triaged")


class UrgentIntakeAlert(UUIDModel):
    """An untriaged report the duty supervisor was alerted about; on their home page until it
    is graded at triage. One per report and reason, so each alert goes once."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    phone_report = models.ForeignKey(
        PhoneReport, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=UrgentReason.choices)
    graded_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(report__isnull=False) | models.Q(phone_report__isnull=False),
                name="urgent_alert_has_an_intake_item",
            ),
            models.UniqueConstraint(
                fields=["report", "reason"],
                condition=models.Q(report__isnull=False),
                name="urgent_alert_once_per_report",
            ),
            models.UniqueConstraint(
                fields=["phone_report", "reason"],
                condition=models.Q(phone_report__isnull=False),
                name="urgent_alert_once_per_phone_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.report_id or self.phone_report_id}"

    @property
    def item(self) -> Report | PhoneReport:
        item = self.report or self.phone_report
        assert item is not None
        return item
