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


class PinnedFlowchart(models.Model):
    """The engine XML a case runs, stored once per sha256: an imported version's, or the one built
    from the item's steps or its category's template. Cases point here, so neither a new import nor
    an edit of the item's steps ever changes a running case (Open Zaak: a case pins its type)."""

    sha256 = models.CharField(_("sha256"), max_length=64, unique=True)
    process_id = models.CharField(_("process id"), max_length=255)
    engine_xml = models.TextField(_("engine XML"))

    class Meta:
        verbose_name = _("pinned flowchart")
        verbose_name_plural = _("pinned flowcharts")

    def __str__(self):
        return self.sha256[:12]


class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    SUSPENDED = "suspended", _("suspended")
    CLOSED = "closed", _("closed")


class ApplicationStatus(models.TextChoices):
    OPEN = "open", _("in progress")
    CLOSED = "closed", _("all results in")


class Application(models.Model):
    """一窗受理: one application taken at the service hall (统一受理) naming a package of items,
    possibly of several departments (e.g. 营业执照 + 组织机构代码证 + 税务登记证 + 刻章许可). Its
    cases run in parallel; it closes when all their results are in (集中回复). The number is the
    applicant's one receipt number. Name, phone and ID number are personal data: never public."""

    number = models.CharField(_("receipt number"), max_length=40, unique=True)
    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
                                     related_name="applications")
    title = models.CharField(_("matter"), max_length=300)
    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_phone = models.CharField(_("applicant phone"), max_length=30, blank=True)
    applicant_id_number = models.CharField(_("applicant ID number"), max_length=30, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.OPEN)
    received_at = models.DateTimeField(_("received at"))
    received_by = models.CharField(_("received by"), max_length=150)
    window = models.CharField(_("window"), max_length=100, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reply = models.TextField(_("combined reply"), blank=True)  # 集中回复

    class Meta:
        verbose_name = _("one-window application")
        verbose_name_plural = _("one-window applications")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["jurisdiction", "status"])]

    def __str__(self):
        return self.number


class CaseSource(models.TextChoices):
    SERVICE = "service", _("handled in powerlist")
    EXTERNAL = "external", _("reported by a department's own system")


class Case(models.Model):
    """办件: one exercise of a power, accepted (受理) by the item's department and moved only along
    the flowchart it pinned. The applicant's name and phone are personal data: never public."""

    number = models.CharField(_("case number"), max_length=40, unique=True)
    # null only for a case reported by a department's system for a power that is not listed
    item = models.ForeignKey(PowerItem, verbose_name=_("power item"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="cases")
    item_code = models.CharField(_("item code"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=CaseSource.choices, default=CaseSource.SERVICE)
    application = models.ForeignKey(Application, verbose_name=_("one-window application"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="cases")
    item_version = models.PositiveIntegerField(_("item version"))
    flowchart_version = models.PositiveIntegerField(_("flowchart version"), null=True, blank=True)
    flowchart = models.ForeignKey(PinnedFlowchart, verbose_name=_("flowchart"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="cases")
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
                                     related_name="cases")
    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
                                     related_name="cases")
    applicant_name = models.CharField(_("applicant"), max_length=200, blank=True)
    applicant_phone = models.CharField(_("applicant phone"), max_length=30, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    accepted_at = models.DateTimeField(_("accepted at"))
    accepted_by = models.CharField(_("accepted by"), max_length=150)
    limit_kind = models.CharField(_("time limit"), max_length=10, blank=True)  # promised / statutory / ""
    limit_days = models.PositiveIntegerField(_("time limit"), null=True, blank=True)
    limit_unit = models.CharField(_("unit of the time limit"), max_length=20, blank=True)
    suspensions = models.JSONField(_("suspensions"), default=list, blank=True)  # [[first, last, reason], ...]
    suspended_since = models.DateField(_("suspended since"), null=True, blank=True)
    suspension_reason = models.CharField(_("suspension reason"), max_length=100, blank=True)
    extensions = models.JSONField(_("extensions"), default=list, blank=True)  # [{days, reason, approved_by}]
    due = models.DateField(_("due date"), null=True, blank=True)
    due_explained = models.TextField(_("how the due date was reached"), blank=True)
    state = models.TextField(_("engine state"), blank=True)
    result = models.TextField(_("result"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    event_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-accepted_at"]
        indexes = [models.Index(fields=["jurisdiction", "status"]), models.Index(fields=["organisation", "status"])]

    def __str__(self):
        return self.number


class CaseAction(models.TextChoices):
    ACCEPT = "accept", _("accept")
    COMPLETE = "complete", _("complete")
    RETURN = "return", _("return for correction")
    SUSPEND = "suspend", _("suspend")
    RESUME = "resume", _("resume")
    EXTEND = "extend", _("extend")
    CLOSE = "close", _("close")


class CaseEvent(models.Model):
    """办件事件: append-only. `refused` marks an attempt that broke the rules (recorded, not applied).
    On PostgreSQL the table is partitioned by month of `at`: its database key is (id, at), the
    idempotency key is kept unique by CaseEventKey and (case, seq) by the case row lock every
    writer holds (operation/partitions.py)."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(_("number"))
    step = models.CharField(_("step"), max_length=300, blank=True)
    step_id = models.CharField(_("step id"), max_length=255, blank=True)
    task_id = models.CharField(_("task id"), max_length=36, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=CaseAction.choices)
    actor = models.CharField(_("actor"), max_length=150)
    at = models.DateTimeField(_("at"))
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    refused = models.BooleanField(_("broke the rules"), default=False)
    source = models.CharField(_("source"), max_length=10, default="service")  # service / api / file
    # the sender's key for an event pushed by a department's system: sent twice, stored once
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, null=True, blank=True, unique=True)
    # what was wrong with a pushed event that was stored anyway (["out-of-order", "unlisted-power", …])
    flags = models.JSONField(_("flags"), default=list, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, null=True, blank=True)
    penalty_type = models.CharField(_("penalty type"), max_length=100, blank=True)
    discretion = models.CharField(_("discretion grade"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="case_event_seq_unique")]
        indexes = [models.Index(fields=["at"])]

    def __str__(self):
        return f"{self.case_id}#{self.seq} {self.action} {self.step}"


class CaseEventKey(models.Model):
    """The idempotency keys of stored events, one row each (PostgreSQL). The events table there is
    partitioned by month and cannot keep a unique column of its own: a trigger claims the key here
    on every insert, so a key sent twice is stored once (see operation/partitions.py). Empty on
    SQLite, where the events table keeps its unique column."""

    key = models.CharField(_("idempotency key"), max_length=200, primary_key=True)
    event_id = models.BigIntegerField(_("case event"))
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")

    def __str__(self):
        return self.key


class Attachment(models.Model):
    """A file of a case, stored under POWERLIST_DATA_DIR/cases/ by its sha256."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="attachments")
    # no database constraint: on PostgreSQL the events table's key is (id, at) (partitioned by month)
    event = models.ForeignKey(CaseEvent, verbose_name=_("case event"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="attachments", db_constraint=False)
    filename = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("sha256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    path = models.CharField(_("stored at"), max_length=300)
    added_at = models.DateTimeField(_("added at"))
    added_by = models.CharField(_("added by"), max_length=150)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.filename


class Notice(models.Model):
    """抄告相关: a department is told of a one-window application that includes one of its items."""

    application = models.ForeignKey(Application, verbose_name=_("one-window application"), on_delete=models.PROTECT,
                                    related_name="notices")
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="notices")
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("department"), on_delete=models.PROTECT,
                                     related_name="notices")
    created_at = models.DateTimeField(_("sent at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    read_by = models.CharField(_("read by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("notice to a department")
        verbose_name_plural = _("notices to departments")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.application.number} → {self.organisation}"


class Rating(models.Model):
    """好差评: the applicant's rating of a completed case or application (1-5 stars). The address
    is kept only as a keyed hash, for throttling."""

    application = models.OneToOneField(Application, verbose_name=_("one-window application"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="rating")
    case = models.OneToOneField(Case, verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="rating")
    stars = models.PositiveSmallIntegerField(_("stars"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("rated at"))
    address_hash = models.CharField(_("address hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("applicant rating")
        verbose_name_plural = _("applicant ratings")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=models.Q(stars__gte=1, stars__lte=5), name="rating_stars_1_5")]

    def __str__(self):
        return f"{self.stars}★"
