"""A reviewer replaces the citation of a repealed article with its successor in the 生态环境法典
in one click, from the item page or the impact page; the change is in the ledger with its reason.
A department clerk's click on a published item files a change request instead."""

import json

import pytest
from django.core.management import call_command
from django.test import Client

from powerlist.catalog.models import ChangeRequest, Citation, CitationReference, PowerItem
from powerlist.catalog.services.citations import check_jurisdiction, impact
from powerlist.catalog.services.items import create_item
from powerlist.catalog.services.successors import replace_with_successor
from powerlist.conftest import item_document
from powerlist.core.errors import InvalidInput, PermissionDenied
from powerlist.core.scope import SYSTEM

CODE_1132 = "《中华人民共和国生态环境法典》第一千一百三十二条"  # 餐饮油烟 in the code's 法律责任 part


@pytest.fixture
def smoky(county, departments):
    """A published penalty of the education bureau's clerk's department citing the repealed 大气污染防治法,
    and one whose cell cites two laws."""
    one = create_item(SYSTEM, county, item_document(
        code="JY-CF-1", name="对餐饮油烟超标排放的处罚", category="02", status="published",
        citations=[{"kind": "implementing", "text": "《中华人民共和国大气污染防治法》第一百一十八条第一款"}]))
    two = create_item(SYSTEM, county, item_document(
        code="JY-CF-2", name="对饮用水水源保护区内违法建设的处罚", category="02",
        citations=[{"kind": "setting", "text": "1.《中华人民共和国行政处罚法》第八条；2.《中华人民共和国水污染防治法》"
                                               "第九十一条第一款第（一）项"}]))
    check_jurisdiction(SYSTEM, county)
    return one, two


def reference(item, title_part):
    return CitationReference.objects.get(citation__item=item, title__contains=title_part)


def test_reviewer_replaces_a_repealed_citation_with_its_successor(smoky, users):
    item, _ = smoky
    ref = reference(item, "大气")
    outcome = replace_with_successor(users["reviewer"], ref.pk, 1132)
    assert not outcome.pending
    citation = Citation.objects.get(item=item)
    assert citation.raw_text == CODE_1132 and citation.kind == "implementing"
    record = PowerItem.objects.get(pk=item.pk).changes.order_by("-id").first()
    assert record.reason == f"依据法律修改：《中华人民共和国大气污染防治法》第一百一十八条已废止，由{CODE_1132}承接"


def test_only_the_repealed_law_of_a_cell_citing_two_is_replaced(smoky, users):
    _, item = smoky
    ref = reference(item, "水污染")
    replace_with_successor(users["reviewer"], ref.pk, 1145)
    assert Citation.objects.get(item=item).raw_text == (
        "1.《中华人民共和国行政处罚法》第八条；2.《中华人民共和国生态环境法典》第一千一百四十五条")


def test_an_article_that_was_not_offered_is_refused_in_words_a_clerk_can_act_on(smoky, users):
    ref = reference(smoky[0], "大气")
    with pytest.raises(InvalidInput) as refused:
        replace_with_successor(users["reviewer"], ref.pk, 1)
    assert "不是《中华人民共和国大气污染防治法》第一百一十八条的承接条款" in str(refused.value)
    assert CODE_1132 in str(refused.value)


def test_clerk_click_on_a_published_item_files_a_change_request(smoky, users):
    item, _ = smoky
    ref = reference(item, "大气")
    outcome = replace_with_successor(users["clerk"], ref.pk, 1132)
    assert outcome.pending and outcome.request.status == "pending"
    assert Citation.objects.get(item=item).raw_text.startswith("《中华人民共和国大气污染防治法》")
    with pytest.raises(PermissionDenied):
        replace_with_successor(users["market_clerk"], ref.pk, 1132)  # another department's item


def test_item_page_offers_the_successors_and_replaces_in_one_click(smoky, users):
    item, _ = smoky
    ref = reference(item, "大气")
    client = Client()
    client.force_login(users["reviewer"])
    page = client.get(f"/admin/catalog/poweritem/{item.pk}/change/").content.decode()
    assert CODE_1132 in page and f'value="{ref.pk}:1132"' in page
    response = client.post(f"/admin/catalog/poweritem/{item.pk}/replace-citation/", {"successor": f"{ref.pk}:1132"})
    assert response.status_code == 302 and response["Location"].endswith(f"/{item.pk}/change/")
    assert Citation.objects.get(item=item).raw_text == CODE_1132
    inspector = Client()
    inspector.force_login(users["inspector"])
    assert f'value="{ref.pk}:1132"' not in inspector.get(f"/admin/catalog/poweritem/{item.pk}/change/").content.decode()


def test_clerk_replacing_from_the_item_page_is_told_a_request_was_filed(smoky, users):
    item, _ = smoky
    ref = reference(item, "大气")
    client = Client()
    client.force_login(users["clerk"])
    response = client.post(f"/admin/catalog/poweritem/{item.pk}/replace-citation/", {"successor": f"{ref.pk}:1132"},
                           follow=True)
    assert ChangeRequest.objects.filter(item=item, status="pending").count() == 1
    assert "#" in response.content.decode()


def test_impact_lists_repealed_citations_with_successors_to_replace(smoky, users, capsys):
    found = {i.code: i for i in impact()}
    assert found["JY-CF-1"].change == "repealed" and found["JY-CF-1"].successors[0]["cites"] == CODE_1132
    call_command("laws", "impact", "--json")
    listed = {i["code"]: i for i in json.loads(capsys.readouterr().out)}
    assert listed["JY-CF-2"]["successors"][0]["article"] == 1145
    call_command("laws", "impact")
    assert f"替代条文：{CODE_1132}" in capsys.readouterr().out

    client = Client()
    client.force_login(users["reviewer"])
    page = client.get("/admin/catalog/poweritem/law-impact/").content.decode()
    ref = reference(smoky[0], "大气")
    assert CODE_1132 in page and f'value="{ref.pk}:1132"' in page
    response = client.post(f"/admin/catalog/poweritem/{smoky[0].pk}/replace-citation/",
                           {"successor": f"{ref.pk}:1132", "next": "/admin/catalog/poweritem/law-impact/"})
    assert response["Location"] == "/admin/catalog/poweritem/law-impact/"
    assert Citation.objects.get(item=smoky[0]).raw_text == CODE_1132


def test_developer_reads_the_successors_in_the_item_detail_of_the_api(smoky):
    body = Client().get(f"/api/items/{smoky[0].pk}").json()
    [ref] = body["citations"][0]["references"]
    assert ref["result"] == "repealed"
    assert ref["successors"][0] | {"matched": []} == {"law": "中华人民共和国生态环境法典", "article": 1132,
                                                       "score": ref["successors"][0]["score"], "matched": []}
