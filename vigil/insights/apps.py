from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "vigil.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from vigil.accounts.home import register_home_panel
        from vigil.insights.app_sources import register_app_sources
        from vigil.insights.figures import register_case_sources
        from vigil.insights.home import insights_panel

        register_case_sources()
        register_app_sources()
        register_home_panel(insights_panel)
