from django.contrib import admin

from vigil.safeguarding.models import MeasureKind


@admin.register(MeasureKind)
class MeasureKindAdmin(admin.ModelAdmin):
    """The list of measures a plan is made from is configuration; plans are case records and
    stay out of the admin (administrators see no case)."""

    list_display = ["title", "code", "position", "is_active"]
    list_editable = ["position", "is_active"]
