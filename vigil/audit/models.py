from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One row of the append-only audit log.

    Rows form a hash chain: each stores the hash of the row before it and an HMAC of its own
    content keyed with a server secret, so that changing, removing or inserting a row is
    detected by `manage.py audit_verify` - even by someone with write access to the database
    but not to the key. On PostgreSQL a trigger also refuses UPDATE and DELETE outright.
    """

    # The sequence number orders the chain; audit_record assigns it under the chain lock.
    id = models.BigIntegerField(primary_key=True)
    created_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept beside the key so the row still reads right if the account is later changed.
    actor_label = models.CharField(max_length=300, blank=True)
    actor_role = models.CharField(max_length=30, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    # Rows written before issue 14 may hold an address in clear; newer rows leave it empty and
    # keep only a keyed hash of the client's address (vigil.common.client_address), so the log
    # can say "these came from one place" without saying where a victim was.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True, default="")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        # Declared here rather than with db_index/unique on the fields: on PostgreSQL those also
        # build a second, pattern-matching index per field, which nothing here searches by
        # prefix, and every audited action would pay to keep up. (`action` keeps it: the DPO's
        # search matches the start of an action.)
        indexes = [
            models.Index(fields=["target_type", "target_id", "id"]),
            models.Index(fields=["target_id"], name="audit_event_target_id"),
        ]
        constraints = [models.UniqueConstraint(fields=["hash"], name="audit_event_hash_unique")]

    def __str__(self) -> str:
        return f"#{self.id} {self.action} {self.target_type}:{self.target_id}"


class AuditChainHead(models.Model):
    """A single row locked while a new event is chained, so two writers cannot fork the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64)
    last_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"audit chain head {self.last_hash[:12]}"
