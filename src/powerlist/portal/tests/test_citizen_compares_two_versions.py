"""A citizen compares any two published versions: fields named as the list names them, values as
people read them, columns headed by the versions compared, and each item linked to its page;
the statistics link every department."""

import re

from powerlist.catalog.services.items import update_item
from powerlist.catalog.services.versions import publish_version
from powerlist.core.scope import SYSTEM


def test_citizen_compares_two_versions_in_chinese_with_items_linked(published_list, client):
    page = client.get("/j/430304/versions/1/diff/2/").content.decode()
    licence, new = published_list["items"]["licence"], published_list["items"]["new"]
    header = re.search(r"<thead>(.*?)</thead>", page, re.S).group(1)
    assert "第 1 版" in header and "第 2 版" in header and "事前" not in header and "事后" not in header
    assert "承诺时限（工作日）" in page and "promised_limit_days" not in page
    assert f'href="/item/{licence.pk}/"' in page and f'href="/item/{new.pk}/"' in page


def test_citizen_picks_any_two_versions_to_compare(published_list, client):
    county = published_list["county"]
    update_item(SYSTEM, published_list["items"]["penalty"], {"name": "对无证从事食品经营的处罚"}, reason="规范名称")
    publish_version(SYSTEM, county, title="岳塘区权力清单（2026年版）")
    page = client.get("/j/430304/versions/").content.decode()
    assert '<select name="older">' in page and '<option value="2" selected>' in page
    response = client.get("/j/430304/versions/", {"older": "3", "newer": "1"})
    assert response.status_code == 302 and response["Location"] == "/j/430304/versions/1/diff/3/"
    page = client.get(response["Location"]).content.decode()
    assert "对无证从事食品经营的处罚" in page and "承诺时限（工作日）" in page and "第 3 版" in page
    assert client.get("/j/430304/versions/", {"older": "1", "newer": "9"}).status_code == 200  # no such version


def test_statistics_chart_every_department_each_linked(published_list, client):
    page = client.get("/j/430304/stats/").content.decode()
    chart = page[page.index("各部门") if "各部门" in page else page.index("按部门"):]
    for org_id in published_list["county"].organisations.filter(power_items__status="published").values_list(
            "pk", flat=True).distinct():
        assert f'href="/j/430304/dept/{org_id}/"' in chart
    assert 'viewBox="0 0 360 ' in page  # drawn for a phone's width, not scaled down to it
