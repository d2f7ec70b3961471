"""The next clean-up of a jurisdiction with a published list (三上三下 again): `campaign open
--include-list` enters every published item in force of the departments taking part as reported
(the items themselves, not copies); a self-report with their codes revises them instead of being
refused, a code of the list outside the campaign is still refused (all or nothing); the rounds'
decisions apply to the existing items at publication: cancel cancels, amend changes, keep keeps."""

import pytest
from django.core.management.base import CommandError

from powerlist.catalog.models import ListVersion, PowerItem
from powerlist.cleanup.models import Campaign, Entry
from powerlist.cleanup.services import campaigns, decisions, publication
from powerlist.cleanup.tests.campaign_files import HEADER, approve_legality, report_rows, run, write_csv

EDU, MARKET = "岳塘区教育局", "岳塘区市场监督管理局"


@pytest.fixture
def published(users, county, tmp_path):
    """A first campaign published E1, E2 (education) and M1 (market)."""
    campaign = campaigns.open_campaign(users["reviewer"], county, title="2025年清理", deadline="2025-12-31")
    path = write_csv(tmp_path / "r.csv", HEADER, report_rows(EDU, [("E1", "民办学校设立审批", "01"),
                                                                  ("E2", "教师资格认定", "07")])
                     + report_rows(MARKET, [("M1", "对销售不合格产品的处罚", "02")]))
    campaigns.self_report(users["reviewer"], campaign, path)
    decisions.decide(users["reviewer"], campaign, [{"code": c, "kind": "保留"} for c in ("E1", "E2", "M1")])
    approve_legality(campaign)
    publication.publish(users["reviewer"], campaign, title="2025年权责清单")
    return campaign


def open_again(*extra):
    out = run("campaign", "open", "--jurisdiction", "430304", "--title", "2026年再清理", "--deadline", "2026-12-31",
              "--as", "reviewer1", *extra)
    return Campaign.objects.get(pk=int(out.strip().splitlines()[-1])), out


def test_reviewer_recleans_the_published_list_and_publishes_the_new_version(published, users, tmp_path):
    campaign, out = open_again("--include-list")
    assert "3 项" in out
    assert sorted(Entry.objects.filter(campaign=campaign).values_list("item__code", flat=True)) == ["E1", "E2", "M1"]
    assert PowerItem.objects.count() == 3  # linked, not duplicated; still in force meanwhile
    assert set(PowerItem.objects.values_list("status", flat=True)) == {"published"}
    assert publication.statistics(campaign)["reported"] == 3

    # the department's self-report revises E1 and adds E9: no refusal, no duplicate
    path = write_csv(tmp_path / "again.csv", HEADER, report_rows(EDU, [("E1", "民办学校设立与变更审批", "01"),
                                                                      ("E9", "校外培训机构审批", "01")]))
    run("import", str(path), "--jurisdiction", "430304", "--campaign", str(campaign.pk), "--as", "reviewer1")
    assert PowerItem.objects.get(code="E1").name == "民办学校设立与变更审批"
    assert PowerItem.objects.get(code="E1").status == "published"
    assert PowerItem.objects.count() == 4 and publication.statistics(campaign)["reported"] == 4

    decisions.decide(users["reviewer"], campaign, [
        {"code": "E1", "kind": "调整", "changes": {"promised_limit_days": 5}},
        {"code": "E2", "kind": "取消", "reason": "无法律依据"},
        {"code": "M1", "kind": "保留"}, {"code": "E9", "kind": "保留"}])
    approve_legality(campaign)
    run("campaign", "publish", "--campaign", str(campaign.pk), "--title", "2026年权责清单", "--as", "reviewer1")
    items = {i.code: i for i in PowerItem.objects.all()}
    assert (items["E1"].status, items["E1"].promised_limit_days) == ("published", 5)
    assert items["E2"].status == "cancelled" and items["M1"].status == "published"
    assert items["E9"].status == "published"
    version = ListVersion.objects.get(number=2)
    assert publication.difference(version)["removed"] == ["E2"]
    assert publication.difference(version)["added"] == ["E9"]
    campaign.refresh_from_db()
    assert campaign.statistics["reported"] == 4 and campaign.statistics["cancelled"] == 1


def test_a_self_report_with_a_published_code_outside_the_campaign_changes_nothing(published, tmp_path):
    campaign, _out = open_again("--include-list", "--department", EDU)
    assert sorted(Entry.objects.filter(campaign=campaign).values_list("item__code", flat=True)) == ["E1", "E2"]
    path = write_csv(tmp_path / "bad.csv", HEADER, report_rows(EDU, [("E9", "校外培训机构审批", "01")])
                     + report_rows(MARKET, [("M1", "对销售不合格产品的处罚（改）", "02")]))
    with pytest.raises(CommandError) as refused:
        run("import", str(path), "--jurisdiction", "430304", "--campaign", str(campaign.pk), "--as", "reviewer1")
    assert "M1" in str(refused.value) and "不在本次清理工作中" in str(refused.value)
    assert not PowerItem.objects.filter(code="E9").exists()
    assert PowerItem.objects.get(code="M1").name == "对销售不合格产品的处罚"


def test_without_include_list_no_existing_item_is_entered_and_two_open_campaigns_do_not_share_items(published):
    campaign, _out = open_again()
    assert not Entry.objects.filter(campaign=campaign).exists()
    open_again("--include-list")
    with pytest.raises(CommandError) as refused:
        open_again("--include-list")
    assert "同时在两次清理工作中" in str(refused.value)


def test_clerk_revises_an_item_of_the_published_list_in_the_reply(published, users):
    """The item stays in force: the clerk's revision goes to the reviewer as a change request."""
    from powerlist.catalog.models import ChangeRequest

    campaign, _out = open_again("--include-list")
    decisions.decide(users["reviewer"], campaign, [{"code": "E1", "kind": "保留"}])
    d = decisions.reply(users["clerk"], campaign, "E1", "revise", changes={"承诺时限": 8}, text="压缩时限")
    request = ChangeRequest.objects.get()
    assert d.reply == "revise" and f"编号 {request.pk}" in d.reply_text
    assert PowerItem.objects.get(code="E1").promised_limit_days is None  # in force as published until approved
