"""Round 1 the reviewer amends 承诺时限 to 10; the department replies 已修改 setting it to 8; round 2
brings no new decision. `campaign publish` is refused, naming the item, the field, the decision's
value and the item's current value, and telling the reviewer to decide again; nothing is
published. Once the reviewer decides again, publication keeps the department's 8. An amend the
item still matches (or already carries) is applied as before."""

import pytest
from django.core.management.base import CommandError

from powerlist.catalog.models import ListVersion, PowerItem
from powerlist.cleanup.services import campaigns, decisions, stages
from powerlist.cleanup.tests.campaign_files import HEADER, approve_legality, report_rows, run, write_csv

EDU = "岳塘区教育局"


@pytest.fixture
def campaign(users, county, tmp_path):
    campaign = campaigns.open_campaign(users["reviewer"], county, title="2026年清理", deadline="2026-12-31")
    path = write_csv(tmp_path / "r.csv", HEADER, report_rows(EDU, [("E1", "民办学校设立审批", "01"),
                                                                  ("E2", "教师资格认定", "07")]))
    campaigns.self_report(users["reviewer"], campaign, path)
    decisions.decide(users["reviewer"], campaign, [
        {"code": "E1", "kind": "调整", "changes": {"promised_limit_days": 10}},
        {"code": "E2", "kind": "调整", "changes": {"promised_limit_days": 15}}])
    return campaign


def test_reviewer_publishes_after_the_department_revised_an_amended_item(campaign, users):
    run("campaign", "reply", "--campaign", str(campaign.pk), "--code", "E1", "--answer", "revise",
        "--changes", '{"承诺时限": 8}', "--text", "8天可办结", "--as", "edu_clerk")
    decisions.start_next_round(users["reviewer"], campaign)
    approve_legality(campaign)
    with pytest.raises(CommandError) as refused:
        run("campaign", "publish", "--campaign", str(campaign.pk), "--title", "清单", "--as", "reviewer1")
    message = str(refused.value)
    assert "E1" in message and "承诺时限" in message and "10" in message and "8" in message
    assert "重新作出决定" in message and "E2" not in message
    assert not ListVersion.objects.exists() and PowerItem.objects.get(code="E1").promised_limit_days == 8
    assert any("E1" in b and "重新作出决定" in b for b in stages.publication_blockers(campaign))

    decisions.decide(users["reviewer"], campaign, [{"code": "E1", "kind": "保留"}])
    approve_legality(campaign)
    run("campaign", "publish", "--campaign", str(campaign.pk), "--title", "清单", "--as", "reviewer1")
    assert PowerItem.objects.get(code="E1").promised_limit_days == 8  # the department's change stands
    assert PowerItem.objects.get(code="E2").promised_limit_days == 15  # an amend still matching is applied


def test_department_revises_to_the_decided_value_and_publication_goes_ahead(campaign, users):
    decisions.reply(users["clerk"], campaign, "E1", "revise", changes={"承诺时限": 10}, text="按决定修改")
    approve_legality(campaign)
    assert stages.publication_blockers(campaign) == []
    run("campaign", "publish", "--campaign", str(campaign.pk), "--title", "清单", "--as", "reviewer1")
    assert PowerItem.objects.get(code="E1").promised_limit_days == 10
