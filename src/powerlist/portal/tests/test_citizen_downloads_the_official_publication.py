"""A citizen downloads a published version: the 权力清单和责任清单 as published (both kinds of basis,
each department's responsibility list as it stood at publication), per department too, every
file made at publication, titles and dates as the portal shows them."""

import io
import json
import shutil
import subprocess
from datetime import datetime, timezone as dt_timezone

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client

from powerlist.catalog.services.items import create_item
from powerlist.catalog.services.responsibilities import save_responsibility
from powerlist.catalog.services.versions import publish_version
from powerlist.catalog.models import ListVersion
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM
from powerlist.portal import opendata

SETTING = "《中华人民共和国民办教育促进法》第十二条"
IMPLEMENTING = "《湖南省实施〈中华人民共和国民办教育促进法〉办法》第八条"
TITLE = "湘潭市岳塘区权力清单和责任清单（2026年版）"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def county_list(county, departments):
    """Two departments with published items (one item with both kinds of basis) and published
    responsibility lists (a duty, a supervision rule, a boundary naming the other department)."""
    education, market = departments["岳塘区教育局"], departments["岳塘区市场监督管理局"]
    create_item(SYSTEM, county, item_document(
        code="430304-JY-XK-001", name="民办学校设立审批", status="published",
        citations=[{"kind": "setting", "text": SETTING}, {"kind": "implementing", "text": IMPLEMENTING}]))
    create_item(SYSTEM, county, item_document(
        code="430304-SC-CF-001", name="对未取得食品经营许可从事食品经营活动的处罚", category="02",
        organisation="岳塘区市场监督管理局", status="published",
        citations=[{"kind": "setting", "text": "《中华人民共和国食品安全法》第一百二十二条"}]))
    save_responsibility(SYSTEM, education, {"kind": "duty", "title": "统筹全区教育改革发展",
                                            "content": "拟订全区教育发展规划并组织实施", "status": "published"})
    save_responsibility(SYSTEM, education, {"kind": "supervision", "title": "民办学校年度检查制度",
                                            "content": "每年对民办学校办学情况进行检查", "status": "published"})
    save_responsibility(SYSTEM, education, {"kind": "boundary", "title": "校外培训机构食品安全监管",
                                            "content": "教育局负责督促落实，市场监管局负责食品安全监督检查",
                                            "status": "published"}, related=[market])
    save_responsibility(SYSTEM, education, {"kind": "duty", "title": "尚未公布的职责草稿", "status": "draft"})
    save_responsibility(SYSTEM, market, {"kind": "public_service", "title": "食品安全投诉举报受理",
                                         "status": "published"})
    return {"county": county, "education": education, "market": market}


def pdf_text(data: bytes, tmp_path) -> str:
    pdf = tmp_path / "read-back.pdf"
    pdf.write_bytes(data)
    out = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


def get_file(client, url) -> bytes:
    response = client.get(url)
    if response.status_code == 503:
        pytest.fail("WeasyPrint cannot run here: " + response.content.decode()[:300])
    assert response.status_code == 200, url
    return body(response)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdf_holds_both_kinds_of_basis_and_each_departments_responsibility_list(county_list, tmp_path):
    publish_version(SYSTEM, county_list["county"], title=TITLE)
    text = pdf_text(get_file(Client(), "/j/430304/v/1/pdf/"), tmp_path)
    for needle in ("一、权力清单", "设定依据", "实施依据", SETTING, IMPLEMENTING, "二、责任清单",
                   "部门职责", "统筹全区教育改革发展", "事中事后监管制度", "民办学校年度检查制度",
                   "职责边界", "校外培训机构食品安全监管", "相关部门：岳塘区市场监督管理局",
                   "公共服务事项", "食品安全投诉举报受理"):
        assert needle in text, needle
    assert "尚未公布的职责草稿" not in text
    # the title once: 湖南省湘潭市岳塘区 + 湘潭市岳塘区… is not printed with the name twice
    assert "湖南省湘潭市岳塘区权力清单和责任清单（2026年版）" in text and "岳塘区湘潭市" not in text
    # the implementing basis sits in its own column: after the setting one on the item's row
    assert text.index(SETTING) < text.index(IMPLEMENTING)


def test_json_xlsx_and_jsonld_carry_the_responsibility_lists(county_list):
    publish_version(SYSTEM, county_list["county"], title=TITLE)
    client = Client()
    data = json.loads(get_file(client, "/j/430304/v/1/json/"))
    assert len(data["items"]) == 2 and data["version"]["title"] == "湖南省湘潭市岳塘区权力清单和责任清单（2026年版）"
    by_name = {d["name"]: d["responsibilities"] for d in data["departments"]}
    assert [(e["kind_name"], e["position"], e["title"]) for e in by_name["岳塘区教育局"]] == [
        ("部门职责", 1, "统筹全区教育改革发展"), ("事中事后监管制度", 1, "民办学校年度检查制度"),
        ("职责边界", 1, "校外培训机构食品安全监管")]
    assert by_name["岳塘区教育局"][2]["related_organisations"] == ["岳塘区市场监督管理局"]
    assert [e["title"] for e in by_name["岳塘区市场监督管理局"]] == ["食品安全投诉举报受理"]

    book = openpyxl.load_workbook(io.BytesIO(get_file(client, "/j/430304/v/1/xlsx/")))
    assert book.sheetnames == ["权力清单", "责任清单"]
    rows = list(book["责任清单"].iter_rows(values_only=True))
    assert rows[0] == ("部门", "类别", "序号", "标题", "内容", "依据", "相关部门")
    assert ("岳塘区教育局", "职责边界", "1", "校外培训机构食品安全监管",
            "教育局负责督促落实，市场监管局负责食品安全监督检查", None, "岳塘区市场监督管理局") in rows
    assert len(rows) == 5

    graph = json.loads(get_file(client, "/j/430304/v/1/jsonld/"))["@graph"]
    services = [n for n in graph if n["@type"] == "cpsv:PublicService"]
    organisations = {n["@id"]: n for n in graph if n["@type"] == "cv:PublicOrganisation"}
    # each item's competent authority is a node of the graph carrying its responsibility list
    education = organisations[services[0]["cv:hasCompetentAuthority"]["@id"]]
    assert education["skos:prefLabel"]["@value"] == "岳塘区教育局"
    boundary = [r for r in education["pl:responsibilityList"] if r["pl:dutyKind"] == "boundary"][0]
    assert boundary["dct:title"]["@value"] == "校外培训机构食品安全监管"
    assert boundary["pl:relatedOrganisation"][0]["@id"] in organisations


def test_department_changes_its_duties_after_publication_and_the_version_does_not_change(county_list):
    county, education = county_list["county"], county_list["education"]
    publish_version(SYSTEM, county, title=TITLE)
    duty = education.responsibilities.get(title="统筹全区教育改革发展")
    save_responsibility(SYSTEM, education, {"title": "统筹全区教育事业发展（修订）", "kind": "duty"}, entry=duty)
    client = Client()
    first = json.loads(get_file(client, "/j/430304/v/1/json/"))
    titles = [e["title"] for d in first["departments"] for e in d["responsibilities"]]
    assert "统筹全区教育改革发展" in titles and "统筹全区教育事业发展（修订）" not in titles
    publish_version(SYSTEM, county, title=TITLE)
    second = json.loads(get_file(client, "/j/430304/v/2/json/"))
    assert "统筹全区教育事业发展（修订）" in [e["title"] for d in second["departments"] for e in d["responsibilities"]]


def test_citizen_downloads_one_departments_part(county_list):
    publish_version(SYSTEM, county_list["county"], title=TITLE)
    client, education, market = Client(), county_list["education"], county_list["market"]
    data = json.loads(get_file(client, f"/j/430304/v/1/department/{education.pk}/json/"))
    assert data["department"] == "岳塘区教育局" and [i["code"] for i in data["items"]] == ["430304-JY-XK-001"]
    assert [d["name"] for d in data["departments"]] == ["岳塘区教育局"]
    assert len(data["departments"][0]["responsibilities"]) == 3
    rows = list(openpyxl.load_workbook(io.BytesIO(get_file(
        client, f"/j/430304/v/1/department/{market.pk}/xlsx/")))["责任清单"].iter_rows(values_only=True))
    assert [r[3] for r in rows[1:]] == ["食品安全投诉举报受理"]
    csv_text = get_file(client, f"/j/430304/v/1/department/{market.pk}/csv/").decode("utf-8-sig")
    assert "430304-SC-CF-001" in csv_text and "430304-JY-XK-001" not in csv_text
    # linked from the data page and from the department page
    assert f"/j/430304/v/1/department/{education.pk}/pdf/" in client.get("/j/430304/data/").content.decode()
    assert f"/j/430304/v/1/department/{market.pk}/xlsx/" in client.get(
        f"/j/430304/dept/{market.pk}/").content.decode()
    # a department without a part in the version, or a format we do not make: no page
    health = county_list["county"].organisations.get(name="岳塘区卫生健康局")
    assert client.get(f"/j/430304/v/1/department/{health.pk}/json/").status_code == 404
    assert client.get(f"/j/430304/v/1/department/{education.pk}/docx/").status_code == 404


def files_of(version) -> set[str]:
    """The files made for a version, by their path inside its folder."""
    folder = opendata.artefact_folder(version)
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def expected_files(departments) -> set[str]:
    names = [name for name, _media in opendata.FORMATS.values()]
    return set(names) | {f"department-{d.pk}/{name}" for d in departments for name in names}


def test_publish_command_makes_every_file_before_the_first_request(county_list, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish", jurisdiction="430304", title=TITLE, stdout=io.StringIO())
    version = ListVersion.objects.get(jurisdiction=county_list["county"], number=1)
    assert files_of(version) == expected_files([county_list["education"], county_list["market"]])
    # what is served is the file made at publication, byte for byte
    path = opendata.artefact(version, "json")
    before = path.stat().st_mtime_ns
    assert get_file(Client(), "/j/430304/v/1/json/") == path.read_bytes() and path.stat().st_mtime_ns == before


def test_worker_makes_the_files_of_a_version_published_from_the_back_office(
        county_list, users, django_capture_on_commit_callbacks, monkeypatch):
    """The back office's publication enqueues a job (django-tasks, database backend); the
    database backend's own worker command (`db_worker --batch`, as `powerlist serve` runs it) makes
    every file."""
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    # the worker drops the connection between jobs as a request does; here the connection holds
    # the test's transaction, so it stays open (what the worker runs is unchanged)
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    client = Client()
    client.force_login(users["reviewer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/office/publish/", {"jurisdiction": "430304", "title": TITLE})
    assert response.status_code == 302
    version = ListVersion.objects.get(jurisdiction=county_list["county"], number=1)
    job = DBTaskResult.objects.get()
    assert job.status == "READY" and job.args_kwargs["args"] == [version.pk] and files_of(version) == set()
    call_command("db_worker", batch=True, stdout=io.StringIO(), stderr=io.StringIO())
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL", job.exception_class_path
    assert files_of(version) == expected_files([county_list["education"], county_list["market"]])


def test_catalogue_titles_name_the_jurisdiction_once(county_list):
    publish_version(SYSTEM, county_list["county"], title=TITLE)
    publish_version(SYSTEM, county_list["county"], title="岳塘区权力清单（2027年版）")
    publish_version(SYSTEM, county_list["county"], title="权力清单（2028年版）")
    catalogue = Client().get("/data/catalog.jsonld?pdf=0").json()
    assert [d["dct:title"]["@value"] for d in catalogue["dcat:dataset"]] == [
        "湖南省湘潭市岳塘区权力清单和责任清单（2026年版）", "湖南省湘潭市岳塘区权力清单（2027年版）",
        "湖南省湘潭市岳塘区权力清单（2028年版）"]


def test_version_published_late_in_the_evening_utc_carries_the_beijing_date_everywhere(county_list):
    version = publish_version(SYSTEM, county_list["county"], title=TITLE)
    # 23:30 UTC on 1 March is 07:30 on 2 March in Beijing
    ListVersion.objects.filter(pk=version.pk).update(published_at=datetime(2026, 3, 1, 23, 30, tzinfo=dt_timezone.utc))
    client = Client()
    dataset = client.get("/data/catalog.jsonld?pdf=0").json()["dcat:dataset"][0]
    assert dataset["dct:issued"]["@value"] == "2026-03-02"
    assert "2026-03-02" in client.get("/j/430304/versions/").content.decode()
    assert "2026-03-02" in client.get("/j/430304/").content.decode()
    head = json.loads(get_file(client, "/j/430304/v/1/json/"))["version"]
    assert head["published_on"] == "2026-03-02" and head["published_at"].startswith("2026-03-02T07:30:00+08:00")
    assert client.get("/api/jurisdictions/430304/versions").json()["results"][0]["published_at"].startswith(
        "2026-03-02T07:30:00+08:00")


def test_personal_data_in_a_responsibility_list_is_masked_in_every_file(county_list):
    save_responsibility(SYSTEM, county_list["market"], {
        "kind": "supervision", "title": "举报人信息保密制度", "status": "published",
        "content": "举报人张三（身份证430302199001011234，手机13812345678）的信息不予公开"})
    publish_version(SYSTEM, county_list["county"], title=TITLE)
    client, market = Client(), county_list["market"]
    for url in ("/j/430304/v/1/json/", "/j/430304/v/1/jsonld/", f"/j/430304/v/1/department/{market.pk}/json/"):
        text = get_file(client, url).decode()
        assert "举报人信息保密制度" in text and "13812345678" not in text and "430302199001011234" not in text
    cells = [c for row in openpyxl.load_workbook(io.BytesIO(get_file(client, "/j/430304/v/1/xlsx/")))["责任清单"]
             .iter_rows(values_only=True) for c in row if c]
    assert any("举报人张三" in c for c in cells) and not any("13812345678" in c for c in cells)
