from __future__ import annotations

from django.contrib import admin

from vigil.risk.models import RiskQuestion, RiskTool


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
