"""A citizen, without logging in, finds the power that concerns them and sees everything about it."""

import re

import pytest
from django.test import Client


@pytest.fixture
def client():
    return Client()


def test_home_lists_published_jurisdictions_with_figures(published_list, client):
    page = client.get("/").content.decode()
    assert "湖南省湘潭市岳塘区" in page and "权力清单" in page
    assert re.search(r"<strong>4</strong>", page)  # published powers, the draft not counted


def test_jurisdiction_department_and_category_pages(published_list, client, departments):
    page = client.get("/j/430304/").content.decode()
    assert "岳塘区市场监督管理局" in page and "行政处罚" in page
    market = departments["岳塘区市场监督管理局"]
    page = client.get(f"/j/430304/dept/{market.pk}/").content.decode()
    assert "对未取得食品经营许可从事食品经营活动的处罚" in page
    page = client.get("/j/430304/category/01/").content.decode()
    assert "民办学校设立审批" in page and "仍在起草的许可" not in page


def test_item_page_shows_every_public_element_and_masks_personal_data(published_list, client):
    item = published_list["items"]["penalty"]
    page = client.get(f"/item/{item.pk}/").content.decode()
    for text in ("430304-SC-CF-001", "岳塘区市场监督管理局", "《中华人民共和国食品安全法》第一百二十二条", "受理责任",
                 "对符合法定条件的申请不予受理的", "降低标准违规审批", "集体审议，全程留痕", "处5万元以上10万元以下罚款",
                 "0731-58550000", "<svg", "class=\"flowchart"):
        assert text in page, text
    licence = published_list["items"]["licence"]
    page = client.get(f"/item/{licence.pk}/").content.decode()
    assert "199001011234" not in page and "13812345678" not in page and "138****5678" in page


def test_drafts_and_unknown_ids_are_not_found(published_list, client):
    assert client.get(f"/item/{published_list['items']['draft'].pk}/").status_code == 404
    assert client.get("/item/99999999/").status_code == 404
    assert client.get("/j/999999/").status_code == 404
    assert client.get("/j/430304/category/77/").status_code == 404


def test_search_in_traditional_characters_with_filters(published_list, client):
    page = client.get("/search/", {"q": "權力清單"}).content.decode()
    assert "权力清单公开查询服务" in page and "1 " in page
    page = client.get("/search/", {"q": "许可", "j": "430304", "cat": "02"}).content.decode()
    assert "对未取得食品经营许可" in page and "民办学校" not in page
    for params in ({"q": "x" * 500}, {"page": "abc"}, {"level": "9"}, {"j": "abc", "dept": "x"}, {"page": "-5"}):
        assert client.get("/search/", params).status_code == 400  # and the page says which parameter


def test_versions_and_the_difference_between_them(published_list, client):
    page = client.get("/j/430304/versions/").content.decode()
    assert "岳塘区权力清单（2025年版）" in page and published_list["versions"][1].sha256 in page
    page = client.get("/j/430304/versions/1/diff/2/").content.decode()
    assert "教师资格认定" in page and "承诺时限（工作日）" in page
    assert client.get("/j/430304/versions/1/diff/9/").status_code == 404


def test_statistics_page_draws_its_charts_locally(published_list, client):
    page = client.get("/j/430304/stats/").content.decode()
    assert page.count("<svg") >= 3 and "行政许可" in page
    assert not re.search(r"https?://(?!www\.w3\.org)", page.split("<footer")[0])  # nothing fetched from elsewhere


def test_pages_work_at_phone_width_and_are_labelled(published_list, client):
    page = client.get("/").content.decode()
    assert 'name="viewport"' in page and 'lang="zh-hans"' in page and 'class="skip"' in page
    assert '<label for="site-q"' in page
    css = client.get("/static/portal/site.css")
    assert css.status_code == 200 and b"@media (max-width" in b"".join(css.streaming_content)


def test_english_on_request(published_list, client):
    response = client.get("/lang/en/", {"next": "/j/430304/"})
    assert response.status_code == 302 and response["Location"] == "/j/430304/"
    page = client.get("/").content.decode()
    assert 'lang="en"' in page and "Power and responsibility lists" in page
    assert client.get("/lang/en/", {"next": "https://evil.example/"})["Location"] == "/"
    assert client.get("/lang/xx/").status_code == 404


def test_item_page_is_served_from_memory_and_follows_changes(published_list, client, monkeypatch):
    from powerlist.catalog.services.items import update_item
    from powerlist.core.scope import SYSTEM
    from powerlist.portal import views

    item = published_list["items"]["service"]
    assert "权力清单公开查询服务" in client.get(f"/item/{item.pk}/").content.decode()
    update_item(SYSTEM, item, {"name": "权力清单和责任清单公开查询服务"}, reason="规范名称")
    # within the freshness window the page may still be the one drawn before
    monkeypatch.setattr(views, "FRESH_SECONDS", 0)
    assert "权力清单和责任清单公开查询服务" in client.get(f"/item/{item.pk}/").content.decode()
    update_item(SYSTEM, item, {"status": "cancelled"}, reason="取消")
    assert client.get(f"/item/{item.pk}/").status_code == 404
