from django.urls import path

from vigil.safety import views

app_name = "safety"

urlpatterns = [
    path("", views.hub, name="hub"),
    path("contacts/", views.contacts, name="contacts"),
    path("contacts/add/", views.contact_add, name="contact_add"),
    path("contacts/<uuid:contact_id>/remove/", views.contact_remove, name="contact_remove"),
    path("contacts/<uuid:contact_id>/undo/", views.contact_undo, name="contact_undo"),
    path("confirm/<str:token>/", views.contact_confirm, name="contact_confirm"),
    path("timer/", views.timer, name="timer"),
    path("timer/stop/", views.timer_stop, name="timer_stop"),
    path("timer/stop/<str:token>/", views.timer_stop_link, name="timer_stop_link"),
    path("timer/status/", views.timer_status, name="timer_status"),
    path("place/", views.place, name="place"),
    path("location/", views.location, name="location"),
    path("alert/", views.alert_now, name="alert_now"),
    path("diary/", views.diary, name="diary"),
    path("diary/new/", views.diary_new, name="diary_new"),
    path("diary/export.pdf", views.diary_export, name="diary_export"),
    path("diary/<uuid:entry_id>/", views.diary_entry, name="diary_entry"),
    path("diary/<uuid:entry_id>/share/", views.diary_share, name="diary_share"),
    path("diary/<uuid:entry_id>/delete/", views.diary_delete, name="diary_delete"),
    path("diary/<uuid:entry_id>/undo/", views.diary_undo, name="diary_undo"),
    path("diary/<uuid:entry_id>/edit/", views.diary_edit, name="diary_edit"),
    path("diary/<uuid:entry_id>/files/<uuid:file_id>/", views.diary_file, name="diary_file"),
]
