from typing import Any

from django.contrib import admin

from vigil.accounts.models import Role, User
from vigil.cases.models import (
    ChecklistItem,
    ChecklistTemplate,
    DutySupervisor,
    PriorityGrade,
    VictimsCodeRule,
)


@admin.register(PriorityGrade)
class PriorityGradeAdmin(admin.ModelAdmin[PriorityGrade]):
    list_display = ["label", "code", "response_minutes", "offered_in_danger", "order"]


@admin.register(VictimsCodeRule)
class VictimsCodeRuleAdmin(admin.ModelAdmin[VictimsCodeRule]):
    list_display = ["kind", "working_days", "enhanced_working_days", "every_days"]


class ChecklistItemInline(admin.TabularInline[ChecklistItem, ChecklistTemplate]):
    model = ChecklistItem


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin[ChecklistTemplate]):
    list_display = ["name", "code"]
    inlines = [ChecklistItemInline]


@admin.register(DutySupervisor)
class DutySupervisorAdmin(admin.ModelAdmin[DutySupervisor]):
    """The intake duty rota: who is alerted about urgent reports (no one marked: all)."""

    list_display = ["user", "created_at"]

    def formfield_for_foreignkey(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(role=Role.SUPERVISOR, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
