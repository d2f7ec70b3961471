"""公开征求意见: the reviewer opens the draft for comment; a citizen comments on an item without
logging in; the comment waits for moderation, then shows escaped with a masked name; one
address is throttled after N comments; after the consultation closes the form is gone and the
comments stay readable; the reviewer replies and marks comments adopted, and the counts follow."""

import datetime as dt
import itertools
import json
from html.parser import HTMLParser

import pytest
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powerlist.cleanup.models import Comment, Entry
from powerlist.cleanup.services import consultation
from powerlist.cleanup.tests.campaign_files import run
from powerlist.cleanup.tests.draft_campaign import EDU, MARKET, draft_campaign
from powerlist.core.errors import InvalidInput, NotFound, PermissionDenied
from powerlist.core.masking import mask_text


@pytest.fixture
def campaign(users, tmp_path):
    campaign = draft_campaign(users["reviewer"], {EDU: users["clerk"], MARKET: users["market_clerk"]}, tmp_path)
    today = timezone.localdate()
    return consultation.open_consultation(users["reviewer"], campaign, today.isoformat(),
                                          (today + dt.timedelta(days=30)).isoformat())


def item_url(campaign, code):
    entry = Entry.objects.get(campaign=campaign, item__code=code)
    return f"/consultation/{campaign.pk}/items/{entry.pk}/"


class _Texts(HTMLParser):
    """The text of each `<p class="text">` of a page, as a browser reads it."""

    def __init__(self):
        super().__init__()
        self.texts, self._in = [], False

    def handle_starttag(self, tag, attrs):
        if tag == "p" and ("class", "text") in attrs:
            self._in = True
            self.texts.append("")

    def handle_endtag(self, tag):
        if tag == "p":
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.texts[-1] += data


def shown_texts(html: str) -> list[str]:
    parser = _Texts()
    parser.convert_charrefs = True
    parser.feed(html)
    return parser.texts


def test_citizen_comments_without_login_and_it_waits_for_moderation(campaign, users):
    client = Client(enforce_csrf_checks=True)
    url = item_url(campaign, "E1")
    page = client.get(url)
    assert page.status_code == 200 and 'name="text"' in page.content.decode()
    token = page.cookies["csrftoken"].value
    text = '请缩短办理时限<script>alert("x")</script>，电话13912345678'
    answer = client.post(url, {"text": text, "name": "张三丰", "csrfmiddlewaretoken": token})
    assert answer.status_code == 302 and answer["Location"].endswith("?sent=1")
    comment = Comment.objects.get()
    assert comment.text == text and comment.state == "pending" and comment.name == "张三丰"
    assert len(comment.address_hash) == 64 and "127.0.0.1" not in comment.address_hash
    # not shown before moderation
    assert "请缩短办理时限" not in client.get(url).content.decode()
    # without the CSRF token the post is refused
    assert client.post(url, {"text": "再提一条意见"}).status_code == 403

    consultation.moderate(users["reviewer"], [comment.pk], "show")
    html = client.get(url).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert shown_texts(html) == [mask_text(text)]  # escaped, and the phone number masked
    assert "139****5678" in html and "张三丰" not in html and "张**" in html


def test_hidden_comment_never_shows(campaign, users):
    comment = consultation.submit_comment("10.0.0.1", campaign, "E1", "广告内容：代办资质")
    consultation.moderate(users["reviewer"], [comment.pk], "hide")
    assert "广告内容" not in Client().get(item_url(campaign, "E1")).content.decode()
    with pytest.raises(InvalidInput, match="只能答复已公开的意见"):
        consultation.reply(users["reviewer"], comment.pk, "不予答复", False)


def test_comments_from_one_address_are_throttled_after_n(campaign, settings):
    settings.POWERLIST_COMMENTS_PER_HOUR = 3
    client = Client(REMOTE_ADDR="203.0.113.7")
    url = item_url(campaign, "M1")
    for n in range(3):
        assert client.post(url, {"text": f"第{n}条意见"}).status_code == 302
    refused = client.post(url, {"text": "第四条意见"})
    assert refused.status_code == 429 and "请稍后再提交" in refused.content.decode()
    assert Comment.objects.count() == 3
    # another address is not affected
    assert Client(REMOTE_ADDR="203.0.113.8").post(url, {"text": "另一位市民的意见"}).status_code == 302


def test_bad_comments_are_refused_with_a_reason(campaign):
    url = item_url(campaign, "E2")
    client = Client()
    for text, reason in (("", "至少"), ("字" * 2001, "不超过 2000"), ("含空字符\x00的意见", "控制字符")):
        answer = client.post(url, {"text": text})
        assert answer.status_code == 400 and reason in answer.content.decode()
    with pytest.raises(InvalidInput, match="征求意见稿中没有这个事项"):
        consultation.submit_comment("10.0.0.2", campaign, "NOPE", "有意见")
    # a bot filling the hidden field is answered as a person, nothing stored
    assert client.post(url, {"text": "买卖发票", "website": "http://spam"}).status_code == 302
    assert not Comment.objects.exists()


def test_comment_refused_after_consultation_closes(campaign, users):
    shown = consultation.submit_comment("10.0.0.3", campaign, "E1", "建议保留并公开办理流程")
    consultation.moderate(users["reviewer"], [shown.pk], "show")
    consultation.close_consultation(users["reviewer"], campaign)
    with pytest.raises(InvalidInput, match="不在征求意见期内"):
        consultation.submit_comment("10.0.0.3", campaign, "E1", "迟到的意见")
    url = item_url(campaign, "E1")
    page = Client().get(url).content.decode()
    assert 'name="text"' not in page and "建议保留并公开办理流程" in page and "征求意见已结束" in page
    assert Client().post(url, {"text": "迟到的意见"}).status_code == 400
    assert Comment.objects.count() == 1
    with pytest.raises(InvalidInput, match="没有正在进行的征求意见"):
        consultation.close_consultation(users["reviewer"], campaign)


def test_reviewer_replies_and_marks_adopted_and_counts_change(campaign, users):
    reviewer = users["reviewer"]
    a = consultation.submit_comment("10.0.0.4", campaign, "E1", "承诺时限可压缩到5个工作日")
    b = consultation.submit_comment("10.0.0.5", campaign, "E1", "建议取消该事项")
    c = consultation.submit_comment("10.0.0.6", campaign, "M1", "无关内容")
    assert consultation.counts(campaign) == {"received": 3, "pending": 3, "shown": 0, "hidden": 0, "replied": 0,
                                             "adopted": 0, "not_adopted": 0}
    consultation.moderate(reviewer, [a.pk, b.pk], "show")
    consultation.moderate(reviewer, [c.pk], "hide")
    consultation.reply(reviewer, a.pk, "已采纳，承诺时限调整为5个工作日", True)
    consultation.reply(reviewer, b.pk, "该事项有法律依据，予以保留", False)
    assert consultation.counts(campaign) == {"received": 3, "pending": 0, "shown": 2, "hidden": 1, "replied": 2,
                                             "adopted": 1, "not_adopted": 1}
    assert consultation.counts_by_item(campaign)["E1"]["adopted"] == 1
    page = Client().get(f"/consultation/{campaign.pk}/").content.decode()
    assert "收到意见" in page and ">3<" in page.replace("<strong>3</strong>", ">3<")
    item = Client().get(item_url(campaign, "E1")).content.decode()
    assert "已采纳，承诺时限调整为5个工作日" in item and "未采纳" in item
    out = json.loads(run("consultation", "comments", "--campaign", str(campaign.pk), "--json", "--as", "reviewer1"))
    assert out["counts"]["adopted"] == 1 and out["phase"] == "open"
    assert [x["adopted"] for x in out["comments"]] == [True, False, None]
    assert "name" not in out["comments"][0]


def test_only_reviewers_moderate_and_reply(campaign, users):
    comment = consultation.submit_comment("10.0.0.7", campaign, "E1", "意见一")
    for who in ("clerk", "legal", "inspector"):
        with pytest.raises(PermissionDenied):
            consultation.moderate(users[who], [comment.pk], "show")
        with pytest.raises(PermissionDenied):
            consultation.reply(users[who], comment.pk, "答复", True)
    with pytest.raises(NotFound):
        consultation.moderate(users["reviewer"], [comment.pk, 99999], "show")
    assert Comment.objects.get().state == "pending"


def test_reviewer_opens_the_consultation_from_the_console(users, tmp_path):
    campaign = draft_campaign(users["reviewer"], {EDU: users["clerk"]}, tmp_path)
    today = timezone.localdate()
    out = run("consultation", "open", "--campaign", str(campaign.pk), "--opens", today.isoformat(),
              "--closes", (today + dt.timedelta(days=14)).isoformat(), "--as", "reviewer1")
    assert "公开征求意见" in out
    campaign.refresh_from_db()
    assert consultation.is_open(campaign)
    assert timezone.localtime(campaign.consultation_closes).strftime("%H:%M") == "23:59"  # to the day's end
    with pytest.raises(CommandError, match="截止时间应晚于开始时间"):
        run("consultation", "open", "--campaign", str(campaign.pk), "--opens", "2027-01-10", "--closes",
            "2027-01-01", "--as", "reviewer1")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("consultation", "open", "--campaign", str(campaign.pk), "--opens", "明天", "--closes", "2027-01-01",
            "--as", "reviewer1")
    with pytest.raises(CommandError, match="无权"):
        run("consultation", "open", "--campaign", str(campaign.pk), "--opens", today.isoformat(), "--closes",
            "2027-01-01", "--as", "edu_clerk")


_addresses = itertools.count(1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300), name=st.text(max_size=20))
def test_any_comment_text_is_never_a_500_and_always_escaped(campaign, users, text, name):
    address = f"198.51.{next(_addresses) % 250}.{next(_addresses) % 250}"
    url = item_url(campaign, "E3")
    answer = Client(REMOTE_ADDR=address).post(url, {"text": text, "name": name})
    assert answer.status_code in (302, 400, 429)
    if answer.status_code != 302:
        return
    comment = Comment.objects.order_by("-pk").first()
    assert comment.text == text  # stored exactly as given
    consultation.moderate(users["reviewer"], [comment.pk], "show")
    html = Client().get(url).content.decode()
    assert mask_text(text) in shown_texts(html)
    comment.delete()


def test_citizen_searches_the_draft_and_filters_by_decision(campaign):
    client = Client()
    url = f"/consultation/{campaign.pk}/"
    everything = client.get(url).content.decode()
    # every item with its proposed decision, the cancelled and delegated ones too
    assert all(code in everything for code in ("E1", "E2", "E3", "M1", "M2")) and "取消" in everything
    found = client.get(url, {"q": "民辦學校"}).content.decode()  # traditional characters find the simplified name
    assert "民办学校设立审批" in found and "教师资格认定" not in found
    cancelled = client.get(url, {"decision": "cancel"}).content.decode()
    assert "对违规办学的处罚" in cancelled and "民办学校设立审批" not in cancelled
    assert client.get(url, {"page": "9"}).status_code == 404
    assert client.get(url, {"q": "a\x00b"}).status_code == 400
    index = client.get("/consultation/").content.decode()
    assert campaign.title in index
    # a campaign whose consultation has not begun is not public
    assert client.get(f"/consultation/{campaign.pk + 1}/").status_code == 404
