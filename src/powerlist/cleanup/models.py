"""Clean-up campaigns (清理工作). Writes happen only in `powerlist.cleanup.services`.

A department's self-report creates ordinary PowerItems in status "in review" (never on the
portal, which shows published items only); a CampaignEntry ties each one to the campaign and
to its department's Task. Decisions are kept per round, never overwritten across rounds, so
every round's history stays; the final decision of an entry is its latest one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from powerlist.catalog.models import ListVersion, PowerItem
from powerlist.core.models import Jurisdiction, Organisation


class Campaign(models.Model):
    """清理工作: a jurisdiction's review of its departments' self-reported powers."""

    class State(models.TextChoices):
        OPEN = "open", _("under way")
        PUBLISHED = "published", _("published")

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
                                     related_name="campaigns")
    title = models.CharField(_("title"), max_length=300)
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("campaign state"), max_length=20, choices=State.choices, default=State.OPEN)
    # the round now open (三上三下: 1, 2, 3, …)
    current_round = models.PositiveSmallIntegerField(_("current round"), default=1)
    # opened without a list of departments: every department of the jurisdiction may self-report
    all_departments = models.BooleanField(_("open to every department"), default=False)
    opened_by = models.CharField(_("opened by"), max_length=150)
    opened_at = models.DateTimeField(_("opened at"))
    version = models.OneToOneField(ListVersion, verbose_name=_("published version"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="campaign")
    # the statistics frozen at publication (the shape of `campaign stats --json`)
    statistics = models.JSONField(_("statistics"), null=True, blank=True)
    # the upper level's (city's, province's) published list: check (e) compares against it, and the
    # items it delegates down to this level appear in the campaign as items to take over (承接)
    reference = models.ForeignKey(Jurisdiction, verbose_name=_("reference list (upper level)"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="+")
    # 征求意见: the draft is open for public comment between these times (Asia/Shanghai)
    consultation_opens = models.DateTimeField(_("public consultation opens"), null=True, blank=True)
    consultation_closes = models.DateTimeField(_("public consultation closes"), null=True, blank=True)

    class Meta:
        verbose_name = _("clean-up campaign")
        verbose_name_plural = _("clean-up campaigns")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.title}（{self.jurisdiction.name}）"


class Task(models.Model):
    """One department's part of a campaign: its submission."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")  # 未开始
        SUBMITTED = "submitted", _("self-report submitted")  # 已报送
        IN_REVIEW = "in_review", _("in review")  # 审核中
        ACCEPTED = "accepted", _("accepted by the department")  # 已确认

    campaign = models.ForeignKey(Campaign, verbose_name=_("clean-up campaign"), on_delete=models.CASCADE,
                                 related_name="tasks")
    organisation = models.ForeignKey(Organisation, verbose_name=_("department"), on_delete=models.PROTECT,
                                     related_name="campaign_tasks")
    state = models.CharField(_("task state"), max_length=20, choices=State.choices, default=State.NOT_STARTED)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("department task")
        verbose_name_plural = _("department tasks")
        constraints = [models.UniqueConstraint(fields=["campaign", "organisation"], name="cleanup_task_unique")]

    def __str__(self) -> str:
        return f"{self.organisation.name} · {self.campaign.title}"


class Entry(models.Model):
    """A self-reported item under review in a campaign."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("clean-up campaign"), on_delete=models.CASCADE,
                                 related_name="entries")
    task = models.ForeignKey(Task, verbose_name=_("department task"), on_delete=models.CASCADE,
                             related_name="entries")
    item = models.ForeignKey(PowerItem, verbose_name=_("power item"), on_delete=models.PROTECT,
                             related_name="campaign_entries")
    reported_at = models.DateTimeField(_("reported at"))
    # 承接: an item the upper level delegated down, entered for this department to take over
    upper_item = models.ForeignKey(PowerItem, verbose_name=_("delegated by the upper level"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("reported item")
        verbose_name_plural = _("reported items")
        constraints = [models.UniqueConstraint(fields=["campaign", "item"], name="cleanup_entry_unique")]

    def __str__(self) -> str:
        return f"{self.item.code} {self.item.name}"


class DecisionKind(models.TextChoices):
    KEEP = "keep", _("keep the item")  # 保留
    CANCEL = "cancel", _("cancel the item")  # 取消
    DELEGATE = "delegate", _("delegate down")  # 下放
    TRANSFER = "transfer", _("transfer to a social body")  # 转移
    MERGE = "merge", _("merge into another item")  # 整合
    AMEND = "amend", _("amend the item")  # 调整


DECISION_NAMES = {"keep": "保留", "cancel": "取消", "delegate": "下放", "transfer": "转移", "merge": "整合",
                  "amend": "调整"}


class CancelReason(models.TextChoices):
    NO_LEGAL_BASIS = "no_legal_basis", _("no legal basis")  # 无法律依据
    NOT_A_POWER = "not_a_power", _("not an administrative power")  # 不属于行政权力
    OBSOLETE = "obsolete", _("obsolete")  # 已过时
    OTHER = "other", _("other reason")  # 其他


CANCEL_REASON_NAMES = {"no_legal_basis": "无法律依据", "not_a_power": "不属于行政权力", "obsolete": "已过时",
                       "other": "其他"}


class Reply(models.TextChoices):
    ACCEPT = "accept", _("accepts the decision")  # 同意
    REVISE = "revise", _("revised the item")  # 已修改
    OBJECT = "object", _("objects to the decision")  # 有异议


class Decision(models.Model):
    """The reviewer's decision on one entry in one round, and the department's reply to it."""

    entry = models.ForeignKey(Entry, verbose_name=_("reported item"), on_delete=models.CASCADE,
                              related_name="decisions")
    round = models.PositiveSmallIntegerField(_("review round"))
    kind = models.CharField(_("decision"), max_length=20, choices=DecisionKind.choices)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=30, choices=CancelReason.choices,
                                     blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # delegate: to which level; transfer: to which social or industry body
    receiver = models.CharField(_("taken over by"), max_length=300, blank=True)
    merge_into = models.ForeignKey(PowerItem, verbose_name=_("merged into"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    # amend: {field: {"before": …, "after": …}} against the item document as decided
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    comment = models.TextField(_("reviewer's comment"), blank=True)
    decided_by = models.CharField(_("decided by"), max_length=150)
    decided_at = models.DateTimeField(_("decided at"))
    reply = models.CharField(_("department's reply"), max_length=20, choices=Reply.choices, blank=True)
    reply_text = models.TextField(_("reply text"), blank=True)
    replied_by = models.CharField(_("replied by"), max_length=150, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        ordering = ["entry_id", "round"]
        constraints = [models.UniqueConstraint(fields=["entry", "round"], name="cleanup_decision_per_round")]

    def __str__(self) -> str:
        return f"第{self.round}轮 {DECISION_NAMES.get(self.kind, self.kind)}"


class ReplyRecord(models.Model):
    """One reply of the department to a decision. Every reply stays (who, when, what); the
    decision's reply fields hold the current (latest) one, which the round figures count."""

    decision = models.ForeignKey(Decision, verbose_name=_("review decision"), on_delete=models.CASCADE,
                                 related_name="replies")
    answer = models.CharField(_("department's reply"), max_length=20, choices=Reply.choices)
    text = models.TextField(_("reply text"), blank=True)
    replied_by = models.CharField(_("replied by"), max_length=150)
    replied_at = models.DateTimeField(_("replied at"))

    class Meta:
        verbose_name = _("department's reply")
        verbose_name_plural = _("department's replies")
        ordering = ["decision_id", "replied_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_answer_display()} {self.replied_by}"


class Stage(models.TextChoices):
    LEGALITY = "legality", _("legality review")  # 合法性审查
    EXPERT = "expert", _("expert review")  # 专家论证


class Signoff(models.Model):
    """A legality or expert reviewer's sign-off of one entry in one round (per item or in batch)."""

    class Verdict(models.TextChoices):
        APPROVED = "approved", _("approved")  # 通过
        OBJECTED = "objected", _("objection")  # 有异议

    entry = models.ForeignKey(Entry, verbose_name=_("reported item"), on_delete=models.CASCADE,
                              related_name="signoffs")
    round = models.PositiveSmallIntegerField(_("review round"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    comment = models.TextField(_("comment"), blank=True)
    signed_by = models.CharField(_("signed by"), max_length=150)
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        ordering = ["entry_id", "round", "stage"]
        constraints = [models.UniqueConstraint(fields=["entry", "round", "stage"], name="cleanup_signoff_unique")]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.get_verdict_display()}"


class Comment(models.Model):
    """A member of the public's comment on a draft item during consultation (no login). Stored as
    given, shown only after moderation and always escaped; the address only as a keyed hash."""

    class State(models.TextChoices):
        PENDING = "pending", _("awaiting moderation")
        SHOWN = "shown", _("shown")
        HIDDEN = "hidden", _("not shown")

    campaign = models.ForeignKey(Campaign, verbose_name=_("clean-up campaign"), on_delete=models.CASCADE,
                                 related_name="comments")
    entry = models.ForeignKey(Entry, verbose_name=_("reported item"), on_delete=models.CASCADE,
                              related_name="comments")
    text = models.TextField(_("comment"))
    name = models.CharField(_("name"), max_length=100, blank=True)  # optional; personal data, masked when shown
    address_hash = models.CharField(_("address hash"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("received at"))
    state = models.CharField(_("moderation"), max_length=10, choices=State.choices, default=State.PENDING)
    moderated_by = models.CharField(_("moderated by"), max_length=150, blank=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    adopted = models.BooleanField(_("adopted"), null=True, blank=True)
    replied_by = models.CharField(_("replied by"), max_length=150, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("public comment")
        verbose_name_plural = _("public comments")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["campaign", "state"])]

    def __str__(self) -> str:
        return self.text[:40]
