from django.urls import path

from vigil.offenders import views

app_name = "offenders"

urlpatterns = [
    path("", views.home, name="home"),
    path("people/<uuid:offender_id>/", views.person, name="person"),
    path("people/<uuid:offender_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<uuid:offender_id>/markers/new/", views.marker_add, name="marker_add"),
    path("people/<uuid:offender_id>/orders/new/", views.other_order_add, name="other_order_add"),
    path("people/<uuid:offender_id>/right-to-know/", views.right_to_know, name="right_to_know"),
    path("cases/<uuid:case_id>/consider/", views.consider, name="consider"),
    path("orders/<uuid:order_id>/", views.order, name="order"),
    path("orders/<uuid:order_id>/draft/", views.draft, name="draft"),
    path("orders/<uuid:order_id>/conditions/new/", views.condition_add, name="condition_add"),
    path("orders/<uuid:order_id>/apply/", views.apply, name="apply"),
    path("orders/<uuid:order_id>/court/<slug:step>/", views.court_step, name="court_step"),
    path("orders/<uuid:order_id>/notifications/new/", views.notification, name="notification"),
    path("orders/<uuid:order_id>/breaches/new/", views.breach, name="breach"),
    path("orders/<uuid:order_id>/bundle.pdf", views.bundle, name="bundle"),
]
