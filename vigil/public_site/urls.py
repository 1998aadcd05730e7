from django.urls import path

from vigil.public_site import views

app_name = "public_site"

urlpatterns = [
    path("", views.home, name="home"),
    path("exit/", views.quick_exit, name="exit"),
    path("healthz", views.healthz, name="healthz"),
    path("<slug:slug>/", views.page, name="page"),
]
