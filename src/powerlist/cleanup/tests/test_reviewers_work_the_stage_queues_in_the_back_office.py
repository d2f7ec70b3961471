"""The back-office queues under /office/stages/: a legal reviewer approves checked items in a
batch and objects to one with a comment (htmx swaps the card); an objection without comment is
refused on the card; a clerk may not open the queues; the reviewer sets the consultation
period, shows and hides comments in a batch, replies and marks a comment adopted."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from powerlist.cleanup.models import Comment, Signoff
from powerlist.cleanup.services import consultation
from powerlist.cleanup.tests.draft_campaign import EDU, MARKET, draft_campaign, stage_people


@pytest.fixture
def people(users, county):
    return stage_people(users, county)


@pytest.fixture
def campaign(people, tmp_path):
    return draft_campaign(people["reviewer"], {EDU: people["clerk"], MARKET: people["market_clerk"]}, tmp_path)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_legal_reviewer_approves_a_batch_and_objects_to_one(campaign, people):
    client = client_for(people["legal"])
    index = client.get("/office/stages/").content.decode()
    assert campaign.title in index and "合法性审查" in index
    url = f"/office/stages/{campaign.pk}/legality/"
    page = client.get(url).content.decode()
    assert "民办学校设立审批" in page and "保留" in page and "《中华人民共和国行政许可法》第十二条" in page
    assert "承诺时限" in page  # the amendment, by its field's name
    answer = client.post(url + "sign/", {"code": ["E1", "E2"], "verdict": "approved", "query": "show=missing"},
                         HTTP_HX_REQUEST="true")
    assert answer.status_code == 200 and "已签署 2 个事项" in answer.content.decode()
    assert "E1 民办学校设立审批" not in answer.content.decode()  # gone from the "not signed yet" list
    refused = client.post(url + "sign/", {"one": "M1", "verdict": "objected", "comment": ""}, HTTP_HX_REQUEST="true")
    assert "提出异议须写明意见" in refused.content.decode() and 'id="entry-' in refused.content.decode()
    card = client.post(url + "sign/", {"one": "M1", "verdict": "objected", "comment": "罚款幅度<无依据>"},
                       HTTP_HX_REQUEST="true").content.decode()
    assert "有异议" in card and "罚款幅度&lt;无依据&gt;" in card
    assert dict(Signoff.objects.values_list("entry__item__code", "verdict")) == {
        "E1": "approved", "E2": "approved", "M1": "objected"}
    objected = client.get(url + "?show=objected").content.decode()
    assert "对销售不合格产品的处罚" in objected and "民办学校设立审批" not in objected
    # the expert's queue is readable, but a legal reviewer has no buttons there
    expert = client.get(f"/office/stages/{campaign.pk}/expert/").content.decode()
    assert "民办学校设立审批" in expert and 'name="verdict"' not in expert


def test_clerk_cannot_open_the_stage_queues(campaign, people):
    client = client_for(people["clerk"])
    assert client.get(f"/office/stages/{campaign.pk}/legality/").status_code == 404
    assert client.post(f"/office/stages/{campaign.pk}/legality/sign/",
                       {"code": ["E1"], "verdict": "approved"}).status_code == 404
    assert client.get(f"/office/stages/{campaign.pk}/comments/").status_code == 404
    assert not Signoff.objects.exists()
    # a legal reviewer reads the queues but does not moderate comments
    assert client_for(people["legal"]).get(f"/office/stages/{campaign.pk}/comments/").status_code == 403


def test_reviewer_moderates_replies_and_counts_change(campaign, people):
    client = client_for(people["reviewer"])
    today = timezone.localdate()
    client.post(f"/office/stages/{campaign.pk}/consultation/",
                {"action": "open", "opens": today.isoformat(), "closes": (today + dt.timedelta(days=20)).isoformat()})
    campaign.refresh_from_db()
    assert consultation.is_open(campaign)
    ids = [consultation.submit_comment(f"10.1.0.{n}", campaign, "E1", f"意见<b>{n}</b>").pk for n in range(3)]
    url = f"/office/stages/{campaign.pk}/comments/"
    page = client.get(url).content.decode()
    assert "意见&lt;b&gt;0&lt;/b&gt;" in page and "意见<b>0" not in page
    shown = client.post(url + "moderate/", {"comment": ids[:2], "action": "show", "query": "state=pending"},
                        HTTP_HX_REQUEST="true").content.decode()
    assert "已审核 2 条意见" in shown
    client.post(url + "moderate/", {"comment": [ids[2]], "action": "hide"})
    card = client.post(url + f"{ids[0]}/reply/", {"reply": "已采纳", "adopted": "yes"},
                       HTTP_HX_REQUEST="true").content.decode()
    assert "已采纳" in card and "采纳" in card
    client.post(url + f"{ids[1]}/reply/", {"reply": "不予采纳：有法律依据", "adopted": "no"})
    assert consultation.counts(campaign) | {} == {"received": 3, "pending": 0, "shown": 2, "hidden": 1,
                                                  "replied": 2, "adopted": 1, "not_adopted": 1}
    assert list(Comment.objects.order_by("pk").values_list("adopted", flat=True)) == [True, False, None]
    public = Client().get(f"/consultation/{campaign.pk}/").content.decode()
    assert "<strong>3</strong>收到意见" in public and "<strong>1</strong>采纳意见" in public


def test_expert_signs_the_expert_stage_and_not_the_legality_stage(campaign, people):
    client = client_for(people["expert"])
    assert campaign.title in client.get("/office/stages/").content.decode()
    client.post(f"/office/stages/{campaign.pk}/expert/sign/", {"code": ["E1", "M2"], "verdict": "approved"})
    refused = client.post(f"/office/stages/{campaign.pk}/legality/sign/", {"code": ["E1"], "verdict": "approved"},
                          follow=True).content.decode()
    assert "无权签署合法性审查" in refused
    assert sorted(Signoff.objects.values_list("entry__item__code", "stage")) == [("E1", "expert"), ("M2", "expert")]
    # another county's legal reviewer does not even see the campaign
    assert client_for(people["other_legal"]).get(f"/office/stages/{campaign.pk}/legality/").status_code == 404
