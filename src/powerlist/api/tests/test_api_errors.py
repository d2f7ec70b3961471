"""Whatever a caller sends, the answer is JSON `{"detail", "problems"}` with a 4xx status: never
a server error. Unknown ids and codes are 404, bad parameters 422."""

import json

import pytest


def assert_error(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"] and isinstance(body["problems"], list)
    return body


@pytest.mark.parametrize("url", [
    "/api/items/abc", "/api/items/0", "/api/items/-1", "/api/items/99999999999999999999999",
    "/api/items?page=0", "/api/items?page=99999999999999999999", "/api/items?per_page=1000",
    "/api/items?per_page=0", "/api/items?category=42", "/api/items?category=行政许可", "/api/items?level=9",
    "/api/items?status=gone", "/api/items?organisation=x", "/api/items?jurisdiction=abc",
    "/api/items?q=" + "字" * 101, "/api/jurisdictions?level=0", "/api/jurisdictions/43x",
    "/api/jurisdictions/430304/versions/0", "/api/jurisdictions/430304/versions/1/diff/abc",
    "/api/organisations/1.5",
])
def test_bad_parameters_are_422(client, county, url):
    body = assert_error(client.get(url), 422)
    assert body["problems"] and all(p["field"] and p["expected"] for p in body["problems"])


@pytest.mark.parametrize("url", [
    "/api/items/987654321", "/api/jurisdictions/999999", "/api/jurisdictions/999999/stats",
    "/api/jurisdictions/430304/versions/7", "/api/jurisdictions/430304/versions/1/diff/2",
    "/api/organisations/987654321", "/api/items?jurisdiction=999999", "/api/items?organisation=987654321",
])
def test_unknown_ids_and_codes_are_404(client, county, url):
    assert_error(client.get(url), 404)


def test_pages_past_the_last_are_404_saying_how_many_there_are(client, items):
    body = assert_error(client.get("/api/items?page=100000&per_page=100"), 404)
    assert "共1页" in body["detail"]
    assert_error(client.get("/api/jurisdictions?page=100000"), 404)
    assert client.get("/api/items?q=没有这样的事项&page=1").json()["results"] == []  # page 1 always exists


def test_control_characters_and_odd_text_in_queries(client, items):
    for q in ["\x00", "许\x00可", "'; DROP TABLE catalog_poweritem; --", '"', "*", "食品 OR 许可", "\ufffd", "%"]:
        response = client.get("/api/items", {"q": q})
        assert response.status_code == 200, (q, response.content)
    assert client.get("/api/jurisdictions", {"q": "\x00岳"}).status_code == 200
    assert client.get("/api/organisations", {"q": "\x00"}).status_code == 200


def test_bodies_no_database_column_can_store_are_422(client, items, users, token_for):
    item = items["430304-JY-XK-001"]
    headers = token_for(users["admin"])
    bad = [
        {"name": "a\x00b"},
        {"flowchart": {"steps": [{"id": "s1", "name": "受理\x00"}]}},
        {"flowchart": {"steps": 5}},
        {"flowchart": {"steps": [{"id": "s1", "name": "受理"}], "extra": {"x": [1, "\x00"]}}},
        {"discretion": [{"grade": "一般", "circumstance": "情形", "penalty": "罚款", "min_fine": "1e20"}]},
        {"discretion": [{"grade": "一般", "circumstance": "情形", "penalty": "罚款", "min_fine": "NaN"}]},
        {"responsibilities": [{"phase": "before", "stage": "长" * 101, "content": "内容"}]},
        {"statutory_limit_days": 10**12},
        {"name": "㍿" * 200},  # expands under NFKC beyond the 500 characters of the matching key
        {"code": "x" * 101},
        {"citations": "not a list"},
        {"accountability": [{"text": "x"}]},
    ]
    for body in bad:
        response = client.patch(f"/api/items/{item.pk}", json.dumps(body), content_type="application/json", **headers)
        assert_error(response, 422)
    lone_surrogate = '{"name": "\\ud800"}'
    response = client.patch(f"/api/items/{item.pk}", lone_surrogate, content_type="application/json", **headers)
    assert_error(response, 422)
    assert client.get(f"/api/items/{item.pk}").json()["version"] == 1


def test_unsupported_methods_are_not_server_errors(client, items):
    item = items["430304-JY-XK-001"]
    assert client.delete(f"/api/items/{item.pk}").status_code == 405
    assert client.put("/api/jurisdictions/430304").status_code == 405
