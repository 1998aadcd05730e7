from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.common.fields import EncryptedTextField
from vigil.common.models import UUIDModel
from vigil.contact.models import SafeContact


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to send")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed - needs attention")
    # The victim's wishes say it must not go (a channel withdrawn, or it says more than they now
    # allow): never sent, and the officer in charge is told.
    WITHHELD = "withheld", _("Not sent - not safe for the victim")


class OutboxMessage(UUIDModel):
    """A message to send, written in the same transaction as the event that causes it.

    If the transaction rolls back, the message never existed; if it commits, a worker delivers
    it, retrying with back-off, and marks it failed for staff to see when it cannot.
    """

    channel = models.CharField(max_length=20, choices=Channel.choices)
    # Recipient and text are personal data: encrypted at rest.
    recipient = EncryptedTextField()
    subject = EncryptedTextField(blank=True)
    body = EncryptedTextField()
    # Callers name the message so that enqueuing twice (a retry, a double click) sends once.
    idempotency_key = models.CharField(max_length=200, unique=True)
    purpose = models.CharField(
        max_length=100, help_text=_("What the message is for, e.g. staff.account_created")
    )
    status = models.CharField(
        max_length=20, choices=OutboxStatus.choices, default=OutboxStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    provider_reference = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set for every message to a victim: their live safe-contact record, read again at send
    # time, and what the message was written to say under the wishes of the moment (see
    # SafeContactPrefs.wording), so a message written under wider wishes does not go.
    contact = models.ForeignKey(
        SafeContact, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    wording = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.purpose} ({self.get_status_display()})"
