from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """Records management: review dates, legal holds, erasure with a tombstone, and subject
    access. A staff-layer app because it must reach every app's records of a case."""

    name = "vigil.records"
    label = "records"
    verbose_name = _("Records management")

    def ready(self) -> None:
        from vigil.accounts.home import register_home_panel
        from vigil.records import receivers, rules  # noqa: F401  (connect, register)
        from vigil.records.home import records_panel

        register_home_panel(records_panel)
