from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "vigil.notifications"
    label = "notifications"
    verbose_name = "Notifications"
