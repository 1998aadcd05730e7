from django.apps import AppConfig


class PublicSiteConfig(AppConfig):
    name = "vigil.public_site"
    label = "public_site"
    verbose_name = "Public site"
