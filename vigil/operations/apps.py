from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Backup, restore and key rotation: base layer, so it knows no feature app by name and
    finds the data it moves through Django's app registry."""

    name = "vigil.operations"
    label = "operations"
    verbose_name = _("Operations")
