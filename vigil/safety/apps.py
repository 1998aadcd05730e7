from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "vigil.safety"
    label = "safety"
    verbose_name = _("Victim safety tools")

    def ready(self) -> None:
        from vigil.common.demo import register_demo

        register_demo("vigil.safety.demo.load_demo_safety", order=20)

        from vigil.reporting.api import register_keep_signed_in
        from vigil.safety import tasks  # noqa: F401 (registers its deferrable tasks)
        from vigil.safety.services import timer_keeps_signed_in_until

        # A running check-in timer keeps its victim signed in (issue 16).
        register_keep_signed_in(timer_keeps_signed_in_until)
