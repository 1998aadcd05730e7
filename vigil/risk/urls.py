from django.urls import path

from vigil.risk import views

app_name = "risk"

urlpatterns = [
    path("case/<uuid:case_id>/", views.case_risk, name="case"),
    path("case/<uuid:case_id>/new/<slug:tool_code>/", views.assessment_new, name="new"),
    path("assessment/<uuid:assessment_id>/", views.assessment_detail, name="assessment"),
    path("high-risk-reviews/", views.high_risk_overdue, name="high_risk_overdue"),
    path("judgements/", views.judgement_queue, name="judgement_queue"),
    path("judgements/<uuid:review_id>/", views.judgement_review, name="judgement_review"),
]
