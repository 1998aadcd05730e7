from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "vigil.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from vigil.common.demo import register_demo

        register_demo("vigil.cases.demo.load_demo", order=30)

        from vigil.cases.querysets import register_scopes

        register_scopes()

        # The victim's later word and withheld messages come from apps below this one, which
        # cannot import it: they send signals, and the case listens.
        from vigil.accounts.home import register_home_panel
        from vigil.cases import followups, urgent
        from vigil.notifications.signals import message_failed, message_sent, message_withheld
        from vigil.reporting.signals import report_followup, report_submitted

        report_followup.connect(followups.on_report_followup, dispatch_uid="cases-followup")
        message_withheld.connect(followups.on_message_withheld, dispatch_uid="cases-withheld")
        message_sent.connect(followups.on_message_sent, dispatch_uid="cases-sent")
        message_failed.connect(followups.on_message_failed, dispatch_uid="cases-failed")
        report_submitted.connect(urgent.on_report_received, dispatch_uid="cases-urgent")
        # Urgent intake first: a report of danger now outranks everything else on the page.
        register_home_panel(urgent.urgent_intake_panel)
        register_home_panel(followups.needs_attention_panel)

        # Linking sits beside cases and cannot import it; it tells its listeners instead.
        from vigil.cases.linked import on_serial_alert
        from vigil.linking.services import alert_listener_register

        alert_listener_register(on_serial_alert)

        # The victim's safety tools sit below cases: their alerts and shared diary entries reach
        # the case through this adapter, and a new triage applies shares that were waiting.
        from django.db.models.signals import post_save

        from vigil.cases.models import Triage
        from vigil.cases.safety_link import CaseSafetyLink
        from vigil.safety.case_link import register_case_link
        from vigil.safety.signals import triage_saved

        register_case_link(CaseSafetyLink())

        # A word of a name leaves the search dictionary with its last person, however the
        # person goes (a retention erasure deletes whole cases).
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_delete

        from vigil.cases.models import CasePerson
        from vigil.cases.name_search import on_connection, on_person_deleted

        post_delete.connect(on_person_deleted, sender=CasePerson, dispatch_uid="cases.name_words")
        connection_created.connect(on_connection, dispatch_uid="cases.name_search_threshold")
        post_save.connect(triage_saved, sender=Triage, dispatch_uid="safety.triage_saved")
