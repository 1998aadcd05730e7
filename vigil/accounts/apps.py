from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "vigil.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from vigil.common.demo import register_demo

        register_demo("vigil.accounts.demo.load_demo", order=10)

        from django.contrib import admin

        from vigil.accounts import signals  # noqa: F401 (account changes are audited)
        from vigil.accounts.adminsite import configuration_only

        # Every app's admin.py has been imported by now (the admin app is ready first).
        configuration_only(admin.site)
