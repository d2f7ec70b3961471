"""A citizen opens the statistics of a county's published clean-up campaign (from the county's page
and the versions page), reads what was reported, kept and cut by category and department and what
changed from the previous version, and downloads them as XLSX, CSV and JSON: the same numbers as
`powerlist campaign stats --json`. A campaign under way shows nothing."""

import csv
import io
import json

import openpyxl
import pytest

from powerlist.catalog.models import CATEGORY_NAMES
from powerlist.cleanup.services import campaigns, decisions
from powerlist.cleanup.tests.campaign_files import HEADER, approve_legality, report_rows, run, write_csv
from powerlist.portal.campaign_stats import COLUMNS

EDU, MARKET = "岳塘区教育局", "岳塘区市场监督管理局"


@pytest.fixture
def published_campaign(users, county, tmp_path):
    reviewer = users["reviewer"]
    first = campaigns.open_campaign(reviewer, county, title="2025年清理", deadline="2025-12-31")
    path = write_csv(tmp_path / "a.csv", HEADER, report_rows(EDU, [("E1", "民办学校设立审批", "01"),
                                                                  ("E2", "教师资格认定", "07")]))
    campaigns.self_report(reviewer, first, path)
    decisions.decide(reviewer, first, [{"code": "E1", "kind": "保留"}, {"code": "E2", "kind": "保留"}])
    approve_legality(first)
    run("campaign", "publish", "--campaign", str(first.pk), "--title", "岳塘区权力清单（2025）", "--as", "reviewer1")

    second = campaigns.open_campaign(reviewer, county, title="2026年权责清单清理", deadline="2026-12-31")
    path = write_csv(tmp_path / "b.csv", HEADER,
                     report_rows(EDU, [("E3", "对违规办学的处罚", "02"), ("E4", "校外培训机构审批", "01")])
                     + report_rows(MARKET, [("M1", "对销售不合格产品的处罚", "02"), ("M2", "对无证办学的处罚", "02"),
                                            ("M3", "对旧式计量器具的处罚", "02"), ("M4", "食品经营抽查", "06")]))
    campaigns.self_report(reviewer, second, path)
    decisions.decide(reviewer, second, [
        {"code": "E3", "kind": "保留"}, {"code": "E4", "kind": "取消", "reason": "无法律依据"},
        {"code": "M1", "kind": "保留"}, {"code": "M2", "kind": "整合", "merge_into": "E3"},
        {"code": "M3", "kind": "下放", "receiver": "乡镇（街道）"}, {"code": "M4", "kind": "转移", "receiver": "岳塘区质量协会"}])
    approve_legality(second)
    run("campaign", "publish", "--campaign", str(second.pk), "--title", "岳塘区权力清单（2026）", "--as", "reviewer1")
    return second


def test_citizen_reads_campaign_statistics(client, published_campaign):
    county_page = client.get("/j/430304/").content.decode()
    url = f"/j/430304/campaigns/{published_campaign.pk}/"
    assert url in county_page and url in client.get("/j/430304/versions/").content.decode()
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "2026年权责清单清理" in html and "66.7%" in html  # (6 - 2) / 6
    assert html.count("<svg") == 3 and MARKET in html and CATEGORY_NAMES["02"] in html
    # the difference from version 1: E3 and M1 added, E4 never published, nothing removed
    assert "/j/430304/versions/1/diff/2/" in html and "对违规办学的处罚" in html
    for fmt in ("xlsx", "csv", "json"):
        assert f"{url}statistics.{fmt}" in html


def _as_json_counts(row: list) -> dict:
    return {k: (float(v) if k == "cut_ratio" else int(v)) for (k, _h), v in zip(COLUMNS, row, strict=True)}


def test_downloads_match_campaign_stats_json(client, published_campaign):
    stats = json.loads(run("campaign", "stats", "--campaign", str(published_campaign.pk), "--json",
                           "--as", "reviewer1"))
    base = f"/j/430304/campaigns/{published_campaign.pk}/statistics."
    response = client.get(base + "json")
    assert response["Content-Disposition"].startswith("attachment")
    assert response.json() == stats
    assert stats["taken_over"] == 0 and stats["cut_ratio"] == 0.6667

    def expected_rows():
        yield ["合计", "", "合计"], stats
        for code, c in stats["by_category"].items():
            yield ["按类别", code, CATEGORY_NAMES[code]], c
        for name, c in stats["by_department"].items():
            yield ["按部门", "", name], c

    text = client.get(base + "csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert [(r[:3], _as_json_counts(r[3:])) for r in rows] == [
        (head, {k: c[k] for k, _h in COLUMNS}) for head, c in expected_rows()]

    book = openpyxl.load_workbook(io.BytesIO(client.get(base + "xlsx").content))
    sheet = list(book["清理统计"].iter_rows(values_only=True))[4:]
    assert [([v or "" for v in r[:3]], _as_json_counts(r[3:])) for r in sheet] == [
        (head, {k: c[k] for k, _h in COLUMNS}) for head, c in expected_rows()]
    changes = list(book["与上一版本相比"].iter_rows(values_only=True))
    assert changes[0] == ("与第1版相比", None, None, None) and ("新增", "E3", "对违规办学的处罚", None) in changes
    assert changes[1] == ("变化", "职权编码", "事项名称", "修改的字段")


def test_a_campaign_under_way_is_not_public(client, users, county, published_campaign):
    open_one = campaigns.open_campaign(users["reviewer"], county, title="2027年清理", deadline="2027-12-31")
    assert client.get(f"/j/430304/campaigns/{open_one.pk}/").status_code == 404
    assert client.get(f"/j/430304/campaigns/{open_one.pk}/statistics.json").status_code == 404
    assert client.get(f"/j/430302/campaigns/{published_campaign.pk}/").status_code == 404
    assert client.get(f"/j/430304/campaigns/{published_campaign.pk}/statistics.exe").status_code == 404
    assert f"/campaigns/{open_one.pk}/" not in client.get("/j/430304/").content.decode()
