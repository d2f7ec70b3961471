from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscretionConfig(AppConfig):
    """Discretion benchmarks (行政处罚裁量基准): the tables departments keep, per violation and grade,
    parsed into structured ranges the officer is shown at the 决定 step and supervision recomputes."""

    name = "powerlist.discretion"
    label = "discretion"
    verbose_name = _("discretion benchmarks")
    default_auto_field = "django.db.models.BigAutoField"
