"""Creating and changing power items one at a time (admin, API, CLI). Each change writes a
ChangeRecord (the ledger) and an audit entry in the same transaction."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from powerlist.catalog import search
from powerlist.catalog.documents import PREFETCH, changed_fields, clean_document, document_of, field_label
from powerlist.catalog.models import (
    AccountabilitySituation, ChangeAction, ChangeRecord, Citation, DiscretionBenchmark, PowerItem,
    STATUS_NAMES, ResponsibilityItem, RiskPoint, Status,
)
from powerlist.core import scope
from powerlist.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Problem, ReviewRequired
from powerlist.core.models import Jurisdiction, Organisation
from powerlist.core.services import audit
from powerlist.core.services import organisations as org_services
from powerlist.core.text import normalise

# a clerk drafts and submits; only reviewers publish, cancel, delegate, transfer or merge
CLERK_STATUSES = {Status.DRAFT.value, Status.IN_REVIEW.value}
SCALAR_COLUMNS = ("code", "name", "plain_name", "main_item", "category", "list_kind", "handling_office",
                  "exercise_levels", "power_source", "statutory_limit_days", "statutory_limit_unit",
                  "promised_limit_days", "promised_limit_unit", "limit_note", "fee_basis", "fee_standard",
                  "conditions", "materials", "result_documents", "supervision_phone", "office_address",
                  "office_hours", "enquiry_phone", "online_url", "onsite_visits", "service_recipients",
                  "status", "valid_from", "valid_to", "flowchart")


def load(item_id: int) -> PowerItem:
    item = PowerItem.objects.select_related("organisation", "jurisdiction").prefetch_related(*PREFETCH).filter(
        pk=item_id).first()
    if item is None:
        raise NotFound(f"权力事项 {item_id} 不存在")
    return item


def _problems(errors, where: str = "") -> list[Problem]:
    return [Problem(where, None, field, value, expected) for field, value, expected in errors]


def _check_status_change(actor, old: str | None, new: str) -> None:
    if old == new:
        return
    clerk_may = new in CLERK_STATUSES and (old is None or old in CLERK_STATUSES)
    if not clerk_may and not scope.is_reviewer_or_admin(actor):
        raise PermissionDenied(f"只有审核人员可以把事项状态从“{STATUS_NAMES.get(old, '新建')}”"
                               f"改为“{STATUS_NAMES.get(new, new)}”")


def child_rows(item_id: int, doc: dict) -> dict[type, list]:
    """The element rows of one item document, as model instances (unsaved)."""
    return {
        Citation: [Citation(item_id=item_id, kind=c["kind"], position=i, raw_text=c["text"])
                   for i, c in enumerate(doc["citations"])],
        ResponsibilityItem: [ResponsibilityItem(item_id=item_id, position=i, phase=r["phase"], stage=r["stage"],
                                                content=r["content"]) for i, r in enumerate(doc["responsibilities"])],
        AccountabilitySituation: [AccountabilitySituation(item_id=item_id, position=i, text=t)
                                  for i, t in enumerate(doc["accountability"])],
        RiskPoint: [RiskPoint(item_id=item_id, position=i, **p) for i, p in enumerate(doc["risk_points"])],
        DiscretionBenchmark: [DiscretionBenchmark(item_id=item_id, position=i, **d)
                              for i, d in enumerate(doc["discretion"])],
    }


def _write_children(item: PowerItem, doc: dict, replace: bool) -> None:
    for model, rows in child_rows(item.pk, doc).items():
        if replace:
            model.objects.filter(item=item).delete()
        model.objects.bulk_create(rows)


def record_change(actor, item: PowerItem, action: str, before: dict | None, after: dict, reason: str,
                  document: str, via: str, at=None) -> ChangeRecord:
    fields = changed_fields(before, after)
    rec = ChangeRecord.objects.create(
        item=item, jurisdiction_id=item.jurisdiction_id, action=action, before=before, after=after,
        changed_fields=",".join(fields)[:500], reason=reason, document=document, via=via,
        actor=actor if getattr(actor, "pk", None) else None, actor_name=audit.actor_name(actor),
        at=at or timezone.now())
    audit.append(actor, f"item.{action}", f"item:{item.pk}", {
        "code": item.code, "jurisdiction": item.jurisdiction.code, "changed": fields, "reason": reason,
        "change_record": rec.pk, "via": via})
    return rec


def _resolve_organisation(actor, jurisdiction: Jurisdiction, name: str, create: bool) -> Organisation:
    org = org_services.find(jurisdiction, name)
    if org is None:
        if not create:
            raise InvalidInput([Problem("", None, "organisation", name,
                                        f"{jurisdiction.name}没有这个部门；先添加部门，或导入时使用 --create-organisations")])
        org = org_services.create_organisation(actor, jurisdiction, name=name, source="item")
    return org


def _assign(item: PowerItem, doc: dict, org: Organisation) -> None:
    for f in SCALAR_COLUMNS:
        value = doc[f]
        if f in ("valid_from", "valid_to") and value:
            value = dt.date.fromisoformat(value)
        setattr(item, f, value)
    item.organisation = org
    item.name_key = normalise(doc["name"])[:500]


def create_item(actor, jurisdiction: Jurisdiction, raw: dict, *, reason: str = "", document: str = "",
                via: str = "service", create_organisation: bool = False) -> PowerItem:
    doc, errors = clean_document(raw)
    if errors:
        raise InvalidInput(_problems(errors))
    org = org_services.find(jurisdiction, doc["organisation"])
    if org is not None:
        scope.require_organisation(actor, org, "添加")
    else:
        scope.require_jurisdiction(actor, jurisdiction, "添加部门到")
    _check_status_change(actor, None, doc["status"])
    if PowerItem.objects.filter(jurisdiction=jurisdiction, code=doc["code"]).exists():
        raise InvalidInput([Problem("", None, "code", doc["code"], f"{jurisdiction.name}已有相同职权编码的事项")])
    with transaction.atomic():
        org = org or _resolve_organisation(actor, jurisdiction, doc["organisation"], create_organisation)
        doc["organisation"] = org.name
        now = timezone.now()
        item = PowerItem(jurisdiction=jurisdiction, created_at=now, updated_at=now)
        _assign(item, doc, org)
        item.save()
        _write_children(item, doc, replace=False)
        search.reindex([item.pk])
        record_change(actor, item, ChangeAction.CREATE, None, doc, reason, document, via, at=now)
    return item


def needs_review(actor, status: str | None) -> bool:
    """A clerk's change to an item outside draft/in review (published, cancelled, delegated,
    transferred, merged) must go through a change request; reviewers and administrators act
    directly."""
    return status not in CLERK_STATUSES and not scope.is_reviewer_or_admin(actor)


def stale_message(item: PowerItem, opened: int) -> str:
    return (f"此事项在您打开后已被修改（您看到的是第{opened}版，现在是第{item.version}版）："
            f"{_who_changed_since(item, opened)}。请重新打开后再修改")


def _who_changed_since(item: PowerItem, version: int) -> str:
    """'王五 changed 承诺时限, 申请条件 at 11-29 10:02; …' for the changes after `version`."""
    missed = max(item.version - version, 1)
    records = ChangeRecord.objects.filter(item=item).order_by("-at", "-id")[:min(missed, 5)]
    parts = [f"{r.actor_name}于{timezone.localtime(r.at):%Y-%m-%d %H:%M}修改了"
             f"{'、'.join(field_label(f) for f in r.changed_fields.split(',') if f) or '事项'}" for r in records]
    return "；".join(reversed(parts)) or "另一位用户修改了此事项"


def update_item(actor, item: PowerItem, changes: dict, *, reason: str = "", document: str = "",
                via: str = "service", expected_version: int | None = None) -> PowerItem:
    """Apply `changes` (any document fields; lists replace the whole list) to an item.

    The item is re-read under its row lock inside the transaction and only the given fields are
    applied to that fresh state, so two people changing different fields at the same moment both
    keep their change, and the ledger's "before" is the state actually replaced. With
    `expected_version` (the version the person saw), a change made meanwhile is refused with
    Conflict, naming who changed what."""
    scope.require_organisation(actor, load(item.pk).organisation)
    with transaction.atomic():
        # lock first, then read: on PostgreSQL the row lock, on SQLite the IMMEDIATE transaction
        PowerItem.objects.select_for_update().filter(pk=item.pk).values_list("pk").first()
        current = load(item.pk)
        if expected_version is not None and current.version != expected_version:
            raise Conflict(stale_message(current, expected_version), current_version=current.version)
        before = document_of(current)
        if needs_review(actor, before["status"]):
            raise ReviewRequired(f"“{before['name']}”状态为{STATUS_NAMES.get(before['status'])}，"
                                 f"经办人的修改须作为动态调整申请提交，经审核人员批准后生效")
        doc, errors = clean_document(before | changes)
        if errors:
            raise InvalidInput(_problems(errors))
        _check_status_change(actor, before["status"], doc["status"])
        if doc == before:
            return current
        if before["status"] not in CLERK_STATUSES and not reason.strip():
            raise InvalidInput([Problem("", None, "reason", "", f"修改{STATUS_NAMES.get(before['status'])}的事项必须说明理由")])
        org = current.organisation
        if normalise(doc["organisation"]) != normalise(before["organisation"]):
            org = _resolve_organisation(actor, current.jurisdiction, doc["organisation"], create=False)
            scope.require_organisation(actor, org, "把事项移交给")
        doc["organisation"] = org.name
        if doc["code"] != before["code"] and PowerItem.objects.filter(
                jurisdiction_id=current.jurisdiction_id, code=doc["code"]).exclude(pk=current.pk).exists():
            raise InvalidInput([Problem("", None, "code", doc["code"], "本辖区已有相同职权编码的事项")])
        _assign(current, doc, org)
        current.version += 1
        current.updated_at = timezone.now()
        current.save()
        lists_changed = any(before[f] != doc[f] for f in ("citations", "responsibilities", "accountability",
                                                          "risk_points", "discretion"))
        if lists_changed:
            _write_children(current, doc, replace=True)
        search.reindex([current.pk])
        action = ChangeAction.STATUS if changed_fields(before, doc) == ["status"] else ChangeAction.UPDATE
        record_change(actor, current, action, before, doc, reason, document, via, at=current.updated_at)
    return load(item.pk)


def change_status(actor, item: PowerItem, status: str, *, reason: str, document: str = "",
                  via: str = "service") -> PowerItem:
    if not reason.strip():
        raise InvalidInput([Problem("", None, "reason", "", "变更事项状态必须说明理由")])
    return update_item(actor, item, {"status": status}, reason=reason, document=document, via=via)


def change_statuses(actor, changes: list[tuple[PowerItem, str, str]], *, document: str = "",
                    via: str = "service") -> list[int]:
    """Many status changes at once, each (item, status, reason) (a clean-up campaign's
    publication: thousands of items): reviewers and administrators only. Items are re-read
    under lock in chunks; each change is ledgered with its own reason and before/after
    documents; one audit entry covers the batch with the range and sha256 of its change records
    (as an import's). Returns the ids of the change records."""
    import hashlib
    import json

    if not scope.is_reviewer_or_admin(actor):
        raise PermissionDenied(f"{audit.actor_name(actor)}无权批量变更事项状态：只有审核人员和管理员可以")
    problems = [Problem("", None, "status", status, "不是有效的事项状态") for _i, status, _r in changes
                if status not in Status.values]
    problems += [Problem("", None, "reason", item.code, "变更事项状态必须说明理由") for item, _s, reason in changes
                 if not reason.strip()]
    if problems:
        raise InvalidInput(problems)
    wanted = {item.pk: (status, reason) for item, status, reason in changes}
    ids, record_ids, digest, allowed = list(wanted), [], hashlib.sha256(), set()
    now, name, actor_id = timezone.now(), audit.actor_name(actor), getattr(actor, "pk", None)
    with transaction.atomic():
        for start in range(0, len(ids), 1000):
            chunk = ids[start:start + 1000]
            list(PowerItem.objects.select_for_update().filter(pk__in=chunk).values_list("pk", flat=True))
            items = list(PowerItem.objects.filter(pk__in=chunk).select_related("organisation", "jurisdiction")
                         .prefetch_related(*PREFETCH).order_by("pk"))
            records = []
            for item in items:
                if item.organisation_id not in allowed:
                    scope.require_organisation(actor, item.organisation, "变更状态")
                    allowed.add(item.organisation_id)
                status, reason = wanted[item.pk]
                before = document_of(item)
                after = before | {"status": status}
                item.status, item.version, item.updated_at = status, item.version + 1, now
                records.append(ChangeRecord(
                    item=item, jurisdiction_id=item.jurisdiction_id, action=ChangeAction.STATUS, before=before,
                    after=after, changed_fields="status", reason=reason, document=document, via=via,
                    actor_id=actor_id, actor_name=name, at=now))
                digest.update(json.dumps(after, ensure_ascii=False, sort_keys=True, default=str).encode())
            PowerItem.objects.bulk_update(items, ["status", "version", "updated_at"])
            record_ids += [r.pk for r in ChangeRecord.objects.bulk_create(records)]
        search.reindex(ids)
        if changes:
            audit.append(actor, "items.status", f"jurisdiction:{changes[0][0].jurisdiction.code}", {
                "count": len(ids), "via": via, "change_records": [min(record_ids), max(record_ids)],
                "changes_sha256": digest.hexdigest()})
    return record_ids
