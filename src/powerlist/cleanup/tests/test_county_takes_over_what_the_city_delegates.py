"""Levels: 湘潭市 publishes its list, delegating some items down; 岳塘区 opens its campaign with the
city's list as the reference: the items delegated to counties (or to 岳塘区 by name) enter the
campaign to take over (承接) for the matching department, those without one are reported and not
entered; check (e) compares against the city's list with no --theirs; the statistics count the
taken-over items; the published list goes up as JSON and XLSX that import again unchanged."""

import json

import pytest
from django.core.management.base import CommandError

from powerlist.catalog.documents import PREFETCH, document_of
from powerlist.catalog.models import ListVersion, PowerItem
from powerlist.catalog.services import imports
from powerlist.cleanup.models import Campaign, Entry
from powerlist.cleanup.services import campaigns, decisions
from powerlist.cleanup.tests.campaign_files import HEADER, approve_legality, report_rows, run, write_csv
from powerlist.core.models import Jurisdiction
from powerlist.core.scope import SYSTEM
from powerlist.core.services import organisations as org_services

CITY_MARKET, CITY_CULTURE = "湘潭市市场监督管理局", "湘潭市文化旅游广电体育局"
MARKET = "岳塘区市场监督管理局"


@pytest.fixture
def city_list(users, county, other_county, tmp_path):
    """湘潭市's campaign, published: C1 to counties, C3 to counties (no such department in 岳塘区),
    C4 to 雨湖区 only, C5 to 岳塘区 by name; C2 kept, C6 cancelled."""
    city = Jurisdiction.objects.get(code="4303")
    for name in (CITY_MARKET, CITY_CULTURE):
        org_services.create_organisation(SYSTEM, city, name=name)
    campaign = campaigns.open_campaign(SYSTEM, city, title="湘潭市2026年清理", deadline="2026-06-30")
    path = write_csv(tmp_path / "city.csv", HEADER, report_rows(CITY_MARKET, [
        ("C1", "对无证经营的处罚", "02"), ("C2", "食品经营许可", "01"), ("C4", "对计量违法行为的处罚", "02"),
        ("C5", "对广告违法行为的处罚", "02"), ("C6", "对已废止事项的处罚", "02")])
        + report_rows(CITY_CULTURE, [("C3", "娱乐场所设立审批", "01")]))
    campaigns.self_report(SYSTEM, campaign, path)
    decisions.decide(SYSTEM, campaign, [
        {"code": "C1", "kind": "下放", "receiver": "县（市、区）"}, {"code": "C2", "kind": "保留"},
        {"code": "C3", "kind": "下放", "receiver": "县级"}, {"code": "C4", "kind": "下放", "receiver": "雨湖区"},
        {"code": "C5", "kind": "下放", "receiver": "岳塘区市场监督管理局"},
        {"code": "C6", "kind": "取消", "reason": "无法律依据"}])
    approve_legality(campaign)
    run("campaign", "publish", "--campaign", str(campaign.pk), "--title", "湘潭市权力清单（2026）")
    return Campaign.objects.get(pk=campaign.pk)


def open_county(*extra) -> tuple[Campaign, str]:
    out = run("campaign", "open", "--jurisdiction", "430304", "--title", "岳塘区2026年清理", "--deadline", "2026-12-31",
              "--reference", "4303", *extra, "--as", "reviewer1")
    return Campaign.objects.get(pk=int(out.strip().splitlines()[-1])), out


def test_county_campaign_takes_over_what_the_city_delegates(city_list, users, departments):
    campaign, out = open_county()
    assert campaign.reference.code == "4303"
    assert "已录入待承接的下放事项 2 项" in out and "C3" in out and "对应的部门" in out
    taken = {e.item.code: e for e in Entry.objects.filter(campaign=campaign).select_related("item__organisation",
                                                                                            "upper_item")}
    assert set(taken) == {"C1", "C5"}  # not C4 (雨湖区's), not C3 (no department), not C2/C6
    assert {e.item.organisation.name for e in taken.values()} == {MARKET}
    assert all(e.upper_item.jurisdiction.code == "4303" and e.item.status == "in_review" for e in taken.values())
    assert PowerItem.objects.get(jurisdiction=campaign.jurisdiction, code="C1").name == "对无证经营的处罚"
    # the county creates the missing department: taking over again enters C3, and only C3
    org_services.create_organisation(SYSTEM, campaign.jurisdiction, name="岳塘区文化旅游广电体育局")
    report = json.loads(run("campaign", "takeover", "--campaign", str(campaign.pk), "--json", "--as", "reviewer1"))
    assert report == {"entered": ["C3"], "already": ["C1", "C5"], "unmatched": []}
    # the department's clerk sees the item in their submission; statistics count it separately
    assert {e.item.code for e in campaigns.entries_for(users["market_clerk"], campaign)} == {"C1", "C5"}
    stats = json.loads(run("campaign", "stats", "--campaign", str(campaign.pk), "--json", "--as", "reviewer1"))
    assert stats["taken_over"] == 3 == stats["reported"]
    assert stats["by_department"][MARKET]["taken_over"] == 2


def test_county_checks_against_the_city_list_without_theirs(city_list, users, departments, tmp_path):
    campaign, _out = open_county()
    path = write_csv(tmp_path / "market.csv", HEADER, report_rows(MARKET, [
        ("M1", "食品经营許可（县级）", "01"), ("M2", "对销售不合格产品的处罚", "02")]))
    run("import", str(path), "--jurisdiction", "430304", "--campaign", str(campaign.pk), "--as", "market_clerk")
    report = json.loads(run("cleanup", "check", "--campaign", str(campaign.pk), "--check", "comparison", "--json",
                            "--as", "reviewer1"))
    comparison = report["comparison"]
    assert "湘潭市" in comparison["theirs"]
    assert [(m["ours"], m["theirs"]) for m in comparison["matched"]] == [("M1", "C2")]
    only_ours = {f["code"] for d in report["by_department"].values() for f in d["findings"]
                 if f["problem"] == "only-ours"}
    # the taken-over items left the city's list when it delegated them: not "only ours" to be questioned
    assert only_ours == {"M2"}
    # an explicit --theirs wins over the reference
    other = json.loads(run("cleanup", "check", "--campaign", str(campaign.pk), "--check", "comparison", "--json",
                           "--theirs", str(path), "--as", "reviewer1"))
    assert other["comparison"]["theirs"] == "market.csv" and len(other["comparison"]["matched"]) == 2


def test_a_reference_must_be_an_upper_level(city_list, users, departments):
    with pytest.raises(CommandError, match="上级"):
        run("campaign", "open", "--jurisdiction", "430304", "--title", "T", "--deadline", "2026-12-31",
            "--reference", "430302", "--as", "reviewer1")
    with pytest.raises(CommandError, match="没有代码为 9999 的行政区划"):
        run("campaign", "open", "--jurisdiction", "430304", "--title", "T", "--deadline", "2026-12-31",
            "--reference", "9999", "--as", "reviewer1")
    assert not Campaign.objects.filter(jurisdiction__code="430304").exists()
    plain = campaigns.open_campaign(users["reviewer"], Jurisdiction.objects.get(code="430304"), title="T",
                                    deadline="2026-12-31")
    with pytest.raises(CommandError, match="参照清单"):
        run("campaign", "takeover", "--campaign", str(plain.pk), "--as", "reviewer1")
    with pytest.raises(CommandError, match="对照其他清单需要 --theirs"):
        run("cleanup", "check", "--campaign", str(plain.pk), "--check", "comparison", "--as", "reviewer1")


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_published_list_exports_for_the_upper_platform_and_imports_unchanged(city_list, tmp_path, fmt):
    out = tmp_path / f"up.{fmt}"
    assert "已将第 1 版的 1 项写入" in run("campaign", "export", "--campaign", str(city_list.pk), "--format", fmt,
                                         "-o", str(out))
    version = ListVersion.objects.get(jurisdiction__code="4303")
    published = {e.code: e.data for e in version.entries.all()}
    # the province's platform reads it as our importer does: into an empty jurisdiction, unchanged
    province = Jurisdiction.objects.get(code="43")
    imports.import_file(SYSTEM, out, province, create_organisations=True)
    again = {i.code: document_of(i) for i in PowerItem.objects.filter(jurisdiction=province)
             .select_related("organisation").prefetch_related(*PREFETCH)}
    assert again == published
    if fmt == "json":
        head = json.loads(out.read_text(encoding="utf-8"))
        assert head["version"]["sha256"] == version.sha256 and head["statistics"]["delegated"] == 4


def test_export_needs_a_published_campaign_and_a_writable_file(users, county, tmp_path):
    campaign = campaigns.open_campaign(users["reviewer"], county, title="T", deadline="2026-12-31")
    with pytest.raises(CommandError, match="尚未公布"):
        run("campaign", "export", "--campaign", str(campaign.pk), "--format", "json", "-o", str(tmp_path / "x.json"))
    with pytest.raises(CommandError, match="invalid choice"):
        run("campaign", "export", "--campaign", str(campaign.pk), "--format", "pdf", "-o", str(tmp_path / "x.pdf"))
