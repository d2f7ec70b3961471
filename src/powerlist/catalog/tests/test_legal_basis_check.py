"""法无授权不可为: every citation of a jurisdiction checked against the law; when a law changes,
the items it affects are found and flagged for review."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.test import Client

from powerlist.catalog.models import Citation, CitationReference, PowerItem
from powerlist.catalog.services.citations import check_jurisdiction, flag_for_review, impact
from powerlist.catalog.services.items import create_item
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM
from powerlist.laws.models import Law
from powerlist.laws.services import load_path, repeal

ART42 = ("除可以当场作出行政许可决定的外，行政机关应当自受理行政许可申请之日起二十日内作出行政许可决定。二十日内不能作出决定的，"
         "经本行政机关负责人批准，可以延长十日，并应当将延长期限的理由告知申请人。但是，法律、法规另有规定的，依照其规定。")


def basis(*texts):
    return [{"kind": "setting", "text": t} for t in texts]


@pytest.fixture
def listed(county, departments):
    items = {
        "licence": create_item(SYSTEM, county, item_document(code="JY-1", citations=basis(
            "【法律】《中华人民共和国行政许可法》第十二条第（五）项；《中华人民共和国行政许可法》第四十二条：" + ART42[:40]))),
        "typo": create_item(SYSTEM, county, item_document(code="JY-2", name="教师资格认定", citations=basis(
            "《中华人民共和国行政许可法》第四十二条：行政机关应当自受理行政许可申请之日起三十日内作出行政许可决定")),
                            ),
        "food": create_item(SYSTEM, county, item_document(
            code="SC-1", name="对无证经营食品的处罚", category="02", organisation="岳塘区市场监督管理局",
            citations=basis("《中华人民共和国食品安全法》第一百二十二条", "【行政法规】《无证无照经营查处办法》第十三条"))),
        "air": create_item(SYSTEM, county, item_document(
            code="SC-2", name="对露天烧烤的处罚", category="02", organisation="岳塘区市场监督管理局",
            citations=basis("《中华人民共和国大气污染防治法》第一百一十八条第三款"))),
        "none": create_item(SYSTEM, county, item_document(code="WJ-1", name="某事项", organisation="岳塘区卫生健康局",
                                                          citations=basis("详见有关文件"))),
    }
    return items


def results(item):
    return sorted(CitationReference.objects.filter(citation__item=item).values_list("result", flat=True))


def test_reviewer_checks_every_citation_of_the_county(listed, users, capsys):
    report = check_jurisdiction(users["reviewer"], listed["licence"].jurisdiction)
    assert report.by_result == {"ok": 3, "text-mismatch": 1, "not-in-corpus": 1, "repealed": 1, "unparsed": 1}
    assert report.by_department["岳塘区市场监督管理局"] == {"ok": 1, "not-in-corpus": 1, "repealed": 1}
    assert results(listed["licence"]) == ["ok", "ok"]
    assert results(listed["typo"]) == ["text-mismatch"]
    ref = CitationReference.objects.get(citation__item=listed["typo"])
    assert "[-二-]{+三+}" in ref.diff and ref.law_article.number_text == "第四十二条"
    assert Citation.objects.get(item=listed["air"]).verification == "repealed"
    assert Citation.objects.get(item=listed["none"]).verification == "unparsed"

    call_command("laws", "check", "--jurisdiction", "430304", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["by_result"]["repealed"] == 1 and data["citations"] == 6


def test_verify_one_text_from_the_console(db, capsys):
    call_command("laws", "verify", "--text", "《中华人民共和国行政许可法》第四十二条：行政机关应当自受理行政许可申请之日起三十日内",
                 "--json")
    data = json.loads(capsys.readouterr().out)
    [c] = data["citations"]
    assert (c["title"], c["article"], c["verdict"]["result"]) == ("中华人民共和国行政许可法", 42, "text-mismatch")
    call_command("laws", "verify", "--text", "乱码 !!!", "--json")
    assert json.loads(capsys.readouterr().out) == {"text": "乱码 !!!", "note": "unparsed", "citations": []}


def test_a_new_version_of_a_law_shows_which_items_it_affects(listed, tmp_path, corpus_changes, capsys):
    check_jurisdiction(SYSTEM, listed["licence"].jurisdiction)
    # only the citation of a law already repealed (大气污染防治法, codified into the 生态环境法典), with its successor
    [known] = impact()
    assert (known.code, known.change) == ("SC-2", "repealed")
    assert known.successors[0]["law"] == "中华人民共和国生态环境法典"
    revised = {"title": "中华人民共和国行政许可法", "level": "法律", "status": "现行有效", "version_date": "2027-01-01",
               "articles": [{"number": "第十二条", "text": "下列事项可以设定行政许可：\n（一）直接涉及国家安全的事项；"},
                            {"number": "第四十三条", "text": "依法应当先经下级行政机关审查后报上级行政机关决定的行政许可……"}]}
    (tmp_path / "xkf2027.json").write_text(json.dumps(revised, ensure_ascii=False), encoding="utf-8")
    load_path(SYSTEM, tmp_path / "xkf2027.json")
    found = {(i.code, i.article, i.change) for i in impact()}
    assert found == {("JY-1", "第十二条", "article-changed"), ("JY-1", "第四十二条", "article-removed"),
                     ("JY-2", "第四十二条", "article-removed"), ("SC-2", "第一百一十八条", "repealed")}
    assert impact(since=dt.date.today() + dt.timedelta(days=1)) == []

    repeal(SYSTEM, Law.objects.get(title="中华人民共和国食品安全法"))
    assert ("SC-1", "第一百二十二条", "repealed") in {(i.code, i.article, i.change) for i in impact()}
    call_command("laws", "impact")
    out = capsys.readouterr().out
    assert "岳塘区教育局" in out and "JY-1" in out and "article-removed" in out

    assert flag_for_review(SYSTEM, [listed["licence"].pk], reason="行政许可法修订") == 1
    item = PowerItem.objects.get(pk=listed["licence"].pk)
    assert item.status == "in_review" and item.changes.order_by("-id").first().reason == "行政许可法修订"


def test_item_page_shows_each_citation_with_the_article_and_its_result(listed, users):
    check_jurisdiction(SYSTEM, listed["licence"].jurisdiction)
    client = Client()
    client.force_login(users["clerk"])
    page = client.get(f"/admin/catalog/poweritem/{listed['typo'].pk}/change/").content.decode()
    assert "text-mismatch" in page and "二十日内作出行政许可决定" in page and "{+三+}" in page


def test_reviewer_flags_affected_items_in_the_back_office(listed, users, tmp_path, corpus_changes):
    check_jurisdiction(SYSTEM, listed["licence"].jurisdiction)
    repeal(SYSTEM, Law.objects.get(title="中华人民共和国行政许可法"))
    client = Client()
    client.force_login(users["reviewer"])
    page = client.get("/admin/catalog/poweritem/law-impact/").content.decode()
    assert "JY-1" in page and "JY-2" in page and "岳塘区教育局" in page
    client.post("/admin/catalog/poweritem/law-impact/", {"item": [listed["typo"].pk], "reason": "行政许可法废止"})
    assert PowerItem.objects.get(pk=listed["typo"].pk).status == "in_review"
    clerk = Client()
    clerk.force_login(users["clerk"])
    assert clerk.get("/admin/catalog/poweritem/law-impact/").status_code == 403


def test_admin_action_checks_selected_items(listed, users):
    client = Client()
    client.force_login(users["clerk"])
    response = client.post("/admin/catalog/poweritem/", {"action": "check_legal_basis",
                                                         "_selected_action": [listed["licence"].pk]}, follow=True)
    assert response.status_code == 200
    assert results(listed["licence"]) == ["ok", "ok"]
