"""Electronic supervision (电子监察): rules as data, the alerts they raise, and each pinned
flowchart's steps and transitions as rows, so the control-flow rules are SQL joins."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    YELLOW = "yellow", _("yellow")
    RED = "red", _("red")
    INFO = "info", _("information")


class Rule(models.Model):
    """One supervision rule: its SQL lives in `supervision.rules` under its code; what may change
    here (severity, parameters, enabled) changes through services.rules, audited, version bumped."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    basis = models.TextField(_("basis"))  # the rule or law it implements
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    disabled_reason = models.TextField(_("why disabled"), blank=True)
    time_driven = models.BooleanField(_("time-driven"), default=False)  # depends on today, not only on events
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision rule")
        verbose_name_plural = _("supervision rules")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class QuietDays(models.Model):
    """宁静日 of a jurisdiction: no routine enterprise inspection from `first_day` to `last_day` of
    each month (the rule's default, 1st-25th, applies where no row exists)."""

    jurisdiction = models.OneToOneField("core.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
                                        related_name="quiet_days")
    first_day = models.PositiveSmallIntegerField(_("first quiet day"))
    last_day = models.PositiveSmallIntegerField(_("last quiet day"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("quiet days")
        verbose_name_plural = _("quiet days")
        constraints = [models.CheckConstraint(
            condition=models.Q(first_day__gte=1, last_day__lte=31, first_day__lte=models.F("last_day")),
            name="quiet_days_range")]


class Alert(models.Model):
    """预警: what a rule found in a case. `dedupe_key` (rule, case, event or date) is unique, so a
    sweep run twice, or a sweep after live evaluation, stores each finding once."""

    case = models.ForeignKey("operation.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="alerts")
    rule = models.CharField(_("rule"), max_length=60)
    rule_version = models.PositiveIntegerField(_("rule version"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    step = models.CharField(_("step"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"))
    detail = models.TextField(_("detail"))
    dedupe_key = models.CharField(max_length=200, unique=True)
    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["at", "case_id", "rule"]
        indexes = [models.Index(fields=["jurisdiction", "at"]), models.Index(fields=["case", "rule"])]

    def __str__(self):
        return f"{self.rule} {self.case_id}"


class FlowStep(models.Model):
    """A step (a task a person completes) of a pinned flowchart, with the post (lane) that does it."""

    flowchart = models.ForeignKey("operation.PinnedFlowchart", on_delete=models.CASCADE, related_name="+")
    step_id = models.CharField(max_length=255)
    name = models.CharField(max_length=300)
    role = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["flowchart", "step_id"], name="flow_step_unique")]


class FlowTransition(models.Model):
    """`next`: `target` may follow `source` directly (sequence flows collapsed through gateways,
    events and sub-process borders; `source` "" is the start). Through a parallel join, `join` names
    the gateway and `branch` the join's incoming flow: the target then needs one done step on every
    branch. `reach`: `target` is reachable from `source` at all (the transitive closure)."""

    flowchart = models.ForeignKey("operation.PinnedFlowchart", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=5)  # next / reach
    source = models.CharField(max_length=255)
    target = models.CharField(max_length=255)
    gateway = models.CharField(max_length=255, blank=True)
    branch = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["flowchart", "kind", "source", "target", "gateway", "branch"],
                                               name="flow_transition_unique")]
        indexes = [models.Index(fields=["flowchart", "target"])]
