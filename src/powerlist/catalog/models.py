"""The power list (权力清单) and responsibility list (责任清单): every power item with all its
elements, the department-level responsibility list, published versions and the ledger.

Writes happen only in `powerlist.catalog.services`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from powerlist.core.models import Jurisdiction, Organisation


class Category(models.TextChoices):
    """事项类型, national codes of 国办发〔2015〕21号 and the coding practice."""

    LICENSING = "01", _("administrative licensing")  # 行政许可
    PENALTY = "02", _("administrative penalty")  # 行政处罚
    COERCION = "03", _("administrative coercion")  # 行政强制
    LEVY = "04", _("administrative levy")  # 行政征收
    BENEFIT = "05", _("administrative benefit")  # 行政给付
    INSPECTION = "06", _("administrative inspection")  # 行政检查
    CONFIRMATION = "07", _("administrative confirmation")  # 行政确认
    REWARD = "08", _("administrative reward")  # 行政奖励
    ADJUDICATION = "09", _("administrative adjudication")  # 行政裁决
    OTHER = "10", _("other administrative power")  # 其他行政权力
    PUBLIC_SERVICE = "20", _("public service")  # 公共服务
    LOCAL = "99", _("other (local)")  # 其他（地方）


# Chinese names as they appear in real lists; the import maps them (and short forms) to codes.
CATEGORY_NAMES = {
    "01": "行政许可", "02": "行政处罚", "03": "行政强制", "04": "行政征收", "05": "行政给付", "06": "行政检查",
    "07": "行政确认", "08": "行政奖励", "09": "行政裁决", "10": "其他行政权力", "20": "公共服务", "99": "其他",
}


class ListKind(models.TextChoices):
    GOVERNMENT = "government", _("government affairs")  # 政务
    PARTY = "party", _("party affairs")  # 党务
    PUBLIC_SERVICE = "public_service", _("public services")  # 公共服务


LIST_KIND_NAMES = {"government": "政务", "party": "党务", "public_service": "公共服务"}


class PowerSource(models.TextChoices):
    STATUTORY = "statutory", _("statutory")  # 法定
    AUTHORISED = "authorised", _("authorised")  # 授权
    ENTRUSTED = "entrusted", _("entrusted")  # 委托


POWER_SOURCE_NAMES = {"statutory": "法定", "authorised": "授权", "entrusted": "委托"}


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    CANCELLED = "cancelled", _("cancelled")
    DELEGATED = "delegated", _("delegated")
    TRANSFERRED = "transferred", _("transferred")
    MERGED = "merged", _("merged")


STATUS_NAMES = {"draft": "草稿", "in_review": "审核中", "published": "已公布", "cancelled": "已取消",
                "delegated": "已下放", "transferred": "已转移", "merged": "已整合"}


class LimitUnit(models.TextChoices):
    """The unit a time limit is written in: a calendar period stays one (see catalog/limits.py)."""

    WORKING_DAY = "working_day", _("working days")  # 工作日
    CALENDAR_DAY = "calendar_day", _("calendar days")  # 自然日
    MONTH = "month", _("months")  # 个月
    INSTANT = "instant", _("immediately")  # 即办: 0
    NONE = "none", _("no time limit")  # 无


class PowerItem(models.Model):
    """权力事项: one power of one organisation, with every element of the published list."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
                                     related_name="power_items")
    organisation = models.ForeignKey(Organisation, verbose_name=_("implementing body"), on_delete=models.PROTECT,
                                     related_name="power_items")
    code = models.CharField(_("power code"), max_length=100)
    name = models.CharField(_("name"), max_length=500)
    name_key = models.CharField(max_length=500, editable=False)
    plain_name = models.CharField(_("plain-language name"), max_length=500, blank=True)
    main_item = models.CharField(_("main item"), max_length=500, blank=True)
    category = models.CharField(_("category"), max_length=2, choices=Category.choices)
    list_kind = models.CharField(_("list kind"), max_length=20, choices=ListKind.choices, default=ListKind.GOVERNMENT)
    handling_office = models.CharField(_("handling office"), max_length=300, blank=True)
    exercise_levels = models.CharField(_("exercise levels"), max_length=200, blank=True)
    power_source = models.CharField(_("power source"), max_length=20, choices=PowerSource.choices,
                                    default=PowerSource.STATUTORY)
    # the number as written, in its unit (working days unless the unit says otherwise)
    statutory_limit_days = models.PositiveIntegerField(_("statutory time limit"), null=True, blank=True)
    statutory_limit_unit = models.CharField(_("unit of the statutory time limit"), max_length=20,
                                            choices=LimitUnit.choices, default=LimitUnit.WORKING_DAY)
    promised_limit_days = models.PositiveIntegerField(_("promised time limit"), null=True, blank=True)
    promised_limit_unit = models.CharField(_("unit of the promised time limit"), max_length=20,
                                           choices=LimitUnit.choices, default=LimitUnit.WORKING_DAY)
    limit_note = models.CharField(_("time limit note"), max_length=500, blank=True)
    fee_basis = models.TextField(_("fee basis"), blank=True)
    fee_standard = models.TextField(_("fee standard"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    materials = models.TextField(_("materials"), blank=True)
    result_documents = models.TextField(_("result documents"), blank=True)
    # 投诉电话 of a service guide is this field: catalogues print 监督投诉电话 as one number
    supervision_phone = models.CharField(_("supervision phone"), max_length=100, blank=True)
    # 办事指南: where, when and how citizens get the service
    office_address = models.CharField(_("where to apply"), max_length=500, blank=True)  # 办理地点
    office_hours = models.CharField(_("opening hours"), max_length=500, blank=True)  # 办理时间
    enquiry_phone = models.CharField(_("enquiry phone"), max_length=200, blank=True)  # 咨询电话
    online_url = models.CharField(_("online service address"), max_length=500, blank=True)  # 网上办理地址
    onsite_visits = models.PositiveSmallIntegerField(_("visits in person"), null=True, blank=True)  # 到现场次数
    service_recipients = models.CharField(_("who may apply"), max_length=300, blank=True)  # 服务对象
    flowchart = models.JSONField(_("flowchart"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("power item")
        verbose_name_plural = _("power items")
        ordering = ["jurisdiction_id", "code"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "code"], name="item_code_unique_in_jurisdiction")]
        indexes = [
            models.Index(fields=["jurisdiction", "category", "status"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["jurisdiction", "name_key"]),
            models.Index(fields=["name_key"]),  # search across jurisdictions: exact and prefix
            models.Index(fields=["code"]),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def statutory_limit_text(self) -> str:
        from powerlist.catalog.limits import describe_limit

        return describe_limit(self.statutory_limit_days, self.statutory_limit_unit)

    def promised_limit_text(self) -> str:
        from powerlist.catalog.limits import describe_limit

        return describe_limit(self.promised_limit_days, self.promised_limit_unit)

    def online_link(self) -> str:
        """网上办理地址 as a link only when it is a web address (catalogues also write a portal's name)."""
        url = self.online_url.strip()
        return url if url.lower().startswith(("https://", "http://")) and not any(c.isspace() for c in url) else ""


class BasisKind(models.TextChoices):
    SETTING = "setting", _("setting basis")  # 设定依据
    IMPLEMENTING = "implementing", _("implementing basis")  # 实施依据


class Citation(models.Model):
    """设定/实施依据 as written in the list: one cell's text, which may cite several laws. Its
    parsed and verified parts are CitationReferences."""

    item = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="citations")
    kind = models.CharField(_("basis kind"), max_length=20, choices=BasisKind.choices, default=BasisKind.SETTING)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    raw_text = models.TextField(_("text as written"))
    verification = models.CharField(_("verification"), max_length=30, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["item_id", "position"]

    def __str__(self):
        return self.raw_text[:60]


class CitationReference(models.Model):
    """One law (and article) cited in a Citation's text: what the parser read, the law version
    and article it was checked against, the verdict, and the article's text at that time (so a
    later change of the law can be detected even when the corpus is updated in place)."""

    citation = models.ForeignKey(Citation, on_delete=models.CASCADE, related_name="references")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("law title as written"), max_length=300)
    level = models.CharField(_("law level"), max_length=20, blank=True)
    edition = models.CharField(_("edition note"), max_length=300, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    article = models.PositiveIntegerField(_("article"), null=True, blank=True)
    article_text = models.CharField(_("article as written"), max_length=40, blank=True)
    sub_article = models.PositiveSmallIntegerField(default=0)
    paragraph = models.PositiveSmallIntegerField(_("paragraph"), null=True, blank=True)
    item_no = models.PositiveSmallIntegerField(_("item"), null=True, blank=True)
    quote = models.TextField(_("quoted text"), blank=True)
    result = models.CharField(_("result"), max_length=20)
    message = models.CharField(_("message"), max_length=500, blank=True)
    diff = models.TextField(_("difference"), blank=True)
    law = models.ForeignKey("laws.Law", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    law_version = models.ForeignKey("laws.LawVersion", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    law_article = models.ForeignKey("laws.Article", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    article_snapshot = models.TextField(blank=True)
    checked_at = models.DateTimeField(_("checked at"))

    class Meta:
        verbose_name = _("cited law")
        verbose_name_plural = _("cited laws")
        ordering = ["citation_id", "position"]
        indexes = [models.Index(fields=["law", "article"]), models.Index(fields=["result"])]

    def __str__(self):
        return f"《{self.title}》{self.article_text}"


class Phase(models.TextChoices):
    BEFORE = "before", _("before")  # 事前
    DURING = "during", _("during")  # 事中
    AFTER = "after", _("after")  # 事后


PHASE_NAMES = {"before": "事前", "during": "事中", "after": "事后"}


class ResponsibilityItem(models.Model):
    """责任事项 of one power item, by phase (事前/事中/事后), e.g. 受理责任, 审查责任, 事后监管责任."""

    item = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="responsibilities")
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    content = models.TextField(_("content"))

    class Meta:
        verbose_name = _("responsibility item")
        verbose_name_plural = _("responsibility items")
        ordering = ["item_id", "position"]

    def __str__(self):
        return self.stage or self.content[:40]


class AccountabilitySituation(models.Model):
    """追责情形: a situation in which those exercising the power are held to account."""

    item = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="accountability")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("situation"))

    class Meta:
        verbose_name = _("accountability situation")
        verbose_name_plural = _("accountability situations")
        ordering = ["item_id", "position"]

    def __str__(self):
        return self.text[:60]


class RiskLevel(models.TextChoices):
    HIGH = "high", _("high")
    MEDIUM = "medium", _("medium")
    LOW = "low", _("low")


RISK_LEVEL_NAMES = {"high": "高", "medium": "中", "low": "低"}


class RiskPoint(models.Model):
    """廉政风险点 at one step of the power's flow, graded, with its prevention measure (防控措施)."""

    item = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="risk_points")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    step = models.CharField(_("step"), max_length=100, blank=True)
    description = models.TextField(_("risk"))
    prevention = models.TextField(_("prevention measure"), blank=True)
    # a high-risk step completed only after another person of the department approved it (复核)
    second_approver = models.BooleanField(_("requires a second approver"), default=False)

    class Meta:
        verbose_name = _("risk point")
        verbose_name_plural = _("risk points")
        ordering = ["item_id", "position"]
        indexes = [models.Index(fields=["level"])]

    def __str__(self):
        return f"[{self.get_level_display()}] {self.description[:40]}"


class DiscretionBenchmark(models.Model):
    """裁量基准 of a penalty: for a circumstance and grade, the penalty within the legal range."""

    item = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="discretion")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    grade = models.CharField(_("grade"), max_length=30)
    circumstance = models.TextField(_("circumstance"))
    penalty = models.TextField(_("penalty standard"))
    min_fine = models.DecimalField(_("minimum fine (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    max_fine = models.DecimalField(_("maximum fine (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("discretion benchmark")
        verbose_name_plural = _("discretion benchmarks")
        ordering = ["item_id", "position"]

    def __str__(self):
        return f"{self.grade}：{self.circumstance[:40]}"


class DutyKind(models.TextChoices):
    DUTY = "duty", _("department duty")  # 部门职责
    SUPERVISION = "supervision", _("in-process and after-the-fact supervision rule")  # 事中事后监管制度
    BOUNDARY = "boundary", _("responsibility boundary")  # 职责边界
    PUBLIC_SERVICE = "public_service", _("public service")  # 公共服务事项


class DepartmentResponsibility(models.Model):
    """An entry of a department's responsibility list (责任清单): its duties, its supervision
    rules, where its duties border another department's, and the public services it offers."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT)
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT,
                                     related_name="responsibilities")
    kind = models.CharField(_("kind"), max_length=20, choices=DutyKind.choices)
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300)
    content = models.TextField(_("content"), blank=True)
    basis = models.TextField(_("basis"), blank=True)
    related_organisations = models.ManyToManyField(Organisation, verbose_name=_("other departments"), blank=True,
                                                   related_name="shared_boundaries")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)

    class Meta:
        verbose_name = _("department responsibility")
        verbose_name_plural = _("department responsibility list")
        ordering = ["organisation_id", "kind", "position"]

    def __str__(self):
        return self.title


class ListVersion(models.Model):
    """已公布清单版本: an immutable snapshot of a jurisdiction's published list, with its sha256."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
                                     related_name="list_versions")
    number = models.PositiveIntegerField(_("version number"))
    title = models.CharField(_("title"), max_length=300)
    document = models.CharField(_("approving document"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.CharField(_("published by"), max_length=150)
    item_count = models.PositiveIntegerField(_("items"))
    sha256 = models.CharField(_("sha256"), max_length=64)
    # the transparency log's signed checkpoint at the moment of publication (C2SP tlog-checkpoint text)
    checkpoint = models.TextField(_("signed checkpoint of the audit log"), blank=True)

    class Meta:
        verbose_name = _("published list version")
        verbose_name_plural = _("published list versions")
        ordering = ["jurisdiction_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "number"], name="list_version_number_unique")]

    def __str__(self):
        return f"{self.title}（第{self.number}版）"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("a published list version is immutable: publish a new version instead")
        super().save(*args, **kwargs)


class ListVersionEntry(models.Model):
    """One item as it stood in a published version: the whole item document and its hash."""

    version = models.ForeignKey(ListVersion, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(PowerItem, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=100)
    data = models.JSONField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["version_id", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="list_version_entry_unique")]


class ChangeAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    STATUS = "status", _("status changed")


class ChangeRecord(models.Model):
    """台账记录: one change to one item: before, after, why, on whose authority, who, when."""

    item = models.ForeignKey(PowerItem, verbose_name=_("power item"), on_delete=models.PROTECT,
                             related_name="changes")
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT)
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction.choices)
    before = models.JSONField(_("before"), null=True)
    after = models.JSONField(_("after"))
    changed_fields = models.CharField(_("changed fields"), max_length=500, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    document = models.CharField(_("approving document"), max_length=300, blank=True)
    via = models.CharField(_("via"), max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
                              on_delete=models.PROTECT)
    actor_name = models.CharField(_("actor"), max_length=150)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("ledger of changes")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["item", "at"]), models.Index(fields=["jurisdiction", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.changed_fields}"


class RequestKind(models.TextChoices):
    ADD = "add", _("add an item")  # 新增
    AMEND = "amend", _("amend an item")  # 变更
    CANCEL = "cancel", _("cancel an item")  # 取消


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class ChangeRequest(models.Model):
    """动态调整申请: a department's request to add, amend or cancel an item of the published list.
    Nothing changes until a reviewer approves it; approval goes through the item service and
    lands in the ledger and the next published version."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
                                     related_name="change_requests")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT,
                                     related_name="change_requests")
    item = models.ForeignKey(PowerItem, verbose_name=_("power item"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="change_requests")
    kind = models.CharField(_("kind of request"), max_length=10, choices=RequestKind.choices)
    code = models.CharField(_("power code"), max_length=100)
    name = models.CharField(_("name"), max_length=500)
    # the fields asked for, as item-document values (a whole document for "add")
    changes = models.JSONField(_("requested changes"))
    # those fields as they stood when the request was made (none for "add")
    before = models.JSONField(_("before"), null=True, blank=True)
    base_version = models.PositiveIntegerField(_("item version requested against"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    basis = models.CharField(_("basis (law or document)"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING)
    via = models.CharField(_("via"), max_length=20)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    requested_by_name = models.CharField(_("requested by"), max_length=150)
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_by_name = models.CharField(_("decided by"), max_length=150, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    change_record = models.ForeignKey(ChangeRecord, verbose_name=_("ledger record"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["jurisdiction", "status", "requested_at"]),
                   models.Index(fields=["organisation", "status"]), models.Index(fields=["item", "status"])]

    def __str__(self):
        return f"#{self.pk} {self.get_kind_display()} {self.code} {self.name}"
