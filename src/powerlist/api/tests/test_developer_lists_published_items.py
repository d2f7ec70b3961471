"""A developer without an account reads the published list: only published items, found by any
fragment of a name in simplified or traditional characters, filtered and paged; one item with
every element; personal data masked."""

from powerlist.catalog.documents import DOCUMENT_FIELDS
from powerlist.catalog.services.citations import check_jurisdiction
from powerlist.core.scope import SYSTEM


def codes(response):
    assert response.status_code == 200, response.content
    return [r["code"] for r in response.json()["results"]]


def test_anonymous_sees_only_published_items(client, items):
    body = client.get("/api/items").json()
    assert body["count"] == 5
    assert all(r["status"] == "published" for r in body["results"])
    assert "430304-JY-XK-009" not in codes(client.get("/api/items"))
    assert codes(client.get("/api/items?status=draft")) == []
    draft = items["430304-JY-XK-009"]
    assert client.get(f"/api/items/{draft.pk}").status_code == 404


def test_traditional_characters_find_simplified_names(client, items):
    assert codes(client.get("/api/items", {"q": "食品經營許可"})) == ["430304-SC-XK-001", "430304-SC-CF-001"]
    assert codes(client.get("/api/items", {"q": "教師"})) == ["430304-JY-QR-001"]
    assert sorted(codes(client.get("/api/items", {"q": "许可"}))) == ["430304-SC-CF-001", "430304-SC-XK-001"]
    body = client.get("/api/items", {"q": "430304-jy"}).json()
    assert {r["code"] for r in body["results"]} == {"430304-JY-XK-001", "430304-JY-QR-001"}
    assert body["query"] == "430304-jy"


def test_filters_and_pages(client, items, departments, other_county):
    market = departments["岳塘区市场监督管理局"]
    assert codes(client.get("/api/items", {"organisation": market.pk})) == ["430304-SC-CF-001", "430304-SC-XK-001"]
    assert codes(client.get("/api/items", {"category": "07"})) == ["430304-JY-QR-001"]
    assert codes(client.get("/api/items", {"category": "02", "q": "食品"})) == ["430304-SC-CF-001"]
    assert len(codes(client.get("/api/items", {"jurisdiction": "430304", "level": 3}))) == 5
    assert codes(client.get("/api/items", {"level": 2})) == []
    assert codes(client.get("/api/items", {"jurisdiction": other_county.code})) == []

    first = client.get("/api/items", {"per_page": 2}).json()
    second = client.get("/api/items", {"per_page": 2, "page": 2}).json()
    assert (first["count"], first["pages"], len(first["results"])) == (5, 3, 2)
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    past = client.get("/api/items", {"per_page": 2, "page": 99})
    assert past.status_code == 404 and "共3页" in past.json()["detail"]


def test_item_detail_has_every_element_and_its_checked_basis(client, items, county):
    check_jurisdiction(SYSTEM, county)
    item = items["430304-SC-CF-001"]
    response = client.get(f"/api/items/{item.pk}")
    assert response.status_code == 200
    body = response.json()
    assert set(DOCUMENT_FIELDS) <= set(body)
    assert body["id"] == item.pk and body["version"] == 1 and body["updated_at"]
    assert body["jurisdiction"] == {"code": "430304", "name": "岳塘区"}
    assert body["organisation"] == "岳塘区市场监督管理局" and body["category"] == "02"
    assert [r["phase"] for r in body["responsibilities"]] == ["before", "during", "after"]
    assert body["accountability"] and body["risk_points"][0]["level"] == "high"
    assert body["discretion"][0]["min_fine"] == "50000.00"
    assert [s["name"] for s in body["flowchart"]["steps"]] == ["受理", "审查", "决定", "送达"]
    [citation] = body["citations"]
    assert citation["text"] == "《中华人民共和国食品安全法》第一百二十二条"
    [ref] = citation["references"]
    assert ref["title"] == "中华人民共和国食品安全法" and ref["article"] == 122
    assert ref["result"] and "message" in ref


def test_personal_data_is_masked_for_the_public(client, items, users, token_for):
    item = items["430304-JY-XK-001"]
    public = client.get(f"/api/items/{item.pk}").json()["conditions"]
    assert "13812345678" not in public and "138****5678" in public
    assert "430302199001011234" not in public
    staff = client.get(f"/api/items/{item.pk}", **token_for(users["clerk"])).json()["conditions"]
    assert "13812345678" in staff


def test_signed_in_clerk_also_sees_own_drafts(client, items, users, token_for):
    headers = token_for(users["clerk"])
    seen = codes(client.get("/api/items", {"per_page": 100}, **headers))
    assert "430304-JY-XK-009" in seen and "430304-SC-XK-009" not in seen and len(seen) == 6
    assert codes(client.get("/api/items", {"status": "draft"}, **headers)) == ["430304-JY-XK-009"]
    assert codes(client.get("/api/items", {"q": "草稿"}, **headers)) == ["430304-JY-XK-009"]
    admin = token_for(users["admin"])
    assert codes(client.get("/api/items", {"q": "草稿中的", "status": "draft"}, **admin)) == [
        "430304-JY-XK-009", "430304-SC-XK-009"]
    draft = items["430304-JY-XK-009"]
    assert client.get(f"/api/items/{draft.pk}", **headers).status_code == 200
    other = items["430304-SC-XK-009"]
    assert client.get(f"/api/items/{other.pk}", **headers).status_code == 404
