from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "vigil.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from vigil.notifications import tasks  # noqa: F401 (registers its deferrable tasks)
