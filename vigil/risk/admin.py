from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from vigil.risk.models import RiskAssessment, RiskQuestion, RiskTool


class RiskQuestionInline(admin.TabularInline[RiskQuestion, RiskTool]):
    model = RiskQuestion
    fk_name = "tool"
    extra = 1
    fields = ["number", "text", "help_text", "prompts_tool"]


@admin.register(RiskTool)
class RiskToolAdmin(admin.ModelAdmin[RiskTool]):
    """Forces add their own tools (e.g. DARA) here, without code."""

    list_display = ["name", "code", "is_active", "medium_from", "high_from", "marac_from"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [RiskQuestionInline]


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(admin.ModelAdmin[RiskAssessment]):
    """Read-only: assessments are evidence and are only ever superseded, never edited."""

    list_display = ["case", "tool", "level", "yes_count", "submitted_at", "assessed_by"]
    list_filter = ["tool", "level"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
