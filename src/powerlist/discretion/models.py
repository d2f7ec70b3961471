"""Discretion benchmarks (裁量基准). Writes happen only in `powerlist.discretion.services`.

A table is imported whole (an XLSX as departments keep it, or DMN) and stored as rows attached to
penalty items. A new import of an item's rows supersedes the old ones (kept, no longer in force),
so a case decided under an older table can still be checked against the rows it was decided under."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from powerlist.catalog.models import PowerItem
from powerlist.core.models import Jurisdiction


class TableImport(models.Model):
    """One imported file: who, when, its sha256 and how many rows it gave."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
                                     related_name="discretion_imports")
    filename = models.CharField(_("file"), max_length=255)
    format = models.CharField(_("format"), max_length=10)  # xlsx / dmn
    sha256 = models.CharField(_("sha256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    items = models.PositiveIntegerField(_("items"))
    needs_person = models.PositiveIntegerField(_("rows a person must structure"))
    imported_by = models.CharField(_("imported by"), max_length=150)
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        verbose_name = _("discretion table import")
        verbose_name_plural = _("discretion table imports")
        ordering = ["-imported_at"]

    def __str__(self):
        return self.filename


class Benchmark(models.Model):
    """One row of a discretion table: a violation's grade (类别) or circumstance (裁量情节) and the
    standard (裁量标准) it allows, as written and as structured (`parsed`, see parse.py)."""

    source = models.ForeignKey(TableImport, verbose_name=_("imported from"), on_delete=models.PROTECT,
                               related_name="benchmarks")
    item = models.ForeignKey(PowerItem, verbose_name=_("power item"), on_delete=models.PROTECT,
                             related_name="discretion_benchmarks")
    in_force = models.BooleanField(_("in force"), default=True)
    sheet = models.CharField(_("sheet (law)"), max_length=200, blank=True)
    row = models.PositiveIntegerField(_("row"), null=True, blank=True)
    number = models.CharField(_("serial number"), max_length=100, blank=True)  # 序号 / 职权编码
    violation = models.TextField(_("violation"))  # 违法行为
    basis = models.TextField(_("legal basis"), blank=True)  # 法律依据
    grade = models.CharField(_("grade"), max_length=200, blank=True)  # 类别: 轻微 / 一般 / 较重 / 严重
    circumstances = models.TextField(_("circumstances"), blank=True)  # 裁量情节
    standard = models.TextField(_("standard"))  # 裁量标准, as written
    note = models.TextField(_("note"), blank=True)  # 备注
    parsed = models.JSONField(_("structured standard"))
    needs_person = models.BooleanField(_("a person must structure it"), default=False)

    class Meta:
        verbose_name = _("discretion benchmark")
        verbose_name_plural = _("discretion benchmarks")
        ordering = ["item_id", "pk"]
        indexes = [models.Index(fields=["item", "in_force"])]

    def __str__(self):
        return f"{self.violation[:30]}（{self.grade}）"


class Allowance(models.Model):
    """One thing a benchmark row allows, as rows the supervision rule's SQL can join (the same
    reading as `Benchmark.parsed`): a fine in yuan (`absolute`), a percentage or a multiple of a
    named base (`percent`: 0.01 is 百分之一; `multiple`: 3 is 三倍), a non-monetary measure
    (`measure`, its name such as 警告 or 责令停产整治), or `daily` (按日连续处罚 allowed: the row's
    fines are then also per day). Open ends are NULL."""

    benchmark = models.ForeignKey(Benchmark, verbose_name=_("discretion benchmark"), on_delete=models.PROTECT,
                                  related_name="allowances")
    kind = models.CharField(_("kind"), max_length=10)  # absolute / percent / multiple / measure / daily
    minimum = models.DecimalField(_("minimum"), max_digits=20, decimal_places=6, null=True, blank=True)
    maximum = models.DecimalField(_("maximum"), max_digits=20, decimal_places=6, null=True, blank=True)
    name = models.CharField(_("base or measure"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("allowed penalty")
        verbose_name_plural = _("allowed penalties")
        ordering = ["benchmark_id", "pk"]

    def __str__(self):
        return f"{self.kind} {self.minimum}–{self.maximum} {self.name}"


class Decision(models.Model):
    """What an officer decided at a decision (决定) step: the facts picked (the benchmark row), the
    base a percentage or multiple is taken of, the amount, the penalty type and the reason. The
    event carries the grade, amount and penalty type in its own columns; supervision recomputes
    the range from the row and this base, never from a stored range."""

    # no database constraint: on PostgreSQL the events table's key is (id, at) (partitioned by month)
    event = models.OneToOneField("operation.CaseEvent", verbose_name=_("case event"), on_delete=models.PROTECT,
                                 related_name="decision", db_constraint=False)
    item = models.ForeignKey(PowerItem, verbose_name=_("power item"), on_delete=models.PROTECT, related_name="+")
    benchmark = models.ForeignKey(Benchmark, verbose_name=_("discretion benchmark"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="decisions")
    facts = models.CharField(_("facts"), max_length=200)
    base = models.DecimalField(_("base amount (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, null=True, blank=True)
    penalty_type = models.CharField(_("penalty type"), max_length=100, blank=True)
    reason = models.TextField(_("reason"))
    decided_by = models.CharField(_("decided by"), max_length=150)
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("discretion decision")
        verbose_name_plural = _("discretion decisions")
        ordering = ["-decided_at"]

    def __str__(self):
        return f"{self.facts} {self.amount}"
