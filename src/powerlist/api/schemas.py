"""Request and response shapes. Field names are the item document's keys (see
`powerlist.catalog.documents.DOCUMENT_FIELDS`); values are as stored: category codes "01".."99",
status codes, ISO dates, fines as decimal strings.

Inputs are bounded to what the database columns hold, so a request is refused with 422 and the
field named instead of failing in the database."""

import datetime as dt
import math
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator, model_validator

from powerlist.catalog.models import (
    BasisKind, Category, DutyKind, LimitUnit, ListKind, Phase, PowerSource, RiskLevel, Status,
)
from powerlist.core.models import Level, OrganisationKind
from powerlist.core.text import normalise

CategoryCode = Literal[tuple(Category.values)]
StatusCode = Literal[tuple(Status.values)]
ListKindCode = Literal[tuple(ListKind.values)]
PowerSourceCode = Literal[tuple(PowerSource.values)]
PhaseCode = Literal[tuple(Phase.values)]
RiskLevelCode = Literal[tuple(RiskLevel.values)]
BasisKindCode = Literal[tuple(BasisKind.values)]
LevelNumber = Literal[tuple(Level.values)]
OrganisationKindCode = Literal[tuple(OrganisationKind.values)]
DutyKindCode = Literal[tuple(DutyKind.values)]
LimitUnitCode = Literal[tuple(LimitUnit.values)]

# 统计用区划代码 in any official form: NBS 2, 4, 6, 9 or 12 digits (12 may be zero-padded), GB/T 2260's
# six digits for provinces and cities (440000, 440700); core.models.short_code reads them all
CODE_PATTERN = r"^[0-9]{2,12}$"
MAX_ID = 2**63 - 1
LONG_TEXT = 20000
MAX_ENTRIES = 200


# ---------------------------------------------------------------------------------------------
# errors

class ProblemOut(Schema):
    file: str
    row: int | None
    field: str
    value: str
    expected: str


class ErrorOut(Schema):
    detail: str
    problems: list[ProblemOut] = []


# ---------------------------------------------------------------------------------------------
# jurisdictions and organisations

class JurisdictionRef(Schema):
    code: str
    name: str


class JurisdictionOut(Schema):
    code: str
    name: str
    full_name: str
    level: int
    parent: str | None


class JurisdictionDetail(JurisdictionOut):
    ancestors: list[JurisdictionRef]
    children: int
    organisations: int
    published_items: int


class PageMeta(Schema):
    count: int
    page: int
    per_page: int
    pages: int


class JurisdictionPage(PageMeta):
    results: list[JurisdictionOut]


class OrganisationRef(Schema):
    id: int
    name: str


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    jurisdiction: str
    uscc: str
    code: str
    parent_id: int | None
    phone: str
    valid_from: dt.date | None
    valid_to: dt.date | None


class OrganisationPage(PageMeta):
    results: list[OrganisationOut]


class DutyOut(Schema):
    id: int
    kind: str
    position: int
    title: str
    content: str
    basis: str
    status: str
    related_organisations: list[OrganisationRef]


class ResponsibilityList(Schema):
    """责任清单 of a department: duties, supervision rules, boundaries with other departments
    (with those departments), public services."""

    duty: list[DutyOut]
    supervision: list[DutyOut]
    boundary: list[DutyOut]
    public_service: list[DutyOut]


class OrganisationDetail(OrganisationOut):
    responsibilities: ResponsibilityList


# ---------------------------------------------------------------------------------------------
# items: output

class SuccessorArticle(Schema):
    """An article of the law that replaced a repealed one (or of the current version of a changed
    law) carrying the cited rule, with its similarity (0-1) and the words both texts share."""
    law: str
    article: int
    score: float
    matched: list[str]


class CheckedReference(Schema):
    title: str
    article: int | None
    article_text: str
    result: str
    message: str
    successors: list[SuccessorArticle] = []


class CitationOut(Schema):
    kind: str
    text: str
    verification: str
    checked_at: dt.datetime | None
    references: list[CheckedReference]


class ResponsibilityEntry(Schema):
    phase: str
    stage: str
    content: str


class RiskPointEntry(Schema):
    level: str
    step: str
    description: str
    prevention: str
    second_approver: bool = False


class DiscretionEntry(Schema):
    grade: str
    circumstance: str
    penalty: str
    min_fine: str | None
    max_fine: str | None


class ItemSummary(Schema):
    id: int
    code: str
    name: str
    plain_name: str
    category: str
    list_kind: str
    status: str
    organisation: str
    organisation_id: int
    jurisdiction: str
    version: int
    updated_at: dt.datetime


class ItemFound(ItemSummary):
    highlight: list[tuple[int, int]] = Field(
        default_factory=list, description="[start, end) character ranges of `name` that match the query or a "
                                          "phrase its synonyms gave (empty without a query)")


class ItemPage(PageMeta):
    query: str
    expanded: list[str] = Field(default_factory=list, description="phrases the synonym table added to the query "
                                                                  "(低保 -> 最低生活保障), searched as well")
    results: list[ItemFound]


class ItemOut(Schema):
    """The item document with its id, place, version and the verdicts on its legal basis."""

    id: int
    jurisdiction: JurisdictionRef
    organisation_id: int
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    code: str
    name: str
    plain_name: str
    main_item: str
    category: str
    list_kind: str
    organisation: str
    handling_office: str
    exercise_levels: str
    power_source: str
    citations: list[CitationOut]
    statutory_limit_days: int | None = Field(description="the number as written, in statutory_limit_unit")
    statutory_limit_unit: LimitUnitCode = Field(description="working_day, calendar_day (自然日), month, "
                                                            "instant (即办: 0) or none (无)")
    promised_limit_days: int | None = Field(description="the number as written, in promised_limit_unit")
    promised_limit_unit: LimitUnitCode
    limit_note: str
    fee_basis: str
    fee_standard: str
    conditions: str
    materials: str
    result_documents: str
    responsibilities: list[ResponsibilityEntry]
    accountability: list[str]
    risk_points: list[RiskPointEntry]
    discretion: list[DiscretionEntry]
    flowchart: dict[str, Any]
    supervision_phone: str = Field(description="监督电话, the service guide's 投诉电话")
    office_address: str = Field(description="办理地点")
    office_hours: str = Field(description="办理时间")
    enquiry_phone: str = Field(description="咨询电话")
    online_url: str = Field(description="网上办理地址")
    onsite_visits: int | None = Field(description="到现场次数: visits in person")
    service_recipients: str = Field(description="服务对象")
    status: str
    valid_from: str | None
    valid_to: str | None


# ---------------------------------------------------------------------------------------------
# versions and statistics

class VersionOut(Schema):
    number: int
    title: str
    document: str
    published_at: dt.datetime
    published_by: str
    item_count: int
    sha256: str


class VersionPage(PageMeta):
    results: list[VersionOut]


class VersionEntryOut(Schema):
    code: str
    sha256: str
    data: dict[str, Any]


class VersionDetail(VersionOut):
    jurisdiction: JurisdictionRef
    entries: PageMeta
    results: list[VersionEntryOut]


class DiffEntry(Schema):
    code: str
    name: str


class FieldChange(Schema):
    field: str
    before: Any = None
    after: Any = None


class ChangedItem(Schema):
    code: str
    name: str
    fields: list[FieldChange]


class VersionDiffOut(Schema):
    older: int
    newer: int
    added: list[DiffEntry]
    removed: list[DiffEntry]
    changed: list[ChangedItem]


class CategoryCount(Schema):
    category: str
    name: str
    total: int
    by_status: dict[str, int]


class DepartmentCount(Schema):
    organisation: str
    total: int
    by_category: dict[str, int]


class StatsOut(Schema):
    jurisdiction: JurisdictionRef
    total: int
    statuses: list[str]
    by_category: list[CategoryCount]
    by_department: list[DepartmentCount]


# ---------------------------------------------------------------------------------------------
# items: input

def _bad_text(value, path: str = "") -> str | None:
    """Where a value holds text no database column can store: NUL characters, lone surrogates,
    or numbers that are not finite."""
    if isinstance(value, str):
        if "\x00" in value:
            return f"{path or 'value'}: text must not contain NUL characters"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return f"{path or 'value'}: text must be valid Unicode (no lone surrogates)"
    elif isinstance(value, float) and not math.isfinite(value):
        return f"{path or 'value'}: numbers must be finite"
    elif isinstance(value, dict):
        for k, v in value.items():
            problem = _bad_text(k, path) or _bad_text(v, f"{path}.{k}" if path else str(k))
            if problem:
                return problem
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            problem = _bad_text(v, f"{path}[{i}]")
            if problem:
                return problem
    return None


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def storable_text(cls, data):
        problem = _bad_text(data)
        if problem:
            raise ValueError(problem)
        return data


class CitationIn(InputSchema):
    kind: BasisKindCode = "setting"
    text: str = Field(max_length=LONG_TEXT)


class ResponsibilityIn(InputSchema):
    phase: PhaseCode
    stage: str = Field("", max_length=100)
    content: str = Field(max_length=LONG_TEXT)


class RiskPointIn(InputSchema):
    level: RiskLevelCode
    step: str = Field("", max_length=100)
    description: str = Field(max_length=LONG_TEXT)
    prevention: str = Field("", max_length=LONG_TEXT)
    second_approver: bool = Field(False, description="a high-risk (high) step completed only after another person "
                                  "of the department approved it (复核)")


class DiscretionIn(InputSchema):
    grade: str = Field(max_length=30)
    circumstance: str = Field(max_length=LONG_TEXT)
    penalty: str = Field(max_length=LONG_TEXT)
    min_fine: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2, description="yuan")
    max_fine: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2, description="yuan")


class FlowStepIn(Schema):
    model_config = ConfigDict(extra="allow")
    id: str = Field("", max_length=50)
    name: str = Field(min_length=1, max_length=200)


class FlowchartIn(Schema):
    """`steps` (each with an id and a name) and `flows` ([from id, to id]); other keys are kept."""

    model_config = ConfigDict(extra="allow")
    steps: list[FlowStepIn] = Field([], max_length=MAX_ENTRIES)
    flows: list[list[str]] = Field([], max_length=MAX_ENTRIES * 4)


def _text(limit: int | None = None, default=None, **kw):
    return Field(default, max_length=limit or LONG_TEXT, **kw)


class ItemFieldsIn(InputSchema):
    """Document fields, any subset. Lists replace the whole list."""

    code: str | None = _text(100, description="职权编码, unique in the jurisdiction")
    name: str | None = _text(500)
    plain_name: str | None = _text(500)
    main_item: str | None = _text(500)
    category: CategoryCode | None = None
    list_kind: ListKindCode | None = None
    organisation: str | None = _text(200, description="name of an organisation of the jurisdiction")
    handling_office: str | None = _text(300)
    exercise_levels: str | None = _text(200)
    power_source: PowerSourceCode | None = None
    citations: list[CitationIn] | None = Field(None, max_length=MAX_ENTRIES)
    statutory_limit_days: int | None = Field(None, ge=0, le=9999, description="in statutory_limit_unit")
    statutory_limit_unit: LimitUnitCode | None = Field(None, description="working_day (default), calendar_day, month, "
                                                                          "instant or none")
    promised_limit_days: int | None = Field(None, ge=0, le=9999, description="in promised_limit_unit")
    promised_limit_unit: LimitUnitCode | None = None
    limit_note: str | None = _text(500)
    fee_basis: str | None = _text()
    fee_standard: str | None = _text()
    conditions: str | None = _text()
    materials: str | None = _text()
    result_documents: str | None = _text()
    responsibilities: list[ResponsibilityIn] | None = Field(None, max_length=MAX_ENTRIES)
    accountability: list[str] | None = Field(None, max_length=MAX_ENTRIES)
    risk_points: list[RiskPointIn] | None = Field(None, max_length=MAX_ENTRIES)
    discretion: list[DiscretionIn] | None = Field(None, max_length=MAX_ENTRIES)
    flowchart: FlowchartIn | str | None = Field(None, description="an object with steps, or “受理 → 审查 → 决定”")
    supervision_phone: str | None = _text(100, description="监督电话 / 投诉电话")
    office_address: str | None = _text(500, description="办理地点")
    office_hours: str | None = _text(500, description="办理时间")
    enquiry_phone: str | None = _text(200, description="咨询电话")
    online_url: str | None = _text(500, description="网上办理地址")
    onsite_visits: int | None = Field(None, ge=0, le=20, description="到现场次数")
    service_recipients: str | None = _text(300, description="服务对象")
    status: StatusCode | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    @field_validator("name")
    @classmethod
    def name_key_fits(cls, value):
        # the matching key (NFKC, simplified) is stored too; some characters expand under NFKC
        if value is not None and len(normalise(value)) > 500:
            raise ValueError("name is too long once normalised (500 characters at most)")
        return value

    @field_validator("accountability")
    @classmethod
    def accountability_entries(cls, value):
        if value is not None and any(len(v) > LONG_TEXT for v in value):
            raise ValueError(f"each situation has at most {LONG_TEXT} characters")
        return value

    @field_validator("flowchart", mode="before")
    @classmethod
    def flowchart_shape(cls, value):
        # ninja's Schema reads attributes of any object, so `false` would pass as an empty chart
        if value is not None and not isinstance(value, dict | str):
            raise ValueError("a flowchart is an object with steps, or a text")
        return value

    @field_validator("flowchart")
    @classmethod
    def flowchart_text(cls, value):
        if isinstance(value, str) and len(value) > 2000:
            raise ValueError("a flowchart text has at most 2000 characters")
        return value

    def changes(self) -> dict:
        """The document fields the request set, as the services take them."""
        return self.model_dump(mode="json", exclude_unset=True, include=set(ItemFieldsIn.model_fields))


class ItemCreateIn(ItemFieldsIn):
    jurisdiction: str = Field(pattern=CODE_PATTERN, description="division code of the jurisdiction")
    code: str = _text(100, ..., min_length=1)
    name: str = _text(500, ..., min_length=1)
    category: CategoryCode
    organisation: str = _text(200, ..., min_length=1)
    reason: str = _text(2000, "")
    document: str = _text(300, "", description="approving document (批准文件), e.g. 岳政发〔2024〕1号")


class ItemPatchIn(ItemFieldsIn):
    reason: str = _text(2000, "", description="why the item changes (kept in the ledger)")
    document: str = _text(300, "", description="approving document (批准文件)")


class StatusIn(InputSchema):
    status: StatusCode
    reason: str = _text(2000, ..., description="required: why the status changes")
    document: str = _text(300, "", description="approving document (批准文件)")


# ---------------------------------------------------------------------------------------------
# change requests (动态调整申请)

class RequestedChange(Schema):
    field: str
    label: str = Field(description="the field's name as people read it, e.g. 承诺时限（工作日）")
    before: Any = None
    after: Any = None


class ChangeRequestOut(Schema):
    """A department's request to add, amend or cancel an item of the published list."""

    id: int
    kind: Literal["add", "amend", "cancel"]
    kind_name: str
    status: Literal["pending", "approved", "rejected", "withdrawn"]
    status_name: str
    jurisdiction: JurisdictionRef
    organisation: str
    item_id: int | None
    code: str
    name: str
    changes: list[RequestedChange]
    reason: str
    basis: str
    requested_by: str
    requested_at: dt.datetime
    decided_by: str
    decided_at: dt.datetime | None
    decision_note: str


class ChangeRequestPage(PageMeta):
    results: list[ChangeRequestOut]


class DecisionIn(InputSchema):
    note: str = _text(2000, "", description="the reviewer's note (required to reject)")
