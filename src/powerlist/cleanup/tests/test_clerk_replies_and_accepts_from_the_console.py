"""A department's clerk answers the review from the console: `powerlist campaign reply` (accept,
revise with the changed fields, object with a reason) and `powerlist campaign accept`; runs
`powerlist cleanup check --as` and sees only their own department's findings. Mistakes exit
non-zero naming what is wrong, and change nothing."""

import json

import pytest
from django.core.management.base import CommandError

from powerlist.catalog.models import PowerItem
from powerlist.catalog.services.items import create_item
from powerlist.cleanup.models import Decision, Task
from powerlist.cleanup.services import campaigns, decisions
from powerlist.cleanup.tests.campaign_files import HEADER, report_rows, run, write_csv
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM

EDU, MARKET = "岳塘区教育局", "岳塘区市场监督管理局"


@pytest.fixture
def decided(users, county, tmp_path):
    campaign = campaigns.open_campaign(users["reviewer"], county, title="2026年清理", deadline="2026-12-31")
    path = write_csv(tmp_path / "r.csv", HEADER, report_rows(EDU, [("E1", "民办学校设立审批", "01"),
                                                                  ("E2", "教师资格认定", "07")])
                     + report_rows(MARKET, [("M1", "对销售不合格产品的处罚", "02")]))
    campaigns.self_report(users["reviewer"], campaign, path)
    decisions.decide(users["reviewer"], campaign, [{"code": "E1", "kind": "保留"},
                                                   {"code": "E2", "kind": "取消", "reason": "无法律依据"},
                                                   {"code": "M1", "kind": "保留"}])
    return campaign


def reply(campaign, *args):
    return run("campaign", "reply", "--campaign", str(campaign.pk), *args)


def test_clerk_replies_and_accepts_from_the_console(decided):
    out = reply(decided, "--code", "E2", "--answer", "object", "--text", "依据为教师法第十条", "--as", "edu_clerk")
    assert "E2" in out and "第 1 轮" in out and "有异议" in out
    reply(decided, "--code", "E1", "--answer", "revise", "--changes", '{"promised_limit_days": 5}',
          "--text", "压缩承诺时限", "--as", "edu_clerk")
    assert PowerItem.objects.get(code="E1").promised_limit_days == 5
    replies = dict(Decision.objects.values_list("entry__item__code", "reply"))
    assert replies == {"E1": "revise", "E2": "object", "M1": ""}
    assert Decision.objects.get(entry__item__code="E2").reply_text == "依据为教师法第十条"
    assert "岳塘区教育局" in run("campaign", "accept", "--campaign", str(decided.pk), "--as", "edu_clerk")
    states = dict(Task.objects.values_list("organisation__name", "state"))
    assert states[EDU] == "accepted" and states[MARKET] == "in_review"


@pytest.mark.parametrize("args, message", [
    (["--code", "M1", "--answer", "accept"], "M1"),  # another department's item: not even said to exist
    (["--code", "E2", "--answer", "object"], "异议"),  # an objection needs its reason
    (["--code", "E1", "--answer", "revise"], "修改"),  # a revision needs the fields
    (["--code", "E1", "--answer", "revise", "--changes", "{promised: 5"], "不是 JSON"),
    (["--code", "E1", "--answer", "revise", "--changes", "[5]"], "JSON 对象"),
    (["--code", "E1", "--answer", "revise", "--changes", '{"promised_limit_days": -3}'], "promised_limit_days"),
    (["--code", "E1", "--answer", "maybe"], "invalid choice"),
])
def test_a_wrong_reply_exits_non_zero_naming_it_and_changes_nothing(decided, args, message):
    with pytest.raises(CommandError, match=message):
        reply(decided, *args, "--as", "edu_clerk")
    assert set(Decision.objects.values_list("reply", flat=True)) == {""}
    assert PowerItem.objects.get(code="E1").promised_limit_days is None


def test_accept_needs_a_department_taking_part(decided):
    with pytest.raises(CommandError, match="没有参加"):
        run("campaign", "accept", "--campaign", str(decided.pk), "--as", "reviewer1")
    with pytest.raises(CommandError, match="没有名为"):
        run("campaign", "accept", "--campaign", str(decided.pk), "--as", "nobody")
    with pytest.raises(CommandError, match="不存在"):
        run("campaign", "accept", "--campaign", "999999", "--as", "edu_clerk")
    assert not Task.objects.filter(state="accepted").exists()


def test_clerk_sees_only_their_own_findings(users, county, departments):
    for doc in [item_document(code="E1", name="教师资格认定", citations=[]),
                item_document(code="E2", name="考核本单位工作人员年度绩效", category="10"),
                item_document(code="M1", name="对无证经营的处罚", organisation=MARKET, citations=[]),
                item_document(code="M2", name="无证经营行为的处罚", organisation=MARKET, citations=[])]:
        create_item(SYSTEM, county, doc)
    whole = json.loads(run("cleanup", "check", "--jurisdiction", "430304", "--json", "--as", "reviewer1"))
    assert set(whole["by_department"]) == {EDU, MARKET}
    own = json.loads(run("cleanup", "check", "--jurisdiction", "430304", "--json", "--as", "edu_clerk"))
    assert set(own["by_department"]) == {EDU} and own["items"] == 2
    codes = {f["code"] for f in own["by_department"][EDU]["findings"]}
    assert codes == {"E1", "E2"}
    market = json.loads(run("cleanup", "check", "--jurisdiction", "430304", "--json", "--as", "market_clerk"))
    assert set(market["by_department"]) == {MARKET} and market["by_check"]["duplicate"] == 1
    text = run("cleanup", "check", "--jurisdiction", "430304", "--as", "edu_clerk")
    assert "对无证经营的处罚" not in text and "考核本单位工作人员" in text


def test_clerk_of_a_campaign_sees_only_their_findings(decided):
    own = json.loads(run("cleanup", "check", "--campaign", str(decided.pk), "--json", "--check", "scope",
                         "--check", "legal_basis", "--as", "market_clerk"))
    assert own["items"] == 1 and set(own["by_department"]) <= {MARKET}


def test_check_refuses_people_outside_the_jurisdiction(users, county, other_county):
    from powerlist.conftest import make_user
    from powerlist.core.models import Role
    from powerlist.core.services import organisations as org_services

    org = org_services.create_organisation(SYSTEM, other_county, name="雨湖区教育局")
    make_user("yuhu_clerk", Role.CLERK, other_county, org)
    make_user("yuhu_reviewer", Role.REVIEWER, other_county)
    for name in ("yuhu_clerk", "yuhu_reviewer"):
        with pytest.raises(CommandError, match="无权"):
            run("cleanup", "check", "--jurisdiction", "430304", "--as", name)


def test_a_revision_naming_no_field_of_an_item_changes_nothing_and_says_so(decided):
    with pytest.raises(CommandError, match="changes.bogus_field.*没有这个事项字段"):
        reply(decided, "--code", "E1", "--answer", "revise", "--changes", '{"bogus_field": "1"}', "--as", "edu_clerk")
    assert not Decision.objects.filter(entry__item__code="E1").exclude(reply="").exists()
