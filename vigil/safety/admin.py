from django.contrib import admin

from vigil.safety.models import CheckInTimer, SafetyAlert


@admin.register(CheckInTimer)
class CheckInTimerAdmin(admin.ModelAdmin):
    """Status only: the plan and places are the victim's words and stay out of the admin."""

    list_display = ["id", "status", "due_at", "version", "created_at"]
    list_filter = ["status"]
    fields = readonly_fields = ("status", "due_at", "remind_at", "version", "ended_at")


@admin.register(SafetyAlert)
class SafetyAlertAdmin(admin.ModelAdmin):
    list_display = ["id", "reason", "contacts_told", "to_officer", "created_at"]
    fields = readonly_fields = ("reason", "contacts_told", "to_officer", "case", "created_at")
