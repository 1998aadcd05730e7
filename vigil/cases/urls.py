from django.urls import path

from vigil.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("intake/", views.intake_queue, name="intake"),
    path("intake/phone/new/", views.phone_report_new, name="phone_report_new"),
    path("intake/online/<uuid:report_id>/", views.triage_online, name="triage_online"),
    path("intake/phone/<uuid:phone_report_id>/", views.triage_phone, name="triage_phone"),
    path("overdue/", views.overdue, name="overdue"),
    path("audit/", views.audit_log, name="audit_log"),
    path("attention/<uuid:item_id>/seen/", views.attention_seen, name="attention_seen"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/timeline/", views.case_timeline, name="timeline"),
    path("<uuid:case_id>/incidents/new/", views.incident_new, name="incident_new"),
    path(
        "<uuid:case_id>/conduct/<uuid:victim_id>/<uuid:suspect_id>/",
        views.conduct_decision,
        name="conduct_decision",
    ),
    path("<uuid:case_id>/people/new/<str:role>/", views.person_new, name="person_new"),
    path(
        "<uuid:case_id>/people/<uuid:person_id>/safe-contact/",
        views.safe_contact_edit,
        name="safe_contact",
    ),
    path("<uuid:case_id>/evidence/", views.evidence, name="evidence"),
    path("<uuid:case_id>/classification/", views.classify, name="classify"),
    path("<uuid:case_id>/assign/", views.assign, name="assign"),
    path("<uuid:case_id>/close/", views.close, name="close"),
    path("<uuid:case_id>/reopen/", views.reopen, name="reopen"),
    path("<uuid:case_id>/actions/", views.actions, name="actions"),
    path(
        "<uuid:case_id>/actions/<uuid:action_id>/status/",
        views.action_status,
        name="action_status",
    ),
    path("<uuid:case_id>/contact/", views.contact, name="contact"),
    path("<uuid:case_id>/duties/", views.duties, name="duties"),
    path("<uuid:case_id>/duties/<uuid:duty_id>/done/", views.duty_done, name="duty_done"),
    path("<uuid:case_id>/duties/enhanced/", views.enhanced_rights, name="enhanced_rights"),
    path("<uuid:case_id>/notes/", views.notes, name="notes"),
    path("<uuid:case_id>/sharing/", views.sharing, name="sharing"),
    path("<uuid:case_id>/case-file.pdf", views.case_file, name="case_file"),
]
