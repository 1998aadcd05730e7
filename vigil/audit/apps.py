from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "vigil.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from vigil.audit import signals  # noqa: F401  (login/logout events)
