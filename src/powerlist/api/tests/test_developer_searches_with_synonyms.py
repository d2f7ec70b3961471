"""A developer searches the API with the words people type: `GET /api/items?q=低保` finds the
最低生活保障 items, says which phrases it added (`expanded`) and where each name matched
(`highlight`), without or with a token; the existing fields stay as they were."""

import pytest

from powerlist.catalog.tests.everyday import everyday_items


@pytest.fixture
def everyday(county, departments):
    return everyday_items(county, departments)


def test_anonymous_search_with_a_synonym(client, everyday):
    body = client.get("/api/items", {"q": "低保"}).json()
    assert body["query"] == "低保" and body["expanded"] == ["最低生活保障"]
    by_code = {r["code"]: r for r in body["results"]}
    assert set(by_code) == {"430304-MZ-JF-001", "430304-MZ-QR-001"}
    first = by_code["430304-MZ-JF-001"]
    assert first["name"] == "城乡最低生活保障金给付" and first["highlight"] == [[2, 8]]
    assert {"id", "code", "name", "plain_name", "organisation", "jurisdiction", "version"} <= set(first)


def test_exact_name_typed_comes_first_in_traditional_characters(client, everyday):
    body = client.get("/api/items", {"q": "營業執照"}).json()
    assert [r["code"] for r in body["results"]] == ["430304-SC-FW-001", "430304-SC-DJ-001", "430304-SC-CF-002"]
    assert body["results"][0]["highlight"] == [[0, 4]]


def test_signed_in_reader_searches_with_synonyms_in_scope(client, everyday, users, token_for):
    body = client.get("/api/items", {"q": "社保"}, **token_for(users["reviewer"])).json()
    assert {r["code"] for r in body["results"]} == {"430304-RS-CF-001", "430304-RS-JF-001"}
    assert body["expanded"] == ["社会保险", "社会保障"]
    assert all(r["highlight"] for r in body["results"])
    # what was typed first: the exact name ranks before names found through a synonym
    body = client.get("/api/items", {"q": "营业执照"}, **token_for(users["admin"], "admin")).json()
    assert [r["code"] for r in body["results"]] == ["430304-SC-FW-001", "430304-SC-DJ-001", "430304-SC-CF-002"]


def test_no_query_no_highlight(client, everyday):
    body = client.get("/api/items", {"category": "05"}).json()
    assert body["expanded"] == [] and all(r["highlight"] == [] for r in body["results"])
