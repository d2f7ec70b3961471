"""The OpenAPI description and the interactive documentation work on a closed network: every
script and style of the docs page is served by this site."""

import re


def test_openapi_describes_every_operation(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "powerlist API"
    assert {"/api/items", "/api/items/{item_id}", "/api/items/{item_id}/status", "/api/jurisdictions",
            "/api/jurisdictions/{code}/versions/{a}/diff/{b}", "/api/organisations/{org_id}"} <= set(schema["paths"])
    assert schema["paths"]["/api/items"]["post"]["security"] == [{"TokenAuth": []}]
    assert {} in schema["paths"]["/api/items"]["get"]["security"]


def test_docs_page_loads_nothing_from_the_internet(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    assert "cdn" not in html.lower() and "http://" not in html and "https://" not in html
    assert '"validatorUrl": null' in html
    for url in urls:
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert b"".join(asset.streaming_content if asset.streaming else [asset.content])
    assert client.get("/api/docs/assets/settings.py").status_code == 404
    assert client.get("/api/docs/assets/swagger-ui-bundle.js.map").status_code == 404
