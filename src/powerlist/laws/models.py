"""The law corpus: laws, their versions and articles. It knows nothing of power items: the
catalog links its citations here and asks `powerlist.laws.verify` for verdicts.

Writes happen only in `powerlist.laws.services`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LawLevel(models.TextChoices):
    """效力层级."""

    CONSTITUTION = "宪法", _("constitution")
    LAW = "法律", _("law")
    ADMINISTRATIVE_REGULATION = "行政法规", _("administrative regulation")
    LOCAL_REGULATION = "地方性法规", _("local regulation")
    RULE = "规章", _("rule")
    NORMATIVE_DOCUMENT = "规范性文件", _("normative document")


class LawStatus(models.TextChoices):
    CURRENT = "现行有效", _("in force")
    REPEALED = "已废止", _("repealed")
    AMENDED = "已被修改", _("amended")
    HISTORICAL = "历史版本", _("historical version")


class Law(models.Model):
    """One law across its versions, known by its title (and its aliases, e.g. short titles)."""

    title = models.CharField(_("title"), max_length=300)
    title_key = models.CharField(max_length=300, unique=True, editable=False)
    level = models.CharField(_("law level"), max_length=10, choices=LawLevel.choices)
    aliases = models.JSONField(_("short names"), default=list, blank=True)
    field = models.CharField(_("field of law"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("law")
        verbose_name_plural = _("laws")
        ordering = ["title"]

    def __str__(self):
        return self.title


class LawVersion(models.Model):
    """One version (edition) of a law, with its dates and status."""

    law = models.ForeignKey(Law, verbose_name=_("law"), on_delete=models.CASCADE, related_name="versions")
    source_key = models.CharField(_("source key"), max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=300)
    level = models.CharField(_("law level"), max_length=10, choices=LawLevel.choices)
    doc_type = models.CharField(_("document type"), max_length=30, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=200, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    published = models.DateField(_("publication date"), null=True, blank=True)
    effective = models.DateField(_("effective date"), null=True, blank=True)
    version_date = models.DateField(_("version date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=LawStatus.choices)
    is_current = models.BooleanField(_("current version"), default=False)
    content_sha256 = models.CharField(max_length=64)
    source = models.CharField(_("source"), max_length=300, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"))
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("law version")
        verbose_name_plural = _("law versions")
        ordering = ["law_id", "-version_date"]
        indexes = [models.Index(fields=["law", "is_current"]), models.Index(fields=["changed_at"])]

    def __str__(self):
        return f"{self.title}（{self.version_date or self.published or ''} {self.status}）"


class Article(models.Model):
    """An article (条) of a law version: its number as written and as an integer, and its text,
    paragraphs (款) separated by line breaks, items (项) on lines of their own."""

    version = models.ForeignKey(LawVersion, on_delete=models.CASCADE, related_name="articles")
    position = models.PositiveIntegerField()
    number_text = models.CharField(_("article"), max_length=30)
    number = models.PositiveIntegerField(_("article number"))
    sub_number = models.PositiveSmallIntegerField(default=0, help_text="第十条之一 → 1")
    chapter = models.CharField(_("chapter"), max_length=200, blank=True)
    section = models.CharField(_("section"), max_length=200, blank=True)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["version_id", "position"]
        indexes = [models.Index(fields=["version", "number", "sub_number"])]

    def __str__(self):
        return f"{self.version.title}{self.number_text}"
