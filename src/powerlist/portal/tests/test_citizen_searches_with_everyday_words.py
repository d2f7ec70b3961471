"""On the portal a citizen searches with everyday words: the items are found with their matched
characters marked, a department narrows the search, and a search that finds nothing says what
to try instead."""

import pytest
from django.test import Client

from powerlist.catalog.services.items import create_item
from powerlist.catalog.tests.everyday import CIVIL, MARKET, everyday_items
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM
from powerlist.core.services import organisations as org_services


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def items(county, departments):
    return everyday_items(county, departments)


def page(client, **query):
    response = client.get("/search/", query)
    assert response.status_code == 200
    return response.content.decode()


def test_citizen_searches_dibao_and_sees_the_matched_words_marked(client, items):
    html = page(client, q="低保")
    assert "城乡<mark>最低生活保障</mark>金给付" in html
    assert "<mark>最低生活保障</mark>家庭经济状况核对" in html
    assert "最低生活保障" in html.split('class="expanded"')[1].split("</small>")[0]  # says what else it searched
    assert "临时救助" not in html


def test_business_licence_in_traditional_characters(client, items):
    html = page(client, q="營業執照")
    assert "<mark>营业执照</mark>" in html and "<mark>市场主体登记</mark>注册" in html
    assert html.index("430304-SC-FW-001") < html.index("430304-SC-DJ-001") < html.index("430304-SC-CF-002")


def test_marked_names_are_escaped_and_masked(client, county, departments, items):
    create_item(SYSTEM, county, item_document(
        code="430304-MZ-FW-009", name='<script>alert("低保")</script>咨询13812345678', category="20",
        organisation=CIVIL, status="published"))
    html = page(client, q="低保")
    assert '&lt;script&gt;alert(&quot;<mark>低保</mark>&quot;)&lt;/script&gt;' in html
    assert "<script>alert" not in html
    assert "13812345678" not in html and "138****5678" in html


def test_department_filter_narrows_the_search(client, county, items):
    market = org_services.find(county, MARKET)
    civil = org_services.find(county, CIVIL)
    html = page(client, q="许可", j="430304")
    assert f'<option value="{market.pk}">岳塘区市场监督管理局（5）</option>' in html  # published items counted
    assert "430304-SC-XK-001" in html
    assert "430304-SC-XK-001" not in page(client, q="许可", j="430304", dept=civil.pk)
    # a department alone is enough: its jurisdiction is chosen with it
    html = page(client, q="许可", dept=market.pk)
    assert f'<option value="{market.pk}" selected>' in html and "430304-SC-XK-002" in html


def test_nothing_found_suggests_the_nearest_names_and_ways_to_browse(client, county, items):
    html = page(client, q="食品经营许可证办理", j="430304")
    assert 'class="nothing-found"' in html
    assert "/search/?q=%E9%A3%9F%E5%93%81%E7%BB%8F%E8%90%A5%E8%AE%B8%E5%8F%AF&amp;j=430304" in html  # 食品经营许可
    civil = org_services.find(county, CIVIL)
    assert f"/j/430304/dept/{civil.pk}/" in html and "/j/430304/category/05/" in html


def test_nothing_found_lists_the_synonyms_tried(client, items):
    html = page(client, q="低保证明开具")
    assert 'class="nothing-found"' in html
    assert "低保 → 最低生活保障" in html
    assert "/j/430304/" in html  # no jurisdiction chosen: the jurisdictions to browse
