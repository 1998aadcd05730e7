from django.apps import AppConfig


class LinkingConfig(AppConfig):
    name = "vigil.linking"
    label = "linking"
    verbose_name = "Linking"
