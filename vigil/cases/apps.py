from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "vigil.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from vigil.cases.querysets import register_scopes

        register_scopes()
