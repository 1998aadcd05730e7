from django.urls import path

from vigil.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.verify_view, name="verify"),
    path("login/setup/", views.setup_view, name="setup"),
    path("logout/", views.logout_view, name="logout"),
    path("logout/everywhere/", views.logout_everywhere_view, name="logout_everywhere"),
    path("keepalive/", views.keepalive_view, name="keepalive"),
    path("account/", views.account_view, name="account"),
]
