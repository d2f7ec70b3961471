"""Jurisdictions (行政区划), organisations (部门/单位), users with role and scope, and the audit
chain. Writes happen only in `powerlist.core.services`."""

import unicodedata

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from powerlist.core.text import normalise


class Level(models.IntegerChoices):
    PROVINCE = 1, _("province")
    CITY = 2, _("city")
    COUNTY = 3, _("county")
    TOWNSHIP = 4, _("township")
    COMMUNITY = 5, _("community")


# NBS 统计用区划代码: 2 digits province, 4 city, 6 county, 9 township, 12 community/village.
CODE_LENGTHS = {Level.PROVINCE: 2, Level.CITY: 4, Level.COUNTY: 6, Level.TOWNSHIP: 9, Level.COMMUNITY: 12}


def short_code(code: str) -> str:
    """The stored (shortest) form of a division code, from every official form of it:
    NBS 2/4/6/9/12 digits, the 12-digit zero-padded form (`511602000000` -> `511602`) and
    GB/T 2260's six digits for provinces and cities (`440000` -> `44` 广东省, `440700` -> `4407`
    江门市). GB/T 2260 gives a county 01-99 in its last two digits and NBS a township or village
    001-999, so trailing zeros after a level's digits never belong to a lower level. Full-width
    digits and spaces around the code are tolerated; anything else comes back as given (trimmed)."""
    code = unicodedata.normalize("NFKC", code or "").strip()
    if code.isascii() and code.isdigit() and len(code) in (6, 9, 12):
        for length in (2, 4, 6, 9):
            if length < len(code) and code[length:] == "0" * (len(code) - length):
                return code[:length]
    return code
class JurisdictionQuerySet(models.QuerySet):
    def by_code(self, code: str) -> "Jurisdiction":
        return self.get(code=short_code(code))


class Jurisdiction(models.Model):
    """行政区划: province, city, county, township or community, with its NBS/GB/T 2260 code."""

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"])]

    def __str__(self):
        return f"{self.full_name()}（{self.code}）"

    def full_name(self) -> str:
        names, node, seen = [], self, 0
        while node is not None and seen < 6:
            # 市辖区 under a municipality adds nothing to the name people use
            if node.name not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                names.append(node.name)
            node, seen = node.parent, seen + 1
        return "".join(reversed(names))

    def ancestor_codes(self) -> list[str]:
        """Codes of this jurisdiction and every level above, derived from the code itself."""
        return [self.code[:n] for n in (2, 4, 6, 9, 12) if n <= len(self.code)]


class OrganisationKind(models.TextChoices):
    GOVERNMENT = "government", _("people's government")
    DEPARTMENT = "department", _("government department")
    INSTITUTION = "institution", _("public institution")
    AUTHORISED = "authorised", _("organisation authorised by law")
    ENTRUSTED = "entrusted", _("entrusted organisation")
    PARTY = "party", _("party organ")
    OTHER = "other", _("other")


class Organisation(models.Model):
    """部门/单位: the body that holds and exercises powers, valid between two dates."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="organisations"
    )
    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.DEPARTMENT)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    code = models.CharField(_("department code"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent organisation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    phone = models.CharField(_("supervision phone"), max_length=60, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["jurisdiction__code", "name"]
        indexes = [models.Index(fields=["jurisdiction", "name_key"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = normalise(self.name)
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    ADMIN = "admin", _("administrator")
    REVIEWER = "reviewer", _("reviewer")
    CLERK = "clerk", _("department clerk")
    LEGAL = "legal", _("legal reviewer")
    EXPERT = "expert", _("expert reviewer")
    HALL = "hall", _("service hall clerk")
    INSPECTOR = "inspector", _("inspector")


class User(AbstractUser):
    """A user acts in one role, within a jurisdiction (reviewers, inspectors) or one
    organisation (clerks)."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CLERK)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), null=True, blank=True, on_delete=models.PROTECT
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN


class AuditEntry(models.Model):
    """One leaf of the transparency log: leaf_hash = SHA-256(0x00 || canonical body) as in
    RFC 9162. Entries written before the log (migration 0003) also keep their old chain
    link: hash = sha256(prev_hash + canonical body); newer entries leave both empty."""

    seq = models.BigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"))
    actor = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=60)
    target = models.CharField(_("target"), max_length=200, blank=True)
    payload = models.TextField(_("payload"))
    leaf_hash = models.CharField(_("leaf hash"), max_length=64, default="")
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, default="")
    hash = models.CharField(_("hash"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["seq"]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.target}"


class AuditNode(models.Model):
    """The hash of one complete subtree of the log (level >= 1; level 0 is the entry's leaf
    hash), stored once when its last leaf is appended, so proofs read a few rows. The key is
    end * 64 + level, end being the number of leaves up to the subtree's right edge: ordering
    by id is the order in which nodes were made, which lets verify stream them beside the
    entries."""

    id = models.BigIntegerField(primary_key=True)
    hash = models.CharField(max_length=64)

    @staticmethod
    def key(level: int, index: int) -> int:
        return ((index + 1) << level) * 64 + level


class AuditHead(models.Model):
    """The log's current tree, one row: appenders lock it so entries are numbered one by one
    even with several processes writing to PostgreSQL. `hash` is the root hash (hex), and
    `frontier` the hashes of the complete subtrees the tree is made of (largest first), which
    is all an append needs."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    frontier = models.TextField(default="[]")


class AuditCheckpoint(models.Model):
    """A signed checkpoint this installation issued (C2SP tlog-checkpoint). The same text is
    appended to a file in the data directory, outside the database's reach."""

    size = models.BigIntegerField(unique=True)
    root = models.CharField(max_length=64)
    text = models.TextField()
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["size"]


class SearchSynonym(models.Model):
    """A word people type and the words the lists use for it (低保 -> 最低生活保障): kept as data
    that administrators edit (core.services.synonyms), applied to every search at query time."""

    term = models.CharField(_("term people type"), max_length=30)
    term_key = models.CharField(max_length=30, unique=True, editable=False)
    expansions = models.TextField(_("words of the lists"), help_text=_("One per line."))
    note = models.CharField(_("note"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["term_key"]

    def __str__(self):
        return f"{self.term} → {' / '.join(self.expansion_list())}"

    def expansion_list(self) -> list[str]:
        return [line.strip() for line in self.expansions.splitlines() if line.strip()]


class CalendarYear(models.Model):
    """A year of the working-day calendar loaded by an administrator from the State Council's notice
    (国务院办公厅关于XXXX年部分节假日安排的通知). For that year it replaces chinese-calendar's data:
    weekends rest, except the notice's make-up working days (调休上班), and its holidays rest."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=200, help_text=_("The notice, with its number."))
    loaded_by = models.CharField(_("loaded by"), max_length=150)
    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}：{self.source}"


class CalendarDay(models.Model):
    """One day a loaded notice names: a holiday (is_working_day False) or a make-up working day."""

    calendar_year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days",
                                      verbose_name=_("calendar year"))
    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("holiday"), max_length=40)

    class Meta:
        verbose_name = _("notice day")
        verbose_name_plural = _("notice days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}{'（调休上班）' if self.is_working_day else ''}"


class Attempt(models.Model):
    """One counted anonymous attempt (see `powerlist.core.throttle`): the scope, a keyed hash of
    the address (never the address itself) and the time."""

    scope = models.CharField(_("scope"), max_length=40)
    key = models.CharField(_("address hash"), max_length=64)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("throttled attempt")
        verbose_name_plural = _("throttled attempts")
        indexes = [models.Index(fields=["scope", "key", "at"])]
