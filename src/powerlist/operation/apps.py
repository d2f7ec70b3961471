from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationConfig(AppConfig):
    """Online operation of power (按图行权): flowcharts as BPMN 2.0, versioned with the item;
    later the cases (办件) that run along them."""

    name = "powerlist.operation"
    label = "operation"
    verbose_name = _("operation of power")
    default_auto_field = "django.db.models.BigAutoField"
