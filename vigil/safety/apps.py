from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "vigil.safety"
    label = "safety"
    verbose_name = _("Victim safety tools")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from vigil.cases.models import Triage
        from vigil.safety.signals import triage_saved

        post_save.connect(triage_saved, sender=Triage, dispatch_uid="safety.triage_saved")

        from vigil.reporting.api import register_keep_signed_in
        from vigil.safety.services import timer_keeps_signed_in_until

        # A running check-in timer keeps its victim signed in (issue 16).
        register_keep_signed_in(timer_keeps_signed_in_until)
