from django.contrib import admin

from vigil.public_site.models import HelpService, OpeningPeriod


class OpeningPeriodInline(admin.TabularInline):
    model = OpeningPeriod
    extra = 0


@admin.register(HelpService)
class HelpServiceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "phone",
        "always_open",
        "closed_on_bank_holidays",
        "position",
        "is_listed",
    ]
    list_editable = ["position", "is_listed"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningPeriodInline]
