"""A version published before an item had units and service-guide fields compares with a newer
one field by field: the fields it did not have yet are not reported as changes."""

from powerlist.catalog.diff import diff_versions
from powerlist.catalog.documents import ADDED_FIELDS
from powerlist.catalog.models import ListVersionEntry
from powerlist.catalog.services.items import create_item, update_item
from powerlist.catalog.services.versions import publish_version
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM


def test_reader_compares_a_version_published_before_the_service_guide(county, departments):
    first = create_item(SYSTEM, county, item_document(status="published"))
    create_item(SYSTEM, county, item_document(code="430304-JY-QR-001", name="教师资格认定", category="07",
                                              status="published"))
    older = publish_version(SYSTEM, county, title="2024年版")
    for entry in ListVersionEntry.objects.filter(version=older):  # as stored before the fields existed
        ListVersionEntry.objects.filter(pk=entry.pk).update(
            data={k: v for k, v in entry.data.items() if k not in ADDED_FIELDS})
    update_item(SYSTEM, first, {"name": "民办学校设立、变更审批"}, reason="更正名称")
    newer = publish_version(SYSTEM, county, title="2025年版")
    diff = diff_versions(older, newer)
    assert [(c["code"], [f["field"] for f in c["fields"]]) for c in diff.changed] == [("430304-JY-XK-001", ["name"])]
