"""Importing a department's or a whole jurisdiction's list from a file: all or nothing.

Every row is read and checked; if any row is wrong, nothing is written and the report lists
every bad row (row, column, value, what is expected). Rows are streamed and inserted in chunks
inside one transaction, so memory stays flat and a failure rolls everything back.
"""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from powerlist.catalog import readers
from powerlist.catalog.documents import PREFETCH, clean_document, document_of, row_to_document
from powerlist.catalog.models import PowerItem
from powerlist.catalog.services import items as item_services
from powerlist.catalog.services import requests as request_services
from powerlist.catalog.services.bulk import BulkWriter
from powerlist.core import progress, scope
from powerlist.core.errors import DomainError, InvalidInput, Problem
from powerlist.core.files import sha256_file
from powerlist.core.models import Jurisdiction, Organisation
from powerlist.core.services import audit
from powerlist.core.services import organisations as org_services
from powerlist.core.text import normalise

CHUNK = 2000
MAX_PROBLEMS = 5000  # a wholly wrong file should not fill the screen: the count says the rest


@dataclass
class ImportReport:
    file: str
    format: str = ""
    encoding: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # ids of the change requests filed for rows a clerk may not apply directly (published items)
    change_requests: list[int] = field(default_factory=list)
    organisations_created: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    sha256: str = ""

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def as_dict(self) -> dict:
        return {"file": self.file, "format": self.format, "encoding": self.encoding, "rows": self.rows,
                "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "change_requests": self.change_requests,
                "organisations_created": self.organisations_created, "ignored_columns": self.ignored_columns,
                "problem_count": self.problem_count, "problems": [p.as_dict() for p in self.problems],
                "sha256": self.sha256, "ok": self.ok}


class ImportRefused(InvalidInput):
    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(report.problems or [Problem(report.file, None, "", "", "导入被拒绝")])


class _Organisations:
    """Name -> organisation for one jurisdiction, matching simplified/traditional and widths;
    new ones are created on first use when allowed. Permission is checked once per
    organisation."""

    def __init__(self, actor, jurisdiction: Jurisdiction, create: bool, report: ImportReport):
        self.actor, self.jurisdiction, self.create, self.report = actor, jurisdiction, create, report
        self.by_key: dict[str, Organisation] = {}
        for org in org_services.current(jurisdiction):
            self.by_key.setdefault(org.name_key, org)
            if org.short_name:
                self.by_key.setdefault(normalise(org.short_name), org)
        self.allowed: dict[int, str | None] = {}
        self.pending: dict[str, str] = {}  # key -> name as first written, created once rows are valid
        self.keys: dict[str, str] = {}  # name as written -> matching key

    def resolve(self, name: str) -> tuple[Organisation | None, str | None]:
        key = self.keys.get(name)
        if key is None:
            key = self.keys[name] = normalise(name)
        org = self.by_key.get(key)
        if org is None:
            if not self.create:
                return None, (f"{self.jurisdiction.name}没有这个部门：先在后台添加部门，"
                              f"或导入时加 --create-organisations 自动创建")
            if not scope.covers_jurisdiction(self.actor, self.jurisdiction):
                return None, "只有管理员和本级审核人员可以在导入时创建部门"
            self.pending.setdefault(key, name)
            return None, None
        if org.pk not in self.allowed:
            try:
                scope.require_organisation(self.actor, org, "导入")
                self.allowed[org.pk] = None
            except DomainError as exc:
                self.allowed[org.pk] = str(exc)
        return org, self.allowed[org.pk]

    def create_pending(self) -> None:
        for key, name in self.pending.items():
            org = org_services.create_organisation(self.actor, self.jurisdiction, name=name,
                                                   source=f"import:{self.report.file}")
            self.by_key[key] = org
            self.report.organisations_created.append(name)
        self.pending.clear()


def import_file(actor, path: str | Path, jurisdiction: Jurisdiction, *, mapping: dict[str, str] | None = None,
                create_organisations: bool = False, update: bool = False, reason: str = "",
                document: str = "", status: str | None = None, on_created=None,
                update_codes: set[str] | None = None) -> ImportReport:
    """Import every row of a file into `jurisdiction`. New codes create items; codes already in
    the jurisdiction are refused, or with `update=True` change those items (ledgered); with
    `update_codes` (a campaign's self-report: its entries' codes) only those codes change items.
    `status` forces every row's status (a campaign's self-report: in review); `on_created(codes)`
    runs inside the import's transaction once the new items exist (the campaign links them), and
    may refuse the whole file by raising a domain error."""
    path = Path(path)
    report = ImportReport(file=path.name)
    source = readers.open_source(path, mapping)
    report.format, report.encoding, report.ignored_columns = source.format, source.encoding, source.ignored
    report.sha256 = sha256_file(path)
    return import_rows(actor, source.rows, jurisdiction, report, create_organisations=create_organisations,
                       update=update, reason=reason, document=document, via="import", status=status,
                       on_created=on_created, update_codes=update_codes)


def import_documents(actor, documents, jurisdiction: Jurisdiction, *, label: str, create_organisations: bool = False,
                     reason: str = "", document: str = "", via: str = "import") -> ImportReport:
    """The same all-or-nothing path for documents produced in code (the demo, the API)."""
    report = ImportReport(file=label, format="documents")
    digest = hashlib.sha256()
    rows = []
    for number, doc in enumerate(documents, start=1):
        digest.update(json.dumps(doc, ensure_ascii=False, sort_keys=True, default=str).encode())
        rows.append((number, doc))
    report.sha256 = digest.hexdigest()
    return import_rows(actor, rows, jurisdiction, report, create_organisations=create_organisations,
                       reason=reason, document=document, via=via)


def import_rows(actor, rows, jurisdiction: Jurisdiction, report: ImportReport, *, create_organisations: bool,
                update: bool = False, reason: str = "", document: str = "", via: str = "import",
                status: str | None = None, on_created=None, update_codes: set[str] | None = None) -> ImportReport:
    if not (scope.covers_jurisdiction(actor, jurisdiction) or getattr(actor, "organisation_id", None)):
        scope.require_jurisdiction(actor, jurisdiction, "导入")
    started = timezone.now()
    try:
        with transaction.atomic():
            writer = BulkWriter(actor, jurisdiction, via=via, reason=reason, document=document, at=started)
            existing = dict(PowerItem.objects.filter(jurisdiction=jurisdiction).values_list("code", "id"))
            orgs = _Organisations(actor, jurisdiction, create_organisations, report)
            seen: dict[str, int] = {}
            pending: list[tuple[dict, Organisation | None]] = []
            updates: list[tuple[int, int, dict]] = []
            # a clerk's new rows meant for the published list: add requests, never published items
            to_request: list[tuple[int, dict]] = []
            created_codes: list[str] = []
            for number, cells in progress.bar(rows, desc=f"导入 {report.file}"):
                report.rows += 1
                doc = _check_row(number, cells, report, orgs, existing, seen, update, updates, update_codes)
                if doc is None:
                    continue
                if status:
                    doc["status"] = status
                if item_services.needs_review(actor, doc["status"]):
                    to_request.append((number, doc))
                    continue
                created_codes.append(doc["code"])
                pending.append(doc)
                if len(pending) >= CHUNK and report.ok:
                    orgs.create_pending()
                    writer.add([(d, orgs.by_key[normalise(d["organisation"])]) for d in pending])
                    pending.clear()
                elif not report.ok:
                    pending.clear()  # nothing will be written: keep memory flat while checking the rest
            if report.ok:
                orgs.create_pending()
                writer.add([(d, orgs.by_key[normalise(d["organisation"])]) for d in pending])
                writer.flush()
                report.created = writer.created
                _apply_updates(actor, updates, report, reason, document, keep_status=update_codes is not None)
                _file_add_requests(actor, jurisdiction, to_request, report, reason, document)
                if on_created is not None and report.ok:
                    on_created([c for c in created_codes if c])
            if not report.ok:
                raise ImportRefused(report)
            audit.append(actor, "items.import", f"jurisdiction:{jurisdiction.code}", {
                "file": report.file, "sha256": report.sha256, "rows": report.rows, "created": report.created,
                "updated": report.updated, "organisations_created": report.organisations_created,
                "change_requests": report.change_requests,
                "change_records": writer.change_record_range(), "changes_sha256": writer.changes_digest()})
    except ImportRefused:
        report.created = report.updated = 0
        report.organisations_created, report.change_requests = [], []
        raise
    return report


def _check_row(number, cells, report, orgs, existing, seen, update, updates, update_codes=None) -> dict | None:
    fname = report.file
    if "__invalid__" in cells:
        report.add(Problem(fname, number, "", str(cells["__invalid__"])[:60], "每一项应为一个对象"))
        return None
    flat = cells.pop("__flat__", False) or report.format in ("csv", "xlsx")
    raw, errors = row_to_document(cells) if flat else (cells, [])
    doc, more = clean_document(raw)
    for field_name, value, expected in errors + more:
        report.add(Problem(fname, number, field_name, value, expected))
    code = doc["code"]
    if code:
        if code in seen:
            report.add(Problem(fname, number, "code", code, f"职权编码与第{seen[code]}行重复：同一辖区内编码必须唯一"))
            return None
        seen[code] = number
    if doc["organisation"]:
        org, refusal = orgs.resolve(doc["organisation"])
        if refusal:
            report.add(Problem(fname, number, "organisation", doc["organisation"], refusal))
            return None
        if org is not None:
            doc["organisation"] = org.name
    if errors or more:
        return None
    if code in existing:
        if update_codes is not None and code not in update_codes:
            report.add(Problem(fname, number, "code", code, "本辖区已有相同职权编码的事项，且不在本次清理工作中"
                               "（开展清理工作时加 --include-list 可纳入已公布清单的事项）"))
            return None
        if not update and update_codes is None:
            report.add(Problem(fname, number, "code", code,
                               "本辖区已有相同职权编码的事项；要修改已有事项请加 --update"))
            return None
        updates.append((number, existing[code], doc))
        return None
    return doc


def _apply_updates(actor, updates, report: ImportReport, reason: str, document: str, keep_status=False) -> None:
    for start in range(0, len(updates), 500):
        chunk = updates[start:start + 500]
        current = {i.pk: i for i in PowerItem.objects.filter(pk__in=[pk for _n, pk, _d in chunk])
                   .select_related("organisation", "jurisdiction").prefetch_related(*PREFETCH)}
        for number, pk, doc in chunk:
            item = current[pk]
            if keep_status:  # a campaign's self-report revises the text; the decision sets the status
                doc = doc | {"status": item.status}
            if document_of(item) == doc:
                report.unchanged += 1
                continue
            try:
                outcome = request_services.change_item(actor, item, doc, reason=reason or _row_reason(report, number),
                                                       document=document, via="import")
                if outcome.pending:
                    report.change_requests.append(outcome.request.pk)
                else:
                    report.updated += 1
            except InvalidInput as exc:
                for p in exc.problems:
                    report.add(Problem(report.file, number, p.field, p.value, p.expected))
            except DomainError as exc:
                report.add(Problem(report.file, number, "organisation", doc["organisation"], str(exc)))



def _row_reason(report: ImportReport, number: int) -> str:
    return f"导入 {report.file} 第{number}行"


def _file_add_requests(actor, jurisdiction, rows, report: ImportReport, reason: str, document: str) -> None:
    for number, doc in rows:
        try:
            req = request_services.submit(actor, "add", jurisdiction=jurisdiction, changes=doc,
                                          reason=reason or _row_reason(report, number), basis=document, via="import")
            report.change_requests.append(req.pk)
        except InvalidInput as exc:
            for p in exc.problems:
                report.add(Problem(report.file, number, p.field, p.value, p.expected))
        except DomainError as exc:
            report.add(Problem(report.file, number, "status", doc["status"], str(exc)))
