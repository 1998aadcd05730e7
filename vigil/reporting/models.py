"""Reports made online by victims, people acting for them, and professionals.

This module is the contract between the public report (this app) and staff intake (`cases`):
`cases` reads `Report`, `ReportEvidence` and `ReportMessage` and the documented shapes of the
encrypted JSON fields below, and calls the services in `vigil.reporting.services` to update a
report's status and to message the reporter. Add fields freely; do not rename these.

Personal data lives in encrypted fields. The shapes (all keys optional unless said):

`victim`: {"name": str, "date_of_birth": "YYYY-MM-DD", "email": str, "phone": str,
           "address": {"line_1": str, "line_2": str, "town": str, "postcode": str},
           "equality": {...optional monitoring answers...}}
`reporter`: for someone reporting on another's behalf, or a professional:
           {"name": str, "email": str, "phone": str, "organisation": str, "relationship": str}
`contact`: not a JSON field but the victim's one live safe-contact record
           (vigil.contact.models.SafeContact, typed by vigil.contact.contract.SafeContactPrefs),
           shared with the case's victim once the report is triaged.
`reporter_contact`: for someone reporting for another, the reporter's OWN safe-contact record
           (their own ways and times; "track my report" and every message about the report go
           by it). The victim's `contact` then says whether the victim may be contacted at all
           (see `victim_knows`, `victim_contact_safe` and SafeContactPrefs.third_party_caution).
`suspects`: [{"relationship": one of SuspectRelationship, "names": [str], "aliases": [str],
           "phones": [str], "emails": [str], "social": [{"platform": str, "handle": str}],
           "vehicles": [str], "addresses": [str], "description": str}]
`details`: {"behaviours": [codes from vigil.common.behaviours], "started_on": "YYYY-MM-DD",
           "most_recent_on": "YYYY-MM-DD", "frequency": str,
           "incidents": [{"date": "YYYY-MM-DD", "time": "HH:MM", "place": str,
                          "what_happened": str}],
           "impact": str, "changes_made": str, "anything_else": str}
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.common.fields import EncryptedJSONField, EncryptedTextField
from vigil.common.models import StoredFile, StoredFileOwner, UUIDModel
from vigil.contact.contract import SafeContactPrefs
from vigil.contact.models import SafeContact
from vigil.reporting.querysets import ReportChildQuerySet, ReportQuerySet


class ReporterType(models.TextChoices):
    VICTIM = "victim", _("The person it is happening to")
    ON_BEHALF = "on_behalf", _("Someone reporting for them")
    PROFESSIONAL = "professional", _("A professional")


class ThirdPartyAnswer(models.TextChoices):
    """What someone reporting for another told us about the victim."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_SURE = "not_sure", _("I am not sure")


class SuspectRelationship(models.TextChoices):
    CURRENT_PARTNER = "current_partner", _("Current partner")
    EX_PARTNER = "ex_partner", _("Ex-partner")
    FAMILY = "family", _("Family member")
    ACQUAINTANCE = "acquaintance", _("Someone they know")
    COLLEAGUE = "colleague", _("Someone from work or study")
    STRANGER = "stranger", _("A stranger")
    ONLINE_ACCOUNT = "online_account", _("An online account they do not know")
    UNKNOWN = "unknown", _("Not known")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_REVIEW = "in_review", _("Being looked at")
    ASSIGNED = "assigned", _("An officer is dealing with it")
    CLOSED = "closed", _("Closed")


class Report(UUIDModel):
    # Easy to read aloud over the phone; unique; see services.new_reference().
    reference = models.CharField(max_length=20)
    received_at = models.DateTimeField(db_index=True)
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    reporter_type = models.CharField(max_length=20, choices=ReporterType.choices)
    immediate_danger = models.BooleanField(default=False)
    victim: Any = EncryptedJSONField(default=dict)
    reporter: Any = EncryptedJSONField(default=dict, blank=True)
    # How the victim may be contacted: the live record, shared with the case once triaged.
    contact = models.ForeignKey(SafeContact, on_delete=models.PROTECT, related_name="reports")
    # Someone reporting for another (issue 16): their own record, kept apart from the victim's.
    reporter_contact = models.ForeignKey(
        SafeContact,
        on_delete=models.PROTECT,
        related_name="reports_as_reporter",
        null=True,
        blank=True,
    )
    # Their answers to "Do they know you are reporting?" and "Is it safe for us to contact
    # them?"; empty when the victim reported.
    victim_knows = models.CharField(max_length=10, choices=ThirdPartyAnswer.choices, blank=True)
    victim_contact_safe = models.CharField(
        max_length=10, choices=ThirdPartyAnswer.choices, blank=True
    )
    suspects: Any = EncryptedJSONField(default=list)
    details: Any = EncryptedJSONField(default=dict)
    # The reporter proves who they are with reference + secret; only a hash is kept.
    tracking_secret_hash = models.CharField(max_length=200)
    # Makes submit idempotent: a double click or a retry with the same draft makes one report.
    submission_key = models.CharField(max_length=64)
    # The reporter asked, on "track my report", that we take this no further (added, issue 5).
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = EncryptedTextField(blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        # Declared here rather than with unique/db_index on the fields: on PostgreSQL those also
        # build a pattern-matching index per field, which nothing searches by, and every report
        # sent would pay to keep up.
        indexes = [models.Index(fields=["status"], name="report_status")]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="report_reference_unique"),
            models.UniqueConstraint(fields=["submission_key"], name="report_submission_key_unique"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def contact_prefs(self) -> SafeContactPrefs:
        """The victim's wishes."""
        return self.contact.prefs

    @property
    def reported_by_other(self) -> bool:
        return self.reporter_type != ReporterType.VICTIM

    @property
    def tracker_contact(self) -> SafeContact:
        """The record of whoever tracks this report and is told about it: the reporter's own
        when someone reported for the victim (reports from before issue 16 have only one)."""
        return self.reporter_contact if self.reporter_contact is not None else self.contact

    @property
    def tracker_prefs(self) -> SafeContactPrefs:
        return self.tracker_contact.prefs


class ReportEvidence(StoredFileOwner, UUIDModel):
    """A file the reporter uploaded, kept byte for byte (encrypted) with its SHA-256."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="evidence")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    objects = ReportChildQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return f"{self.report} evidence {self.sha256[:12]}"


class MessageDirection(models.TextChoices):
    FROM_REPORTER = "from_reporter", _("From the reporter")
    TO_REPORTER = "to_reporter", _("To the reporter")


class ReportMessage(UUIDModel):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="messages")
    direction = models.CharField(max_length=20, choices=MessageDirection.choices)
    body = EncryptedTextField()
    # The officer who wrote a message to the reporter; empty for the reporter's own.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    read_at = models.DateTimeField(null=True, blank=True)

    objects = ReportChildQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.report} {self.direction} {self.created_at:%Y-%m-%d %H:%M}"


class ReportUpdate(UUIDModel):
    """A plain-words update the reporter sees on "track my report" (status changes, news)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="updates")
    status = models.CharField(max_length=20, choices=ReportStatus.choices)
    public_note = EncryptedTextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ReportChildQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.report} -> {self.status}"


# --- Added by the public report (issue 5); `cases` may read these but need not. ---


class ReportDraft(UUIDModel):
    """The answers of a report in progress, kept on the server so nothing typed is lost.

    A draft is reached through the browser that made it (vigil.reporting.drafts) or, once saved
    for later, with its resume code and secret; it is encrypted like everything else personal,
    and is deleted when it expires.
    """

    data: Any = EncryptedJSONField(default=dict)
    # Chosen when the draft is made and sent with the final "Send report": the unique key on
    # Report makes a double click or a retry create one report.
    submission_key = models.CharField(max_length=64)
    expires_at = models.DateTimeField(db_index=True)
    report = models.OneToOneField(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The tracking secret between "Send report" and the confirmation page that shows it once.
    pending_secret = EncryptedTextField(blank=True)
    # Kept by draft_evidence_add/remove in their transactions, so sending a draft without files
    # (most of them) needs no query for its files.
    file_count = models.PositiveIntegerField(default=0)
    # "Save and come back later" (issue 16): a code to read out and a secret code, shown once,
    # reach this draft from any device. Only a keyed hash of the secret is kept.
    resume_code = models.CharField(max_length=20, blank=True, default="")
    resume_secret_hash = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        # Not unique=True on the field: see Report.Meta.
        constraints = [
            models.UniqueConstraint(fields=["submission_key"], name="draft_submission_key_unique"),
            models.UniqueConstraint(
                fields=["resume_code"],
                condition=~models.Q(resume_code=""),
                name="draft_resume_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"draft {self.pk}"


class DraftEvidence(StoredFileOwner, UUIDModel):
    """A file uploaded into a draft: already encrypted on disk, becomes ReportEvidence on send."""

    draft = models.ForeignKey(ReportDraft, on_delete=models.CASCADE, related_name="files")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return f"draft file {self.sha256[:12]}"


class ThrottleKind(models.TextChoices):
    TRACK_REFERENCE = "track_reference", _("Wrong secret for a reference")
    TRACK_ADDRESS = "track_address", _("Wrong sign-in from an address")
    SUBMIT_ADDRESS = "submit_address", _("Report sent from an address")
    LINK_REFERENCE = "link_reference", _("Sign-in link sent for a reference")
    LINK_ADDRESS = "link_address", _("Sign-in link asked for from an address")
    RESUME_CODE = "resume_code", _("Wrong secret for a saved report")
    RESUME_ADDRESS = "resume_address", _("Wrong saved-report code from an address")
    DRAFT_ADDRESS = "draft_address", _("Report started from an address")
    UPLOAD_ADDRESS = "upload_address", _("File added from an address")


class ThrottleEvent(models.Model):
    """One counted event for rate limits and lock-outs; kept in the database so every app
    server sees the same counts. `key` is a blind index: addresses and references are not
    stored in clear."""

    kind = models.CharField(max_length=20, choices=ThrottleKind.choices)
    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)
    # What the event weighs against its limit: 1, or a file's size in bytes for uploads.
    amount = models.PositiveBigIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["kind", "key", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class TrackingLink(UUIDModel):
    """A one-time link, emailed to an address the reporter marked safe, that signs them in to
    "track my report" instead of the reference and secret code.

    Only a keyed hash of the token is kept (see sign_in_links.py), so a copy of the database
    cannot be used to sign in. A link works once, until it expires, and only while it is the
    newest link for its report, and only while it went to the report's safe address.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # Set when a newer link is sent: only the latest link in the inbox works.
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Keyed hash of the address it went to: if the reporter later says email is not safe, or
    # gives another address, a link still sitting in the old inbox stops working.
    recipient_index = models.CharField(max_length=64)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.report} sign-in link {self.created_at:%Y-%m-%d %H:%M}"
