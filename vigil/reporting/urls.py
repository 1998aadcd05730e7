from django.urls import path, re_path

from vigil.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.start, name="start"),
    path("danger-now/", views.call_999, name="call_999"),
    path("evidence/", views.evidence, name="evidence"),
    path("evidence/<uuid:evidence_id>/remove/", views.evidence_remove, name="evidence_remove"),
    path("check/", views.check, name="check"),
    path("save/", views.save_for_later, name="save"),
    path("resume/", views.resume_saved, name="resume"),
    path("send/", views.declaration, name="declaration"),
    path("sent/", views.sent, name="sent"),
    path("track/", views.track_sign_in, name="track"),
    path("track/report/", views.track_report, name="track_report"),
    path("track/evidence/", views.track_evidence, name="track_evidence"),
    path("track/incident/", views.track_incident, name="track_incident"),
    path("track/contact/", views.track_contact, name="track_contact"),
    path("track/withdraw/", views.track_withdraw, name="track_withdraw"),
    path("track/sign-out/", views.track_sign_out, name="track_sign_out"),
    path("track/email/", views.track_link_request, name="track_link_request"),
    path("track/email/asked/", views.track_link_asked, name="track_link_asked"),
    # The token from secrets.token_urlsafe(32) is 43 URL-safe characters.
    re_path(r"^track/email/(?P<token>[A-Za-z0-9_-]{32,64})/$", views.track_link, name="track_link"),
    re_path(r"^(?P<collection>suspects|incidents)/$", views.collection_summary, name="collection"),
    re_path(
        r"^(?P<collection>suspects|incidents)/(?P<index>[0-9]{1,2})/$",
        views.collection_item,
        name="item",
    ),
    re_path(
        r"^(?P<collection>suspects|incidents)/(?P<index>[0-9]{1,2})/remove/$",
        views.collection_remove,
        name="item_remove",
    ),
    path("<slug:slug>/", views.step, name="step"),
]
