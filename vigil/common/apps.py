from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "vigil.common"
    label = "common"
    verbose_name = _("Common")

    def ready(self) -> None:
        from vigil.common import checks  # noqa: F401  (registers the system checks)
        from vigil.common.stored_files import connect_owner_signals

        connect_owner_signals()
