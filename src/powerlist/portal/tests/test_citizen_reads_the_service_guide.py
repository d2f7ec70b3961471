"""A citizen looks up where and when to apply, whom to call, where to apply online and how often
to go in person (办事指南), and how long it takes, on the item page, in open data and in the API.
Office numbers stay; a mobile written into a guide field is masked everywhere in public."""

import csv
import io
import json
import shutil
import subprocess

import pytest
from django.test import Client

from powerlist.catalog.services.items import create_item
from powerlist.catalog.services.versions import publish_version
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM

GUIDE = {
    "office_address": "岳塘区政务服务中心二楼B区12号窗口",
    "office_hours": "周一至周五上午9:00-12:00，下午13:30-17:30（法定节假日除外）",
    "enquiry_phone": "0731-58551234；经办人手机13812345678",
    "supervision_phone": "0731-58550000",
    "online_url": "https://zwfw.example.gov.cn/item/430304-JY-XK-001",
    "onsite_visits": "最多跑一次",
    "service_recipients": "法人,其他组织",
}


@pytest.fixture
def guide_item(county, departments):
    item = create_item(SYSTEM, county, item_document(
        status="published", statutory_limit_days="20(自然日)", promised_limit_days="即办", **GUIDE))
    create_item(SYSTEM, county, item_document(
        code="430304-JY-QR-001", name="教师资格认定", category="07", status="published",
        statutory_limit_days="3个月", promised_limit_days="无", onsite_visits=0,
        online_url="javascript:alert(1)"))
    publish_version(SYSTEM, county, title="岳塘区权力清单（2026年版）")
    return item


def test_item_page_shows_the_service_guide(guide_item):
    page = Client().get(f"/item/{guide_item.pk}/").content.decode()
    assert "办事指南" in page and GUIDE["office_address"] in page and GUIDE["office_hours"] in page
    assert "0731-58551234" in page and "0731-58550000" in page and "投诉电话" in page
    assert "13812345678" not in page and "138****5678" in page
    assert f'href="{GUIDE["online_url"]}"' in page and "最多1次" in page and "法人,其他组织" in page


def test_item_page_shows_a_calendar_period_as_written_and_how_it_counts(guide_item):
    page = Client().get(f"/item/{guide_item.pk}/").content.decode()
    assert "20个自然日（约14个工作日：按每年248个工作日折算" in page and "《国务院关于职工工作时间的规定》" in page
    assert "<dd>即办</dd>" in page


def test_an_online_address_that_is_not_a_web_address_is_never_a_link(guide_item):
    from powerlist.catalog.models import PowerItem

    other = PowerItem.objects.get(code="430304-JY-QR-001")
    page = Client().get(f"/item/{other.pk}/").content.decode()
    assert "javascript:alert(1)" in page and 'href="javascript' not in page
    assert "无需到现场" in page and "3个月（约62个工作日" in page and "<dd>无</dd>" in page


def test_open_data_carries_the_guide_and_the_units(guide_item, client):
    csv_rows = list(csv.DictReader(io.StringIO(
        b"".join(Client().get("/j/430304/v/1/csv/").streaming_content).decode("utf-8-sig"))))
    row = next(r for r in csv_rows if r["职权编码"] == "430304-JY-XK-001")
    assert (row["办理地点"], row["到现场次数"], row["法定时限（工作日）"], row["承诺时限（工作日）"]) == (
        GUIDE["office_address"], "1", "20个自然日", "即办")
    assert "13812345678" not in row["咨询电话"] and "0731-58551234" in row["咨询电话"]
    items = json.loads(b"".join(Client().get("/j/430304/v/1/json/").streaming_content))["items"]
    doc = next(d for d in items if d["code"] == "430304-JY-XK-001")
    assert (doc["statutory_limit_days"], doc["statutory_limit_unit"], doc["promised_limit_unit"]) == (
        20, "calendar_day", "instant")
    assert doc["office_hours"] == GUIDE["office_hours"] and doc["service_recipients"] == "法人,其他组织"


def test_jsonld_describes_the_channels_of_the_service(guide_item):
    graph = json.loads(b"".join(Client().get("/j/430304/v/1/jsonld/").streaming_content))["@graph"]
    service = next(g for g in graph if g["dct:identifier"] == "430304-JY-XK-001")
    office, online = service["cv:hasChannel"]
    assert office["dct:type"] == {"@id": "pl:InPerson"} and office["pl:officeAddress"] == GUIDE["office_address"]
    assert office["cv:openingHours"]["@value"] == GUIDE["office_hours"]
    assert office["cv:ownedBy"]["@id"] == service["cv:hasCompetentAuthority"]["@id"]
    assert online["@id"] == GUIDE["online_url"] and online["dct:type"] == {"@id": "pl:Online"}
    assert service["cv:hasContactPoint"]["cv:telephone"].startswith("0731-58551234")
    assert "13812345678" not in json.dumps(service, ensure_ascii=False)
    assert service["cv:processingTime"]["@value"] == "P0D"  # promised: 即办
    assert service["pl:statutoryTimeLimit"] == {"pl:value": 20, "pl:unit": "calendar_day", "pl:asWritten": "20个自然日",
                                                "pl:workingDays": None}
    other = next(g for g in graph if g["dct:identifier"] == "430304-JY-QR-001")
    assert other["cv:processingTime"]["@value"] == "P3M" and "@id" not in other["cv:hasChannel"][0]


def test_api_reads_and_writes_the_guide_and_the_units(guide_item, users):
    from powerlist.api import services as token_services

    client = Client()
    body = client.get(f"/api/items/{guide_item.pk}").json()
    assert (body["statutory_limit_days"], body["statutory_limit_unit"], body["onsite_visits"]) == (20, "calendar_day", 1)
    assert body["office_address"] == GUIDE["office_address"] and "13812345678" not in body["enquiry_phone"]
    _token, key = token_services.create_token(SYSTEM, users["reviewer"], "test")
    response = client.patch(f"/api/items/{guide_item.pk}", json.dumps(
        {"promised_limit_days": 2, "promised_limit_unit": "month", "onsite_visits": 0, "reason": "按新规调整"}),
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200, response.content
    assert (response.json()["promised_limit_days"], response.json()["promised_limit_unit"]) == (2, "month")
    response = client.patch(f"/api/items/{guide_item.pk}", json.dumps({"promised_limit_days": 200, "reason": "x"}),
                            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 422 and "120" in response.content.decode()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_official_pdf_writes_each_time_limit_in_its_unit(guide_item, tmp_path):
    pdf = tmp_path / "list.pdf"
    pdf.write_bytes(b"".join(Client().get("/j/430304/v/1/pdf/").streaming_content))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "法定20个自然日" in flat and "承诺即办" in flat and "法定3个月" in flat and "承诺无" in flat
