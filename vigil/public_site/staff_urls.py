"""Staff pages for the public site's data: feedback. Mounted at /staff/feedback/."""

from django.urls import path

from vigil.public_site import views

app_name = "feedback"

urlpatterns = [
    path("", views.staff_feedback_list, name="list"),
    path("export.csv", views.staff_feedback_export, name="export"),
]
