from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffendersConfig(AppConfig):
    name = "vigil.offenders"
    label = "offenders"
    verbose_name = _("Offender management")

    def ready(self) -> None:
        # Cases sits below this app and cannot import it: it asks its registered sources for
        # the warning markers of the people in a case, and for the panel on the case page.
        from vigil.accounts.home import register_home_panel
        from vigil.cases.markers import register_case_panel, register_marker_source
        from vigil.offenders import markers, panels

        register_marker_source(markers.markers_for_cases)
        register_case_panel(markers.case_panel)
        register_home_panel(panels.offender_manager_panel)

        from vigil.common.demo import register_demo

        register_demo("vigil.offenders.demo.load_demo_offenders", order=55)
