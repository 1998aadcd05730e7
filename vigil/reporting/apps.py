from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "vigil.reporting"
    label = "reporting"
    verbose_name = "Reporting"
