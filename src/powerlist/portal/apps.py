from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "powerlist.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self):
        from powerlist.catalog.services.versions import version_published
        from powerlist.portal.tasks import on_version_published

        # every download of a new version is made at publication (portal/tasks.py)
        version_published.connect(on_version_published, dispatch_uid="portal.build_version_files")
