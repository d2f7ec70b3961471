from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "powerlist.core"
    label = "core"
    verbose_name = _("Jurisdictions, organisations and users")

    def ready(self):
        from powerlist.core import signals  # noqa: F401 - account events into the audit log
