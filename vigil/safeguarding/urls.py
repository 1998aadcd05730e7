from django.urls import path

from vigil.safeguarding import views

app_name = "safeguarding"

urlpatterns = [
    path("cases/<uuid:case_id>/plan/", views.plan, name="plan"),
    path(
        "cases/<uuid:case_id>/plan/measures/<uuid:measure_id>/",
        views.measure_edit,
        name="measure_edit",
    ),
    path("cases/<uuid:case_id>/plan/review/", views.plan_review, name="plan_review"),
    path("cases/<uuid:case_id>/refer/", views.refer, name="refer"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<uuid:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<uuid:meeting_id>/cases/new/", views.meeting_case_new, name="meeting_case_new"),
    path("meetings/<uuid:meeting_id>/attendees/new/", views.attendee_new, name="attendee_new"),
    path(
        "meetings/<uuid:meeting_id>/cases/<uuid:entry_id>/information/new/",
        views.information_new,
        name="information_new",
    ),
    path(
        "meetings/<uuid:meeting_id>/cases/<uuid:entry_id>/actions/new/",
        views.action_new,
        name="action_new",
    ),
    path("meetings/<uuid:meeting_id>/minutes/", views.minutes, name="minutes"),
]
