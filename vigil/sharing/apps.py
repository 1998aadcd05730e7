from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "vigil.sharing"
    label = "sharing"
    verbose_name = _("Sharing with partner agencies")

    def ready(self) -> None:
        # Case reach, the case-closing checklist and the home page are apps below this one:
        # they cannot import it, so it registers what they need to know.
        from vigil.accounts.home import register_home_panel
        from vigil.cases.closing import open_items_source_register
        from vigil.cases.querysets import register_agency_reach
        from vigil.sharing import reach, rules  # noqa: F401  (rules registers permissions)

        register_agency_reach(reach.referred_cases, reach.is_referred)
        open_items_source_register(reach.open_referral_items)
        register_home_panel(reach.partner_home_panel)

        from vigil.common.demo import register_demo

        register_demo("vigil.sharing.demo.load_demo_referrals", order=50)
