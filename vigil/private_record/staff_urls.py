from django.urls import path

from vigil.private_record import views

app_name = "private_record_staff"

urlpatterns = [
    path("matches/", views.staff_matches, name="matches"),
]
