from django.urls import path

from vigil.private_record import views

app_name = "private_record"

urlpatterns = [
    path("", views.start, name="start"),
    path("new/", views.new, name="new"),
    path("kept/", views.kept, name="kept"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("yours/", views.yours, name="yours"),
    path("yours/change/", views.edit, name="edit"),
    path("yours/delete/", views.delete, name="delete"),
    path("deleted/", views.deleted, name="deleted"),
    path("yours/keep/", views.keep, name="keep"),
    path("yours/report/", views.to_report, name="to_report"),
    path("yours/news/<uuid:member_id>/share/", views.share, name="share"),
    path("yours/news/<uuid:member_id>/unshare/", views.unshare, name="unshare"),
]
