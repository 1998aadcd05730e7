from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "vigil.common"
    label = "common"
    verbose_name = "Common"
