from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "vigil.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from vigil.cases.querysets import register_scopes

        register_scopes()

        # The victim's later word and withheld messages come from apps below this one, which
        # cannot import it: they send signals, and the case listens.
        from vigil.accounts.home import register_home_panel
        from vigil.cases import followups, urgent
        from vigil.notifications.signals import message_withheld
        from vigil.reporting.signals import danger_report_received, report_followup

        report_followup.connect(followups.on_report_followup, dispatch_uid="cases-followup")
        message_withheld.connect(followups.on_message_withheld, dispatch_uid="cases-withheld")
        danger_report_received.connect(urgent.on_report_received, dispatch_uid="cases-urgent")
        # Urgent intake first: a report of danger now outranks everything else on the page.
        register_home_panel(urgent.urgent_intake_panel)
        register_home_panel(followups.needs_attention_panel)

        # Linking sits beside cases and cannot import it; it tells its listeners instead.
        from vigil.cases.linked import on_serial_alert
        from vigil.linking.services import alert_listener_register

        alert_listener_register(on_serial_alert)
