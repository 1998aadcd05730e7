from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from vigil.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the audit log is never edited, not even by administrators."""

    list_display = ["id", "created_at", "actor_label", "actor_role", "action", "target_type"]
    list_filter = ["action", "actor_role"]
    search_fields = ["target_id", "request_id", "action"]
    # Older rows may hold a client's address in clear; it is never shown.
    exclude = ["ip_address"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
