from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "vigil.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # Linking sits beside cases and cannot import it; it tells its listeners instead.
        from vigil.cases.linked import on_serial_alert
        from vigil.linking.services import alert_listener_register

        alert_listener_register(on_serial_alert)
