from django.urls import path

from vigil.reporting import staff_views

app_name = "reporting_staff"

urlpatterns = [
    path("", staff_views.intake_list, name="list"),
    path("<uuid:report_id>/", staff_views.detail, name="detail"),
    path(
        "<uuid:report_id>/evidence/<uuid:evidence_id>/",
        staff_views.evidence_download,
        name="evidence",
    ),
]
