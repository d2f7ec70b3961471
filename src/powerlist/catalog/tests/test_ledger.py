"""Every change to an item, from a service, an import or the admin, writes a ChangeRecord with
before, after, reason, who and when; the admin shows an item's history."""

import pytest

from powerlist.catalog.models import ChangeRecord, PowerItem
from powerlist.catalog.services.imports import import_file
from powerlist.catalog.services.items import change_status, create_item, update_item
from powerlist.conftest import item_document
from powerlist.core.errors import InvalidInput, PermissionDenied
from powerlist.core.scope import SYSTEM
from powerlist.core.services import audit


@pytest.fixture
def item(county, departments):
    return create_item(SYSTEM, county, item_document())


def test_creation_is_ledgered(item):
    [rec] = item.changes.all()
    assert rec.action == "create" and rec.before is None and rec.after["name"] == "民办学校设立审批"


def test_clerk_changes_own_item_and_the_ledger_keeps_before_and_after(item, users):
    update_item(users["clerk"], item, {"promised_limit_days": 5, "accountability": ["超期办理的"]},
                reason="压缩承诺时限", document="岳政办发〔2024〕12号")
    rec = item.changes.order_by("-id").first()
    assert rec.action == "update" and rec.actor == users["clerk"] and rec.actor_name == "edu_clerk"
    assert rec.before["promised_limit_days"] == 10 and rec.after["promised_limit_days"] == 5
    assert rec.changed_fields == "promised_limit_days,accountability"
    assert (rec.reason, rec.document, rec.via) == ("压缩承诺时限", "岳政办发〔2024〕12号", "service")
    item.refresh_from_db()
    assert item.version == 2 and list(item.accountability.values_list("text", flat=True)) == ["超期办理的"]
    assert audit.verify().ok


def test_clerk_cannot_touch_another_departments_item(item, users):
    with pytest.raises(PermissionDenied):
        update_item(users["market_clerk"], item, {"name": "改名"})
    with pytest.raises(PermissionDenied):
        update_item(users["inspector"], item, {"name": "改名"})
    assert ChangeRecord.objects.count() == 1


def test_only_reviewers_publish_or_cancel(item, users):
    with pytest.raises(PermissionDenied):
        change_status(users["clerk"], item, "cancelled", reason="无法律依据")
    change_status(users["reviewer"], item, "cancelled", reason="无法律依据，予以取消")
    rec = item.changes.order_by("-id").first()
    assert rec.action == "status" and rec.before["status"] == "draft" and rec.after["status"] == "cancelled"


def test_status_change_needs_a_reason(item, users):
    with pytest.raises(InvalidInput, match="理由"):
        change_status(users["reviewer"], item, "published", reason=" ")


def test_unchanged_update_writes_nothing(item, users):
    update_item(users["clerk"], item, {"name": "民办学校设立审批"})
    assert item.changes.count() == 1


def test_import_with_update_ledgers_each_changed_item(item, county, tmp_path):
    path = tmp_path / "fix.csv"
    path.write_text("职权编码,事项名称,事项类型,实施主体\n430304-JY-XK-001,民办学校设立、变更审批,行政许可,岳塘区教育局\n",
                    encoding="utf-8")
    report = import_file(SYSTEM, path, county, update=True, reason="部门更正")
    assert (report.created, report.updated) == (0, 1)
    rec = item.changes.order_by("-id").first()
    assert rec.via == "import" and rec.reason == "部门更正"
    assert rec.before["name"] == "民办学校设立审批" and rec.after["name"] == "民办学校设立、变更审批"
    assert PowerItem.objects.get(pk=item.pk).version == 2
