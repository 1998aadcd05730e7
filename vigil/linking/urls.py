from django.urls import path

from vigil.linking import views

app_name = "linking"

urlpatterns = [
    path("", views.home, name="home"),
    path("records/<uuid:record_id>/", views.record_detail, name="record"),
    path("records/<uuid:record_id>/decide/", views.decide, name="decide"),
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/<uuid:decision_id>/undo/", views.undo, name="undo"),
    path("alerts/<uuid:alert_id>/", views.alert_detail, name="alert"),
    path("alerts/<uuid:alert_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
]
