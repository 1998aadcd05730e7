from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivateRecordConfig(AppConfig):
    name = "vigil.private_record"
    label = "private_record"
    verbose_name = _("Private records")

    def ready(self) -> None:
        # A report naming someone a private record names is a match: listen for reports sent.
        from vigil.accounts.home import register_home_panel
        from vigil.private_record import receivers  # noqa: F401
        from vigil.private_record.selectors import matches_panel

        register_home_panel(matches_panel)
