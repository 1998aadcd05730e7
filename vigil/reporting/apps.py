from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "vigil.reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from vigil.reporting import tasks  # noqa: F401 (registers its deferrable tasks)
