from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from powerlist.catalog.models import ChangeRequest, PowerItem


class FlowchartStatus(models.TextChoices):
    ACTIVE = "active", _("in force")
    PENDING = "pending", _("awaiting review")  # filed by a clerk as a change request of a published item
    REJECTED = "rejected", _("not approved")


class FlowchartVersion(models.Model):
    """One imported BPMN flowchart of an item (流程图版本), immutable once stored: the XML as
    drawn (vendor extensions kept), the checked model, the XML the engine runs, and the item
    version it was pinned to. Cases later pin a flowchart version, so a new import never
    changes a running case."""

    item = models.ForeignKey(PowerItem, verbose_name=_("power item"), on_delete=models.PROTECT,
                             related_name="flowchart_versions")
    number = models.PositiveIntegerField(_("flowchart version"))
    status = models.CharField(_("status"), max_length=10, choices=FlowchartStatus.choices,
                              default=FlowchartStatus.ACTIVE)
    item_version = models.PositiveIntegerField(_("item version"), null=True, blank=True)
    change_request = models.ForeignKey(ChangeRequest, verbose_name=_("change request"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file"), max_length=255, blank=True)
    bpmn_xml = models.TextField(_("BPMN XML"))
    engine_xml = models.TextField(_("engine XML"))
    process_id = models.CharField(_("process id"), max_length=255)
    parsed = models.JSONField(_("model"))
    sha256 = models.CharField(_("sha256"), max_length=64)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_by_name = models.CharField(_("created by"), max_length=150)

    class Meta:
        verbose_name = _("flowchart version")
        verbose_name_plural = _("flowchart versions")
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="flowchart_version_unique")]
        ordering = ["item", "-number"]

    def __str__(self):
        return f"{self.item.code} 流程图第{self.number}版"
