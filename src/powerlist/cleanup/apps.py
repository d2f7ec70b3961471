from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CleanupConfig(AppConfig):
    """The clean-up campaign (清权、减权、优权、晒权、制权): self-report, review rounds, decisions,
    automatic checks, public comment, publication with statistics."""

    name = "powerlist.cleanup"
    label = "cleanup"
    verbose_name = _("clean-up campaigns")
    default_auto_field = "django.db.models.BigAutoField"
