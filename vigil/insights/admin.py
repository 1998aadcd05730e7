from django.contrib import admin

from vigil.insights.models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    list_display = ["name"]
    filter_horizontal = ["teams"]
