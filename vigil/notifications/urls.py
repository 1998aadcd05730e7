from django.urls import path

from vigil.notifications import views

app_name = "notifications"

urlpatterns = [
    path("failed/", views.failed_list, name="failed"),
    path("<uuid:message_id>/retry/", views.retry, name="retry"),
]
