from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "vigil.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from vigil.audit import signals  # noqa: F401  (login/logout events)
