"""Publishing a jurisdiction's list: an immutable snapshot (ListVersion) with its sha256."""

import hashlib
import json
import logging

from django.db import transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone

from powerlist.catalog.exports import iter_documents
from powerlist.catalog.models import (DepartmentResponsibility, DutyKind, ListVersion, ListVersionEntry, PowerItem,
                                      Status)
from powerlist.core import scope
from powerlist.core.errors import InvalidInput, Problem
from powerlist.core.models import AuditEntry, Organisation
from powerlist.core.services import audit, checkpoints

log = logging.getLogger(__name__)

# Sent once a version is committed (never for a publication rolled back), with `version` and
# `build_now`: the portal makes every download of the version then (portal/tasks.py), at once
# when build_now, else by a background job.
version_published = Signal()
RESPONSIBILITIES_ACTION = "list.responsibilities"


def document_hash(doc: dict) -> str:
    return hashlib.sha256(json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _responsibility_snapshot(jurisdiction, published) -> list[dict]:
    """The department responsibility lists (责任清单) as published now: every department with a
    published item or a published responsibility entry, by name, with its entries in order."""
    entries = (DepartmentResponsibility.objects.filter(jurisdiction=jurisdiction, status=Status.PUBLISHED)
               .select_related("organisation").prefetch_related("related_organisations")
               .order_by("organisation__name", "organisation_id", "kind", "position", "pk"))
    kinds = {k: i for i, k in enumerate(DutyKind.values)}
    org_ids = set(published.values_list("organisation_id", flat=True)) | {e.organisation_id for e in entries}
    departments = {o.pk: {"id": o.pk, "name": o.name, "responsibilities": []}
                   for o in Organisation.objects.filter(pk__in=org_ids)}
    for e in sorted(entries, key=lambda e: (e.organisation_id, kinds.get(e.kind, 99), e.position, e.pk)):
        departments[e.organisation_id]["responsibilities"].append({
            "kind": e.kind, "title": e.title, "content": e.content, "basis": e.basis,
            "related_organisations": sorted(r.name for r in e.related_organisations.all())})
    return sorted(departments.values(), key=lambda d: (d["name"], d["id"]))


def published_departments(version: ListVersion) -> list[dict] | None:
    """The departments of a version with their responsibility lists as they stood when it was
    published ([{"id", "name", "responsibilities": [{"kind", "title", "content", "basis",
    "related_organisations"}]}]), or None for a version published before they were recorded.
    They live in the publication's own entry of the audit log, written in the same transaction:
    a department editing its duties afterwards changes the next version, never this one."""
    target = f"list:{version.jurisdiction.code}:v{version.number}"
    entry = AuditEntry.objects.filter(action=RESPONSIBILITIES_ACTION, target=target).only("payload").first()
    return json.loads(entry.payload)["departments"] if entry is not None else None


def _announce(version: ListVersion, build_now: bool) -> None:
    # after commit: a listener failing (no task table yet, a full disk) never undoes a publication;
    # every download is still made on its first request
    for _receiver, result in version_published.send_robust(sender=ListVersion, version=version, build_now=build_now):
        if isinstance(result, Exception):
            log.error("after publishing %s v%s: %r", version.jurisdiction.code, version.number, result)


def publish_version(actor, jurisdiction, *, title: str, document: str = "", build_now: bool = False) -> ListVersion:
    """Snapshot every item of the jurisdiction now in status published, and the departments'
    responsibility lists. The version's sha256 covers each item's code and document hash in code
    order, so anyone holding the published file can check it against the number printed on the
    official notice; the responsibility lists' own sha256 is in the publication's audit entry.
    Once committed, every download of the version is made (build_now: before returning; else
    by a background job)."""
    scope.require_jurisdiction(actor, jurisdiction, "公布")
    if not scope.is_reviewer_or_admin(actor):
        scope.require_admin(actor, "公布清单")
    if not title.strip():
        raise InvalidInput([Problem("", None, "title", "", "公布的清单版本需要标题")])
    published = PowerItem.objects.filter(jurisdiction=jurisdiction, status=Status.PUBLISHED)
    with transaction.atomic():
        number = (ListVersion.objects.select_for_update().filter(jurisdiction=jurisdiction)
                  .aggregate(n=Max("number"))["n"] or 0) + 1
        version = ListVersion.objects.create(
            jurisdiction=jurisdiction, number=number, title=title.strip(), document=document.strip(),
            published_at=timezone.now(), published_by=audit.actor_name(actor), item_count=0, sha256="")
        overall = hashlib.sha256()
        ids = dict(published.values_list("code", "id"))
        batch = []
        for doc in iter_documents(jurisdiction, published):
            digest = document_hash(doc)
            overall.update(f"{doc['code']}\t{digest}\n".encode())
            batch.append(ListVersionEntry(version=version, item_id=ids[doc["code"]], code=doc["code"], data=doc,
                                          sha256=digest))
            if len(batch) >= 1000:
                ListVersionEntry.objects.bulk_create(batch)
                batch.clear()
        ListVersionEntry.objects.bulk_create(batch)
        ListVersion.objects.filter(pk=version.pk).update(item_count=len(ids), sha256=overall.hexdigest())
        version.refresh_from_db()
        departments = _responsibility_snapshot(jurisdiction, published)
        duties_sha256 = document_hash(departments)
        audit.append(actor, RESPONSIBILITIES_ACTION, f"list:{jurisdiction.code}:v{number}", {
            "version": number, "sha256": duties_sha256, "departments": departments})
        audit.append(actor, "list.publish", f"jurisdiction:{jurisdiction.code}", {
            "version": number, "title": version.title, "items": version.item_count, "sha256": version.sha256,
            "document": version.document, "responsibilities_sha256": duties_sha256})
        # the signed checkpoint of the log whose last entry is this publication: anyone holding
        # it can later ask for proof that the record was never rewritten
        version.checkpoint = checkpoints.current()
        ListVersion.objects.filter(pk=version.pk).update(checkpoint=version.checkpoint)
        transaction.on_commit(lambda: _announce(version, build_now))
    return version
