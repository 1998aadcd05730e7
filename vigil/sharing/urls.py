from django.urls import path

from vigil.sharing import views

app_name = "sharing"

urlpatterns = [
    # Partner caseworkers
    path("", views.inbox, name="inbox"),
    path("referrals/<uuid:referral_id>/", views.referral, name="referral"),
    path("referrals/<uuid:referral_id>/accept/", views.accept, name="accept"),
    path("referrals/<uuid:referral_id>/decline/", views.decline, name="decline"),
    path("referrals/<uuid:referral_id>/add/", views.update_add, name="update_add"),
    path("export/<str:token>/", views.export, name="export"),
    # Police staff
    path("cases/<uuid:case_id>/", views.case_referrals, name="case"),
    path("cases/<uuid:case_id>/refer/", views.refer, name="refer"),
    path("referrals/<uuid:referral_id>/approve/", views.approve, name="approve"),
    path("referrals/<uuid:referral_id>/end/", views.end, name="end"),
    path("referrals/<uuid:referral_id>/export-link/", views.export_link, name="export_link"),
    # The data protection officer
    path("log/", views.log_index, name="log_index"),
    path("log/<uuid:case_id>/", views.log, name="log"),
]
