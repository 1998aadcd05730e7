from django.contrib import admin

from vigil.public_site.models import Feedback, HelpService, OpeningPeriod


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


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "rating"]
    list_filter = ["rating"]
    readonly_fields = ["rating", "comments", "created_at"]
    fields = ["created_at", "rating", "comments"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
