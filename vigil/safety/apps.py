from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "vigil.safety"
    label = "safety"
    verbose_name = "Victim safety tools"
