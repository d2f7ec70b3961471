from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "powerlist.supervision"
    verbose_name = _("electronic supervision")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from powerlist.operation.models import CaseEvent
        from powerlist.supervision import live

        # every stored event, whoever stores it (case service, API, events import), is evaluated
        # once its transaction commits
        post_save.connect(live.on_event_saved, sender=CaseEvent, dispatch_uid="supervision.live")
