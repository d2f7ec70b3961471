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
    # 已解除: a time-driven warning (deadline-warning, overdue, suspension-too-long) whose condition no
    # longer holds at the latest evaluation of its case; kept, with when, never deleted (its card, if
    # any, stays with its own appeal). Found again, it is live again (set back to NULL).
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

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


class CardState(models.TextChoices):
    ISSUED = "issued", _("issued")
    APPEALED = "appealed", _("appealed")
    REVOKED = "revoked", _("revoked")
    UPHELD = "upheld", _("upheld")
    ESCALATED = "escalated", _("escalated to supervised handling")


class Card(models.Model):
    """黄牌/红牌: one per yellow or red alert, to the person responsible (the actor of the step's
    event; for a case-level alert the clerk who accepted the case) and their department. States:
    issued → appealed → revoked | upheld; an inspector may escalate (督办) an issued, appealed or
    upheld card. Every change goes through services.cards, on the transparency log."""

    alert = models.OneToOneField(Alert, verbose_name=_("alert"), on_delete=models.PROTECT, related_name="card")
    case = models.ForeignKey("operation.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+")
    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
                                     related_name="+")
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("department"), on_delete=models.PROTECT,
                                     related_name="+")
    severity = models.CharField(_("colour"), max_length=10, choices=Severity.choices)
    person = models.CharField(_("responsible person"), max_length=150)
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=10, choices=CardState.choices, default=CardState.ISSUED)
    issued_at = models.DateTimeField(_("issued at"))
    changed_at = models.DateTimeField(_("changed at"))
    changed_by = models.CharField(_("changed by"), max_length=150)
    escalation_reason = models.TextField(_("reason for supervised handling"), blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_by = models.CharField(_("escalated by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["jurisdiction", "state"]), models.Index(fields=["person"]),
                   models.Index(fields=["organisation", "state"])]

    def __str__(self):
        return f"{self.get_severity_display()} {self.person} {self.case_id}"


class AppealOutcome(models.TextChoices):
    REVOKE = "revoke", _("revoke")
    UPHOLD = "uphold", _("uphold")
    ESCALATE = "escalate", _("escalate")


class Appeal(models.Model):
    """申诉: the carded person's reason, and the inspector's decision with theirs."""

    card = models.OneToOneField(Card, verbose_name=_("card"), on_delete=models.PROTECT, related_name="appeal")
    reason = models.TextField(_("reason for the appeal"))
    appealed_by = models.CharField(_("appealed by"), max_length=150)
    appealed_at = models.DateTimeField(_("appealed at"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=AppealOutcome.choices, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.CharField(_("decided by"), max_length=150, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["appealed_at", "pk"]


class LiveQueue(models.Model):
    """A case whose events were stored and not yet evaluated live. The writer inserts the row in the
    transaction that stores the event (one row per case and transaction), so a stored event is never
    without its row; the live evaluator deletes it in the transaction that stores the case's alerts,
    so a row is gone exactly when its case has been evaluated (`supervision.live`)."""

    case_id = models.BigIntegerField(_("case"))
    queued_at = models.DateTimeField(_("queued at"))

    class Meta:
        verbose_name = _("case waiting for live evaluation")
        verbose_name_plural = _("cases waiting for live evaluation")
