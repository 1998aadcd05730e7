from django.urls import path

from vigil.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("print/", views.dashboard_print, name="print"),
    path("csv/<slug:key>.csv", views.figure_csv, name="csv"),
    path("cases/<slug:key>/", views.drill, name="drill"),
    path("public-site/", views.public_use, name="public_use"),
    path("public-site/<slug:table>.csv", views.public_use_csv, name="public_use_csv"),
]
