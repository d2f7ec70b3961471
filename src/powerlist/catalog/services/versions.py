"""Publishing a jurisdiction's list: an immutable snapshot (ListVersion) with its sha256."""

import hashlib
import json

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from powerlist.catalog.exports import iter_documents
from powerlist.catalog.models import ListVersion, ListVersionEntry, PowerItem, Status
from powerlist.core import scope
from powerlist.core.errors import InvalidInput, Problem
from powerlist.core.services import audit, checkpoints


def document_hash(doc: dict) -> str:
    return hashlib.sha256(json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def publish_version(actor, jurisdiction, *, title: str, document: str = "") -> ListVersion:
    """Snapshot every item of the jurisdiction now in status published. The version's sha256
    covers each item's code and document hash in code order, so anyone holding the published
    file can check it against the number printed on the official notice."""
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
        audit.append(actor, "list.publish", f"jurisdiction:{jurisdiction.code}", {
            "version": number, "title": version.title, "items": version.item_count, "sha256": version.sha256,
            "document": version.document})
        # the signed checkpoint of the log whose last entry is this publication: anyone holding
        # it can later ask for proof that the record was never rewritten
        version.checkpoint = checkpoints.current()
        ListVersion.objects.filter(pk=version.pk).update(checkpoint=version.checkpoint)
    return version
