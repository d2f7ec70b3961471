import hashlib

import pytest

from powerlist.catalog.models import ListVersion
from powerlist.catalog.services.items import create_item
from powerlist.catalog.services.versions import document_hash, publish_version
from powerlist.conftest import item_document
from powerlist.core.errors import PermissionDenied
from powerlist.core.scope import SYSTEM


@pytest.fixture
def published(county, departments):
    create_item(SYSTEM, county, item_document(code="P1", status="published"))
    create_item(SYSTEM, county, item_document(code="P2", name="教师资格认定", status="published"))
    create_item(SYSTEM, county, item_document(code="D1", name="仍在起草的事项"))
    return county


def test_reviewer_publishes_a_snapshot_with_its_sha256(published, users):
    version = publish_version(users["reviewer"], published, title="岳塘区权力清单（2024年版）", document="岳政发〔2024〕1号")
    assert (version.number, version.item_count) == (1, 2)
    entries = list(version.entries.order_by("code"))
    assert [e.code for e in entries] == ["P1", "P2"]
    expected = hashlib.sha256("".join(f"{e.code}\t{document_hash(e.data)}\n" for e in entries).encode()).hexdigest()
    assert version.sha256 == expected and all(e.sha256 == document_hash(e.data) for e in entries)
    assert publish_version(users["reviewer"], published, title="第二版").number == 2


def test_clerks_cannot_publish(published, users):
    with pytest.raises(PermissionDenied):
        publish_version(users["clerk"], published, title="越权公布")
    assert ListVersion.objects.count() == 0


def test_publish_command_prints_the_hash(published, capsys):
    from django.core.management import call_command

    call_command("publish", "--jurisdiction", "430304", "--title", "岳塘区权力清单")
    out = capsys.readouterr().out
    version = ListVersion.objects.get()
    assert f"sha256 {version.sha256}" in out and "2 项" in out


def test_a_published_version_cannot_be_saved_again(published, users):
    version = publish_version(users["reviewer"], published, title="岳塘区权力清单")
    version.title = "改过的标题"
    with pytest.raises(ValueError, match="immutable"):
        version.save()
