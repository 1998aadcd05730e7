from django.contrib import admin

from vigil.cases.models import ChecklistItem, ChecklistTemplate, PriorityGrade, VictimsCodeRule


@admin.register(PriorityGrade)
class PriorityGradeAdmin(admin.ModelAdmin[PriorityGrade]):
    list_display = ["label", "code", "response_minutes", "order"]


@admin.register(VictimsCodeRule)
class VictimsCodeRuleAdmin(admin.ModelAdmin[VictimsCodeRule]):
    list_display = ["kind", "working_days", "enhanced_working_days", "every_days"]


class ChecklistItemInline(admin.TabularInline[ChecklistItem, ChecklistTemplate]):
    model = ChecklistItem


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin[ChecklistTemplate]):
    list_display = ["name", "code"]
    inlines = [ChecklistItemInline]
