from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafeguardingConfig(AppConfig):
    name = "vigil.safeguarding"
    label = "safeguarding"
    verbose_name = _("Safeguarding")

    def ready(self) -> None:
        # Cases and risk sit below this app and cannot import it: it listens for their new
        # incidents and assessments, and registers its answers with their hooks.
        from vigil.safeguarding import hooks

        hooks.connect()

        from vigil.common.demo import register_demo

        register_demo("vigil.safeguarding.demo.load_demo_safeguarding", order=45)
