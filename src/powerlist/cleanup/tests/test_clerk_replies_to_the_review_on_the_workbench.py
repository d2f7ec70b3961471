"""A department's clerk on the workbench: the same pages as the reviewer for their own items only,
the reply form (同意 / 已修改 / 有异议) instead of the decision form, "accept all" for the whole
submission; another department's item is a 404, and its duplicate shows without its name."""

import pytest
from django.test import Client

from powerlist.catalog.models import PowerItem
from powerlist.cleanup.models import Decision, Task
from powerlist.cleanup.services import decisions
from powerlist.cleanup.tests.workbench_campaign import EDU, MARKET, open_campaign

ALL = ["E1", "E2", "E3", "H1", "M1", "M2", "M3"]


@pytest.fixture
def campaign(users, tmp_path):
    campaign = open_campaign(tmp_path, clerks=(("edu_clerk", EDU), ("market_clerk", MARKET)))
    decisions.decide(users["reviewer"], campaign, [
        {"code": "E1", "kind": "保留"}, {"code": "E2", "kind": "调整", "changes": {"promised_limit_days": 5}},
        {"code": "E3", "kind": "取消", "cancel_reason": "无法律依据"}, {"code": "M1", "kind": "保留"}])
    return campaign


@pytest.fixture
def clerk(users):
    client = Client()
    client.force_login(users["clerk"])
    return client


def test_clerk_replies_and_accepts_from_the_page(campaign, clerk):
    base = f"/office/campaigns/{campaign.pk}/"
    page = clerk.get(base).content.decode()
    assert EDU in page and MARKET not in page and "确认本部门全部事项的审核结果" in page
    assert "开始第 2 轮" not in page  # the reviewer's button only

    listed = clerk.get(base + "items/").content.decode()
    assert [c for c in ALL if f'data-code="{c}"' in listed] == ["E1", "E2", "E3"]
    assert 'name="code"' not in listed  # no batch decisions for a department

    page = clerk.get(base + "items/E3/").content.decode()
    assert 'name="reply" value="object"' in page and 'name="kind"' not in page and "无法律依据" in page
    response = clerk.post(base + "items/E3/reply/", {"reply_text": "没有选择"}, HTTP_HX_REQUEST="true")
    assert "请选择 同意、已修改 或 有异议" in response.content.decode()
    # an objection needs its reason: said inline, nothing stored
    response = clerk.post(base + "items/E3/reply/", {"reply": "object", "reply_text": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "提出异议须说明理由" in response.content.decode()
    assert Decision.objects.get(entry__item__code="E3").reply == ""
    response = clerk.post(base + "items/E3/reply/", {"reply": "object", "reply_text": "依据为民办教育促进法第六十二条"},
                          HTTP_HX_REQUEST="true")
    panel = response.content.decode()
    assert "有异议" in panel and "民办教育促进法第六十二条" in panel
    assert Decision.objects.get(entry__item__code="E3").reply == "object"

    response = clerk.post(base + "items/E1/reply/", {"reply": "revise", "reply_text": "补充通俗名称",
                                                      "f_plain_name": "办民办学校"})
    assert response.status_code == 302
    assert PowerItem.objects.get(code="E1").plain_name == "办民办学校"
    assert clerk.post(base + "items/E2/reply/", {"reply": "accept"}).status_code == 302

    response = clerk.post(base + "accept/")
    assert response.status_code == 302
    assert Task.objects.get(campaign=campaign, organisation__name=EDU).state == "accepted"
    page = clerk.get(base).content.decode()
    assert "已确认" in page
    assert [d.reply for d in Decision.objects.filter(entry__item__code__in=["E1", "E2", "E3"]).order_by(
        "entry__item__code")] == ["revise", "accept", "object"]


def test_clerk_cannot_see_another_departments_item(campaign, clerk, users):
    base = f"/office/campaigns/{campaign.pk}/"
    assert clerk.get(base + "items/M1/").status_code == 404
    assert clerk.get(base + "items/NOPE/").status_code == 404
    assert clerk.post(base + "items/M1/reply/", {"reply": "accept"}).status_code == 404
    assert Decision.objects.get(entry__item__code="M1").reply == ""
    # nor decide, even their own items: the service refuses, the page says so
    response = clerk.post(base + "decide/", {"code": ["E1"], "kind": "cancel", "reason": "其他"})
    assert response.status_code == 400 and "审核人员" in response.content.decode()
    response = clerk.post(base + "items/E1/decide/", {"kind": "cancel", "reason": "其他"}, HTTP_HX_REQUEST="true")
    assert "审核人员" in response.content.decode()
    assert Decision.objects.get(entry__item__code="E1").kind == "keep"
    page = clerk.post(base + "next-round/", follow=True).content.decode()
    assert "无权开始下一轮审核" in page
    campaign.refresh_from_db()
    assert campaign.current_round == 1
    # a department taking no part does not see the campaign at all
    other = Client()
    other.force_login(users["market_clerk"])
    assert other.get(base + "items/E1/").status_code == 404
    assert [c for c in ALL if f'data-code="{c}"' in other.get(base + "items/").content.decode()] == ["M1", "M2", "M3"]


def test_a_clerk_sees_a_duplicate_in_another_department_without_its_name(users, tmp_path):
    reports = {EDU: [("JYJ-0077", "对无证办学的处罚", "02", "")], MARKET: [("SCJG-0077", "对无证办学的处罚", "02", "")]}
    campaign = open_campaign(tmp_path, clerks=(("edu_clerk", EDU), ("market_clerk", MARKET)), reports=reports)
    clerk = Client()
    clerk.force_login(users["clerk"])
    page = clerk.get(f"/office/campaigns/{campaign.pk}/items/JYJ-0077/").content.decode()
    assert "跨部门重复" in page and "另一部门的事项" in page
    assert "SCJG-0077" not in page and MARKET not in page
    reviewer = Client()
    reviewer.force_login(users["reviewer"])
    page = reviewer.get(f"/office/campaigns/{campaign.pk}/items/JYJ-0077/").content.decode()
    assert "SCJG-0077" in page and MARKET in page
