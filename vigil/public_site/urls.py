from django.contrib.sitemaps.views import sitemap
from django.urls import path

from vigil.public_site import views
from vigil.public_site.findable import FindableSitemap

app_name = "public_site"

urlpatterns = [
    path("", views.home, name="home"),
    path("exit/", views.quick_exit, name="exit"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": FindableSitemap}}, name="sitemap"),
    path("is-this-stalking/", views.self_check, name="self_check"),
    path("get-help/", views.get_help, name="get_help"),
    path("cookies/", views.cookies, name="cookies"),
    path("feedback/", views.feedback, name="feedback"),
    path("feedback/sent/", views.feedback_sent, name="feedback_sent"),
    path("language/", views.language, name="language"),
    path("<slug:slug>/", views.page, name="page"),
]
