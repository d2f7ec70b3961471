"""Each published version as files anyone can reuse, listed in a DCAT catalogue with hashes."""

import csv
import hashlib
import io
import json
import shutil
import subprocess

import openpyxl
import pytest
from django.test import Client


@pytest.fixture
def client(settings, tmp_path):
    settings.POWERLIST_DATA_DIR = str(tmp_path / "data")
    return Client()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "jsonld"])
def test_downloads_of_a_version(published_list, client, fmt):
    response = client.get(f"/j/430304/v/1/{fmt}/")
    data = body(response)
    assert response.status_code == 200 and response["X-Content-SHA256"] == hashlib.sha256(data).hexdigest()
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows[0][0] == "职权编码" and len(rows) == 4
    elif fmt == "xlsx":
        assert openpyxl.load_workbook(io.BytesIO(data)).active.max_row == 4
    elif fmt == "json":
        assert len(json.loads(data)["items"]) == 3
    else:
        doc = json.loads(data)
        [penalty] = [g for g in doc["@graph"] if g["dct:identifier"] == "430304-SC-CF-001"]
        assert penalty["@type"] == "cpsv:PublicService"
        assert penalty["cv:hasCompetentAuthority"]["skos:prefLabel"]["@value"] == "岳塘区市场监督管理局"
        assert penalty["cv:hasLegalResource"][0]["dct:title"] == "《中华人民共和国食品安全法》第一百二十二条"
        assert penalty["cv:processingTime"]["@value"] == "P10D" and penalty["pl:statutoryTimeLimitWorkingDays"] == 20


def test_dcat_catalogue_lists_downloads_with_their_hashes(published_list, client):
    catalogue = json.loads(client.get("/data/catalog.jsonld", {"pdf": "0"}).content)
    assert catalogue["@type"] == "dcat:Catalog" and len(catalogue["dcat:dataset"]) == 2
    dataset = catalogue["dcat:dataset"][0]
    assert dataset["pl:listSha256"] == published_list["versions"][0].sha256
    for dist in dataset["dcat:distribution"]:
        url = dist["dcat:downloadURL"]["@id"].replace("http://testserver", "")
        assert hashlib.sha256(body(client.get(url))).hexdigest() == dist["spdx:checksum"]["spdx:checksumValue"]


def test_unknown_version_or_format(published_list, client):
    assert client.get("/j/430304/v/9/csv/").status_code == 404
    assert client.get("/j/430304/v/1/docx/").status_code == 404


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdf_for_official_publication_has_the_names_and_the_hash(published_list, client, tmp_path):
    response = client.get("/j/430304/v/2/pdf/")
    if response.status_code == 503:
        pytest.fail("WeasyPrint cannot run here: " + response.content.decode()[:300])
    pdf = tmp_path / "list.pdf"
    pdf.write_bytes(body(response))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    compact = "".join(text.split())
    for needle in ("湖南省湘潭市岳塘区", "岳塘区权力清单（2025年版）", "民办学校设立审批", "教师资格认定",
                   published_list["versions"][1].sha256[:32]):
        assert needle in compact, needle
