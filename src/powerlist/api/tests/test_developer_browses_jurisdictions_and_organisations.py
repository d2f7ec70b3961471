"""A developer walks the divisions down to a county, lists its departments and reads one
department's responsibility list (责任清单) with the departments its boundaries are shared with."""

from powerlist.catalog.services.responsibilities import save_responsibility
from powerlist.core.scope import SYSTEM


def test_jurisdictions_by_level_parent_and_name(client, county, other_county):
    body = client.get("/api/jurisdictions").json()
    assert body["count"] == 4 and [j["code"] for j in body["results"]] == ["43", "4303", "430302", "430304"]
    assert [j["code"] for j in client.get("/api/jurisdictions", {"level": 3}).json()["results"]] == [
        "430302", "430304"]
    children = client.get("/api/jurisdictions", {"parent": "4303"}).json()["results"]
    assert [j["name"] for j in children] == ["雨湖区", "岳塘区"]
    assert [j["code"] for j in client.get("/api/jurisdictions", {"q": "嶽塘"}).json()["results"]] == ["430304"]
    assert [j["code"] for j in client.get("/api/jurisdictions", {"q": "4303"}).json()["results"]] == [
        "4303", "430302", "430304"]
    assert client.get("/api/jurisdictions", {"parent": "999999"}).status_code == 404


def test_one_jurisdiction(client, items):
    body = client.get("/api/jurisdictions/430304").json()
    assert body["full_name"] == "湖南省湘潭市岳塘区" and body["level"] == 3 and body["parent"] == "4303"
    assert body["ancestors"] == [{"code": "43", "name": "湖南省"}, {"code": "4303", "name": "湘潭市"}]
    assert (body["organisations"], body["published_items"], body["children"]) == (3, 5, 0)
    assert client.get("/api/jurisdictions/430304000000").json()["code"] == "430304"  # 12-digit form
    response = client.get("/api/jurisdictions/999999")
    assert response.status_code == 404 and response.json()["detail"]


def test_organisations_of_a_jurisdiction_and_their_responsibility_list(client, departments, other_county):
    edu, market, health = (departments[n] for n in ("岳塘区教育局", "岳塘区市场监督管理局", "岳塘区卫生健康局"))
    save_responsibility(SYSTEM, market, {"kind": "duty", "title": "负责食品安全监督管理", "status": "published"})
    save_responsibility(SYSTEM, market, {"kind": "boundary", "title": "校园食品安全监管", "status": "published",
                                         "content": "市场监管部门负责食品经营许可，教育部门负责校内管理"},
                        related=[edu])
    save_responsibility(SYSTEM, market, {"kind": "supervision", "title": "双随机一公开抽查", "status": "published"})
    save_responsibility(SYSTEM, market, {"kind": "public_service", "title": "草稿服务", "status": "draft"})

    body = client.get("/api/organisations", {"jurisdiction": "430304"}).json()
    assert body["count"] == 3 and {o["name"] for o in body["results"]} == {edu.name, market.name, health.name}
    assert client.get("/api/organisations", {"jurisdiction": "430302"}).json()["count"] == 0
    assert client.get("/api/organisations", {"q": "市場監督"}).json()["results"][0]["id"] == market.pk
    assert client.get("/api/organisations", {"jurisdiction": "999999"}).status_code == 404

    detail = client.get(f"/api/organisations/{market.pk}").json()
    assert detail["name"] == "岳塘区市场监督管理局" and detail["jurisdiction"] == "430304"
    duties = detail["responsibilities"]
    assert [d["title"] for d in duties["duty"]] == ["负责食品安全监督管理"]
    assert [d["title"] for d in duties["supervision"]] == ["双随机一公开抽查"]
    assert duties["boundary"][0]["related_organisations"] == [{"id": edu.pk, "name": "岳塘区教育局"}]
    assert duties["public_service"] == []  # drafts are not public
    assert client.get("/api/organisations/987654321").status_code == 404
