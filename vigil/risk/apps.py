from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "vigil.risk"
    label = "risk"
    verbose_name = _("Risk assessment")

    def ready(self) -> None:
        from vigil.common.demo import register_demo

        register_demo("vigil.risk.demo.load_demo", order=40)
