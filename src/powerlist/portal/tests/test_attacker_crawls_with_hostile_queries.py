"""Whatever an attacker puts in a query string (NUL, bytes that are not UTF-8, 10 KB strings,
negative, huge and NaN page numbers, SQL and HTML, traditional characters, repeated
parameters), no public page and no API endpoint answers with a server error. The portal says
400 for a malformed parameter and 404 for a page past the last; the API 422 and 404, as JSON.
The crawl builds the demo county and walks every portal page it links to and every API
endpoint of the OpenAPI document."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from powerlist.catalog.models import ListVersion, PowerItem, Status
from powerlist.core.models import Organisation

HOSTILE = [
    "q=a%00b", "q=%ff%fe", "%ff=%ff", "q=" + "x" * 10240, "q=" + "%E5%AD%97" * 4000, "page=-1",
    "page=99999999999999999999", "page=NaN", "page=%00", "page=%C2%B2", "page=%D9%A1&per_page=-5",
    "q=%27%20OR%201%3D1%20--", "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "q=行政許可",
    "q=a&q=b&page=1&page=2", "j=%00&dept=%C2%B2&level=%D9%A1&cat=%ff", "j=43030400000000000000&dept=9" + "9" * 30,
    "level=-1&category=%00&status=%00&jurisdiction=%00&organisation=-1", "next=%00&pdf=%00",
]


def assert_no_server_error(client, url):
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code, response.content[:300])
    return response


# ---------------------------------------------------------------------------------------------
# the parameters one by one, on a small published list

@pytest.fixture
def client():
    return Client()


def test_search_with_a_nul_byte_is_400_saying_which_parameter(published_list, client):
    response = client.get("/search/?q=a%00b")
    assert response.status_code == 400
    assert "q" in response.content.decode() and "控制字符" in response.content.decode()


@pytest.mark.parametrize("query", ["q=" + "x" * 101, "page=abc", "page=-1", "page=0", "page=99999999999",
                                   "page=%C2%B2", "level=9", "dept=x&j=430304", "j=abc"])
def test_malformed_search_parameters_are_400(published_list, client, query):
    assert client.get(f"/search/?{query}").status_code == 400


def test_a_page_past_the_last_is_404_on_the_portal_and_in_the_api(published_list, client):
    assert client.get("/search/?q=许可&page=1").status_code == 200
    assert client.get("/search/?q=许可&page=2").status_code == 404
    assert client.get("/search/?q=没有这样的事项&page=1").status_code == 200  # page 1 always exists
    assert client.get("/j/430304/category/01/?page=2").status_code == 404
    assert client.get("/api/items?page=2").status_code == 404


def test_ids_too_long_for_the_database_are_404_not_an_overflow(published_list, client):
    for url in ("/item/99999999999999999999/", "/j/430304/dept/99999999999999999999/",
                "/j/430304/versions/1/diff/99999999999999999999/"):
        assert client.get(url).status_code == 404


def test_repeated_parameters_take_the_last(published_list, client):
    page = client.get("/search/?q=不存在的词&q=民办学校").content.decode()
    assert "民办学校设立审批" in page


def test_traditional_characters_and_injection_strings_are_only_text(published_list, client):
    assert "民办学校设立审批" in client.get("/search/", {"q": "民辦學校"}).content.decode()
    page = client.get("/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert client.get("/search/", {"q": "' OR 1=1 --"}).status_code == 200
    assert PowerItem.objects.filter(status=Status.PUBLISHED).count() == 4


# ---------------------------------------------------------------------------------------------
# the crawl over the demo county

_LINK = re.compile(r'href="(/[^"#]*)"')


def _portal_urls(client, limit=40) -> list[str]:
    """Pages reached from the home page by links (breadth first), without downloads and the back
    office; items are sampled (the demo has 1,400 of them)."""
    seen, queue, items = set(), ["/"], 0
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = assert_no_server_error(client, url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in _LINK.findall(response.content.decode()):
            path = urlsplit(link).path
            if path.startswith(("/admin", "/api", "/static", "/office", "/lang/")) or "/v/" in path:
                continue
            if path.startswith("/item/"):
                items += 1
                if items <= 3 and path not in seen:
                    queue.insert(0, path)  # a few items early, whatever order the pages link them in
                continue
            if path not in seen:
                queue.append(path)
    return sorted(seen)


def _api_urls(client) -> list[str]:
    """Every GET endpoint of the OpenAPI document, its path parameters filled from the demo."""
    item = PowerItem.objects.filter(status=Status.PUBLISHED).order_by("pk").first()
    org = Organisation.objects.filter(jurisdiction__code="430304").order_by("pk").first()
    version = ListVersion.objects.filter(jurisdiction__code="430304").order_by("number").first()
    values = {"code": "430304", "item_id": item.pk, "org_id": org.pk, "number": version.number,
              "a": version.number, "b": version.number, "name": "swagger-ui.css"}
    urls = []
    for path, operations in client.get("/api/openapi.json").json()["paths"].items():
        if "get" not in operations:
            continue
        url = path
        for name in re.findall(r"{(\w+)}", path):
            url = url.replace("{" + name + "}", str(values.get(name, 1)))
        urls.append(url)
    return urls


@pytest.mark.slow  # every URL of the whole demo county times every hostile query: run by `pytest -m slow`
@pytest.mark.django_db
def test_crawl_of_every_portal_and_api_url_of_the_demo_with_hostile_queries(settings, tmp_path):
    call_command("demo", "--no-serve", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the logins are not needed
    client = Client()
    urls = _portal_urls(client) + _api_urls(client)
    assert len(urls) > 45 and any(u.startswith("/item/") for u in urls)
    assert sum(u.startswith("/api/") for u in urls) >= 8
    statuses = set()
    for url in urls:
        for query in HOSTILE:
            statuses.add(assert_no_server_error(client, f"{url}?{query}").status_code)
    assert {200, 400, 404, 422} <= statuses  # the crawl did reach answers of every kind


def test_api_bodies_nested_deep_or_too_large_are_400(published_list, users, client):
    from powerlist.api import services as token_services
    from powerlist.core.scope import SYSTEM

    _token, key = token_services.create_token(SYSTEM, users["admin"], "test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    item = published_list["items"]["licence"]
    for body in ("[" * 100_000 + "]" * 100_000, '{"name": "' + "x" * (3 << 20) + '"}'):
        response = client.patch(f"/api/items/{item.pk}", body, content_type="application/json", **auth)
        assert response.status_code == 400, response.content[:200]
    item.refresh_from_db()
    assert item.version == published_list["items"]["licence"].version
