from django.urls import path

from vigil.records import views

app_name = "records"

urlpatterns = [
    path("retention/", views.queue, name="queue"),
    path("retention/deleted/", views.erased, name="erased"),
    path("retention/cases/<uuid:case_id>/", views.case_record, name="case"),
    path("retention/reports/<uuid:report_id>/", views.report_record, name="report"),
    path(
        "retention/phone-reports/<uuid:phone_report_id>/",
        views.phone_report_record,
        name="phone_report",
    ),
    path("subject-access/", views.subject_access, name="subject_access"),
]
