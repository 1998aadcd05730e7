from django.urls import path

from vigil.records import views

app_name = "records"

urlpatterns = [
    path("retention/", views.queue, name="queue"),
    path("retention/deleted/", views.erased, name="erased"),
    path("retention/cases/<uuid:case_id>/", views.case_record, name="case"),
    path("subject-access/", views.subject_access, name="subject_access"),
]
