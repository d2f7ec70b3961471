"""A reviewer reads verdicts, the ledger's fields and channels and an import's bad columns in
Chinese (in English after switching), and works through the problem citations by verdict,
department and law."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from powerlist.catalog.services import citations as citation_services
from powerlist.catalog.services.items import create_item, update_item
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM

REPEALED = "《中华人民共和国环境保护法》第六十三条"


@pytest.fixture
def items(county, departments, users):
    edu = create_item(SYSTEM, county, item_document())
    market = create_item(SYSTEM, county, item_document(
        code="SC-1", name="对违法排污的处罚", category="02", organisation="岳塘区市场监督管理局",
        citations=[{"kind": "setting", "text": REPEALED}, {"kind": "setting", "text": "《岳塘区不存在的管理办法》第三条"}]))
    update_item(users["clerk"], edu, {"promised_limit_days": 5}, reason="压缩承诺时限", via="admin")
    citation_services.check_jurisdiction(SYSTEM, county)
    return {"edu": edu, "market": market}


def login(user, language=None) -> Client:
    client = Client()
    client.force_login(user)
    if language:
        client.post("/i18n/setlang/", {"language": language, "next": "/admin/"})
    return client


def cells(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html, re.S)]


def test_reviewer_reads_verdicts_and_the_ledger_in_chinese(items, users):
    page = login(users["reviewer"]).get(f"/admin/catalog/poweritem/{items['market'].pk}/change/").content.decode()
    assert "已废止" in page and "未收录该层级" in page
    assert ">repealed<" not in page and ">not-in-corpus<" not in page
    page = login(users["reviewer"]).get(f"/admin/catalog/poweritem/{items['edu'].pk}/change/").content.decode()
    ledger = page[page.index('id="changes-group"'):]
    assert "承诺时限（工作日）" in ledger and "后台" in ledger
    assert "promised_limit_days" not in cells(ledger) and "admin" not in cells(ledger)
    assert re.search(r"<del>10</del>\s*<ins>5</ins>", ledger)


def test_the_ledger_list_names_fields_and_channels(items, users):
    page = login(users["reviewer"]).get("/admin/catalog/changerecord/?via=admin").content.decode()
    assert "承诺时限（工作日）" in page and "后台" in page and "promised_limit_days" not in page
    record = items["edu"].changes.order_by("-id").first()
    page = login(users["reviewer"]).get(f"/admin/catalog/changerecord/{record.pk}/change/").content.decode()
    assert "承诺时限（工作日）" in page and "<del>10</del>" in page


def test_after_switching_to_english_the_labels_are_english(items, users):
    client = login(users["reviewer"], "en")
    page = client.get(f"/admin/catalog/poweritem/{items['market'].pk}/change/").content.decode()
    assert "law repealed" in page and "已废止</strong>" not in page
    page = client.get("/admin/catalog/changerecord/").content.decode()
    assert "promised time limit" in page and "back office" in page


def test_reviewer_filters_problem_citations_by_verdict_department_and_law(items, users, departments):
    client = login(users["reviewer"])
    page = client.get("/admin/catalog/citationreference/").content.decode()
    assert "SC-1" in page and "430304-JY-XK-001" not in page  # problems by default: the ok one is not listed
    assert "已废止" in page and "未收录该层级" in page
    page = client.get("/admin/catalog/citationreference/?result=repealed").content.decode()
    assert "环境保护法" in page and "岳塘区不存在的管理办法" not in page
    page = client.get("/admin/catalog/citationreference/?result=all&citation__item__organisation__id__exact="
                      f"{departments['岳塘区教育局'].pk}").content.decode()
    assert "430304-JY-XK-001" in page and "SC-1" not in page and "核验通过" in page
    law = items["market"].citations.first().references.get().law_id
    page = client.get(f"/admin/catalog/citationreference/?result=all&law__id__exact={law}").content.decode()
    assert "SC-1" in page and "430304-JY-XK-001" not in page


def test_a_clerk_sees_only_problem_citations_of_own_department(items, users):
    page = login(users["clerk"]).get("/admin/catalog/citationreference/?result=all").content.decode()
    assert "430304-JY-XK-001" in page and "SC-1" not in page


def test_an_import_report_names_the_bad_columns_as_people_read_them(items, users):
    bad = "职权编码,事项名称,事项类型,实施主体\nU-1,学校安全检查,魔法,岳塘区教育局\n"
    page = login(users["reviewer"]).post("/admin/catalog/poweritem/import/", {
        "file": SimpleUploadedFile("教育局.csv", bad.encode("utf-8")), "jurisdiction": "430304"}).content.decode()
    row = next(c for c in re.findall(r"<tr>(.*?)</tr>", page, re.S) if "魔法" in c)
    assert "category" not in row and "事项类型" in row
