"""A developer follows the published versions of a county's list: the versions, one version's
entries page by page, what changed between two versions, and the statistics."""

import pytest

from powerlist.catalog.services.items import change_status, update_item
from powerlist.catalog.services.versions import publish_version
from powerlist.core.scope import SYSTEM


@pytest.fixture
def versions(items, county):
    first = publish_version(SYSTEM, county, title="岳塘区权力清单（2024年版）", document="岳政发〔2024〕1号")
    update_item(SYSTEM, items["430304-SC-XK-001"], {"promised_limit_days": 5}, reason="压缩时限")
    change_status(SYSTEM, items["430304-JY-XK-009"], "published", reason="审核通过")
    change_status(SYSTEM, items["430304-WJ-GG-001"], "cancelled", reason="取消")
    second = publish_version(SYSTEM, county, title="岳塘区权力清单（2025年版）")
    return first, second


def test_versions_newest_first(client, versions):
    body = client.get("/api/jurisdictions/430304/versions").json()
    assert [v["number"] for v in body["results"]] == [2, 1] and body["count"] == 2
    first = body["results"][1]
    assert first["title"] == "岳塘区权力清单（2024年版）" and first["document"] == "岳政发〔2024〕1号"
    assert first["item_count"] == 5 and len(first["sha256"]) == 64
    assert client.get("/api/jurisdictions/430302/versions").status_code == 404


def test_one_version_with_its_entries_in_pages(client, versions):
    body = client.get("/api/jurisdictions/430304/versions/1", {"per_page": 2}).json()
    assert body["number"] == 1 and body["jurisdiction"]["code"] == "430304"
    assert body["entries"] == {"count": 5, "page": 1, "per_page": 2, "pages": 3}
    assert [e["code"] for e in body["results"]] == ["430304-JY-QR-001", "430304-JY-XK-001"]
    entry = body["results"][1]
    assert entry["data"]["name"] == "民办学校设立审批" and len(entry["sha256"]) == 64
    assert "13812345678" not in entry["data"]["conditions"]  # masked for the public
    last = client.get("/api/jurisdictions/430304/versions/1", {"per_page": 2, "page": 3}).json()
    assert [e["code"] for e in last["results"]] == ["430304-WJ-GG-001"]
    assert client.get("/api/jurisdictions/430304/versions/3").status_code == 404


def test_diff_between_versions(client, versions):
    body = client.get("/api/jurisdictions/430304/versions/1/diff/2").json()
    assert (body["older"], body["newer"]) == (1, 2)
    assert body["added"] == [{"code": "430304-JY-XK-009", "name": "草稿中的教育许可"}]
    assert body["removed"] == [{"code": "430304-WJ-GG-001", "name": "预防接种服务"}]
    [changed] = body["changed"]
    assert changed["code"] == "430304-SC-XK-001"
    assert changed["fields"] == [{"field": "promised_limit_days", "before": 10, "after": 5}]
    assert client.get("/api/jurisdictions/430304/versions/1/diff/9").status_code == 404


def test_statistics(client, versions, users, token_for):
    # the public counts the published list; a signed-in reviewer every status
    public = client.get("/api/jurisdictions/430304/stats").json()
    assert public["total"] == 5 and set(public["statuses"]) == {"published"}
    body = client.get("/api/jurisdictions/430304/stats", **token_for(users["reviewer"])).json()
    assert body["jurisdiction"] == {"code": "430304", "name": "湖南省湘潭市岳塘区"}
    assert body["total"] == 7
    licensing = next(c for c in body["by_category"] if c["category"] == "01")
    assert licensing["name"] == "行政许可" and licensing["by_status"]["published"] == 3
    departments = {d["organisation"]: d for d in body["by_department"]}
    assert departments["岳塘区教育局"] == {"organisation": "岳塘区教育局", "total": 3,
                                          "by_category": {"01": 2, "07": 1}}
