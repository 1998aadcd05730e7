from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicSiteConfig(AppConfig):
    name = "vigil.public_site"
    label = "public_site"
    verbose_name = _("Public site")
