"""A clerk types residents' mobile and ID numbers into an item's free-text fields and into the
department responsibility list; once published, no public surface shows them (item page,
search results, department page, versions and diff, every open-data file, the public API),
while the supervision phone and hotlines stay readable. Back-office readers in scope see them."""

import io
import json
import shutil
import subprocess
from itertools import count, cycle

import openpyxl
import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from hypothesis import strategies as st

from powerlist.catalog.models import DutyKind
from powerlist.catalog.services.items import create_item, update_item
from powerlist.catalog.services.responsibilities import save_responsibility
from powerlist.catalog.services.versions import publish_version
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM
from powerlist.core.tests.numbers import leaked, personal_texts

HOTLINE = "0731-58550000"
# the PDF takes seconds to make: test_pdf_is_masked_too checks it once, read back with pdftotext
OPEN_DATA = ["csv", "xlsx", "json", "jsonld"]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def readable(fmt: str, data: bytes) -> str | None:
    """What a reader of the file sees, as text; None for a PDF when it cannot be read back."""
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row
                         if c is not None)
    if fmt in ("json", "jsonld"):
        return json.dumps(json.loads(data), ensure_ascii=False)
    if fmt == "pdf":
        if shutil.which("pdftotext") is None:
            return None
        return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return data.decode("utf-8-sig")


@pytest.fixture
def public(settings, tmp_path, county, departments):
    """A county whose first list is already published, and a reader without login."""
    settings.POWERLIST_DATA_DIR = tmp_path / "data"
    base = create_item(SYSTEM, county, item_document(code="430304-JY-XK-001", status="published"))
    publish_version(SYSTEM, county, title="岳塘区权力清单（第1版）")
    return {"county": county, "base": base, "org": departments["岳塘区教育局"], "client": Client(),
            "serial": count(1)}


def _fields(texts: list[str]) -> dict:
    """Every free-text element of an item, each carrying one of the texts."""
    t = cycle(texts)
    return {
        "plain_name": next(t), "main_item": next(t), "handling_office": next(t), "exercise_levels": next(t),
        "limit_note": next(t), "fee_basis": next(t), "fee_standard": next(t), "conditions": next(t),
        "materials": next(t), "result_documents": next(t),
        "responsibilities": [{"phase": "before", "stage": "受理责任", "content": next(t)},
                             {"phase": "after", "stage": "事后监管责任", "content": next(t)}],
        "accountability": [next(t), next(t)],
        "risk_points": [{"level": "high", "step": "审查环节", "description": next(t), "prevention": next(t)}],
        "discretion": [{"grade": "一般", "circumstance": next(t), "penalty": next(t)}],
        "flowchart": {"steps": [{"id": "a", "name": "受理"}, {"id": "b", "name": next(t)}], "flows": [["a", "b"]]},
        "supervision_phone": HOTLINE,
        # the service guide (办事指南)
        "office_address": next(t), "office_hours": next(t), "enquiry_phone": next(t), "online_url": next(t),
        "service_recipients": next(t),
    }


@hypothesis_settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(personal_texts(count=2), min_size=4, max_size=6))
def test_no_public_surface_shows_a_mobile_or_id_number(public, cases):
    texts = [text for text, _numbers in cases]
    numbers = [n for _text, ns in cases for n in ns]
    county, client, n = public["county"], public["client"], next(public["serial"])
    name = f"掩码测试事项{n}"
    item = create_item(SYSTEM, county, item_document(code=f"430304-JY-QT-{n:03d}", name=name, category="99",
                                                     status="published", **_fields(texts)))
    update_item(SYSTEM, public["base"], {"conditions": f"{texts[0]}（第{n}次补充）", "materials": texts[-1]},
                reason="补充联系方式")
    save_responsibility(SYSTEM, public["org"], {"kind": DutyKind.DUTY, "title": f"职责{n}", "content": texts[1],
                                                "basis": texts[2], "status": "published"})
    # the version's title and approving document are printed on the PDF and listed on the portal
    version = publish_version(SYSTEM, county, title=f"岳塘区权力清单（第{n + 1}版）{texts[0]}", document=texts[1])

    surfaces = {
        "item page": f"/item/{item.pk}/", "changed item page": f"/item/{public['base'].pk}/",
        "search results": f"/search/?q={name}&j=430304", "department page": f"/j/430304/dept/{public['org'].pk}/",
        "versions": "/j/430304/versions/",
        "diff": f"/j/430304/versions/{version.number - 1}/diff/{version.number}/",
        "API item": f"/api/items/{item.pk}", "API list": f"/api/items?q={name}",
        "API department": f"/api/organisations/{public['org'].pk}",
        "API version": f"/api/jurisdictions/430304/versions/{version.number}?per_page=100",
        "API diff": f"/api/jurisdictions/430304/versions/{version.number - 1}/diff/{version.number}",
    } | {fmt: f"/j/430304/v/{version.number}/{fmt}/" for fmt in OPEN_DATA}
    seen = {}
    for surface, url in surfaces.items():
        response = client.get(url)
        assert response.status_code == 200, (surface, response.status_code)
        text = readable(surface, body(response)) if surface in OPEN_DATA else body(response).decode()
        assert leaked(numbers, text) == [], surface
        seen[surface] = text
    for surface in ("item page", "changed item page", "department page", "diff", "versions", "csv", "xlsx", "json",
                    "jsonld", "API item", "API version"):
        assert "****" in seen[surface], surface  # the numbers are there, masked
    for surface in ("item page", "csv", "json", "jsonld", "API item"):
        assert HOTLINE in seen[surface], surface  # the supervision phone stays


def test_pdf_is_masked_too(public):
    """The PDF is made from the same masked documents as every other file; read back when
    poppler's pdftotext is installed."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian package poppler-utils) is not installed: the PDF cannot be read back")
    county, client = public["county"], public["client"]
    create_item(SYSTEM, county, item_document(code="430304-JY-QT-900", name="掩码测试事项（联系人+86 139-1234-5678）",
                                              status="published"))
    version = publish_version(SYSTEM, county, title="岳塘区权力清单（第2版）", document="联系人身份证430302199001011234")
    response = client.get(f"/j/430304/v/{version.number}/pdf/")
    if response.status_code == 503:
        pytest.skip("WeasyPrint or its system libraries are not installed: no PDF is made")
    text = readable("pdf", body(response))
    assert leaked(["13912345678", "430302199001011234"], text) == [] and "****" in text
