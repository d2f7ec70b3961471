"""Only the item's own department answers the review: a reviewer's (or administrator's, or another
department's) `campaign reply` is refused, saying why, and the department's objection stands. A
department that replies again in the same round keeps its earlier reply in the history: the
current answer is the latest, the workbench's round history shows every reply with who and when."""

import pytest
from django.core.management.base import CommandError
from django.test import Client

from powerlist.cleanup.models import Decision, ReplyRecord
from powerlist.cleanup.services import campaigns, decisions
from powerlist.cleanup.tests.campaign_files import HEADER, report_rows, run, write_csv
from powerlist.core.errors import PermissionDenied

EDU = "岳塘区教育局"


@pytest.fixture
def decided(users, county, tmp_path):
    campaign = campaigns.open_campaign(users["reviewer"], county, title="2026年清理", deadline="2026-12-31")
    path = write_csv(tmp_path / "r.csv", HEADER, report_rows(EDU, [("E1", "民办学校设立审批", "01"),
                                                                  ("E2", "教师资格认定", "07")]))
    campaigns.self_report(users["reviewer"], campaign, path)
    decisions.decide(users["reviewer"], campaign, [{"code": "E1", "kind": "保留"},
                                                   {"code": "E2", "kind": "取消", "reason": "无法律依据"}])
    return campaign


def reply(campaign, *args):
    return run("campaign", "reply", "--campaign", str(campaign.pk), *args)


def test_reviewer_tries_to_overwrite_the_departments_objection_from_the_console(decided, users):
    reply(decided, "--code", "E2", "--answer", "object", "--text", "依据为教师法第十条", "--as", "edu_clerk")
    with pytest.raises(CommandError) as refused:
        reply(decided, "--code", "E2", "--answer", "accept", "--as", "reviewer1")
    assert "岳塘区教育局" in str(refused.value) and "不能代部门答复" in str(refused.value)
    for who in ("admin1", "market_clerk"):
        with pytest.raises(CommandError):
            reply(decided, "--code", "E2", "--answer", "accept", "--as", who)
    d = Decision.objects.get(entry__item__code="E2")
    assert (d.reply, d.reply_text, d.replied_by) == ("object", "依据为教师法第十条", "edu_clerk")
    assert ReplyRecord.objects.filter(decision=d).count() == 1
    with pytest.raises(PermissionDenied):  # the service itself refuses, not only the console
        decisions.reply(users["reviewer"], decided, "E2", "accept")


def test_department_replies_twice_in_a_round_and_both_replies_stay(decided, users):
    reply(decided, "--code", "E2", "--answer", "object", "--text", "依据为教师法第十条", "--as", "edu_clerk")
    reply(decided, "--code", "E2", "--answer", "accept", "--text", "经核实同意取消", "--as", "edu_clerk")
    d = Decision.objects.get(entry__item__code="E2")
    assert d.reply == "accept"  # the current answer is the latest
    assert [(r.answer, r.text, r.replied_by) for r in decisions.replies(d)] == [
        ("object", "依据为教师法第十条", "edu_clerk"), ("accept", "经核实同意取消", "edu_clerk")]

    client = Client()
    client.force_login(users["reviewer"])
    page = client.get(f"/office/campaigns/{decided.pk}/items/E2/").content.decode()
    assert "依据为教师法第十条" in page and "经核实同意取消" in page
    # the round's figures count the current answer only: one accepted, none objecting
    overview = client.get(f"/office/campaigns/{decided.pk}/items/?reply=object").content.decode()
    assert 'data-code="E2"' not in overview
    overview = client.get(f"/office/campaigns/{decided.pk}/items/?reply=accept").content.decode()
    assert 'data-code="E2"' in overview
