"""Every form of legal basis that real lists use parses into law, level tag, edition note,
article, paragraph, item and quoted text."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powerlist.laws.parsing import parse


def one(text):
    result = parse(text)
    assert len(result.citations) == 1, [c.as_dict() for c in result.citations]
    return result.citations[0]


@pytest.mark.parametrize("text,level", [
    ("【法律】《中华人民共和国行政许可法》第十二条", "法律"),
    ("【行政法规】《城市市容和环境卫生管理条例》第三十四条", "行政法规"),
    ("【行政法规】：《城市市容和环境卫生管理条例》第三十四条", "行政法规"),
    ("【地方性法规】《湖南省实施〈中华人民共和国土地管理法〉办法》第十条", "地方性法规"),
    ("【规章】《湖南省行政程序规定》第四十九条", "规章"),
    ("【规范性文件】《国务院关于取消和下放一批行政许可事项的决定》", "规范性文件"),
])
def test_level_tags(text, level):
    assert one(text).level == level


def test_full_title_with_edition_note_and_article_text_on_the_next_line():
    c = one("《中华人民共和国专利法》（根据2020年10月17日第十三届全国人民代表大会常务委员会第二十二次会议"
            "《关于修改〈中华人民共和国专利法〉的决定》第四次修正）\n第六十五条　未经专利权人许可，实施其专利，"
            "即侵犯其专利权，引起纠纷的，由当事人协商解决")
    assert c.title == "中华人民共和国专利法" and "第四次修正" in c.edition
    assert (c.article, c.article_text) == (65, "第六十五条")
    assert c.quote.startswith("未经专利权人许可") and c.quote.endswith("由当事人协商解决")


def test_short_title():
    c = one("《环境保护法》第二十四条")
    assert (c.title, c.article) == ("环境保护法", 24)


@pytest.mark.parametrize("text,article,paragraph,item", [
    ("《中华人民共和国行政许可法》第二十六条第一款", 26, 1, None),
    ("《中华人民共和国行政处罚法》第五条第（一）项", 5, None, 1),
    ("《中华人民共和国行政处罚法》第五条第(一)项", 5, None, 1),
    ("《中华人民共和国行政许可法》第十二条第一款第（三）项", 12, 1, 3),
    ("《中华人民共和国行政许可法》第四条 …(四)", 4, None, 4),
    ("《中华人民共和国行政许可法》第十二条……（四）提供公众服务并且直接关系公共利益的职业", 12, None, 4),
    ("《中华人民共和国行政处罚法》第55条", 55, None, None),
    ("《中华人民共和国行政处罚法》第５５条", 55, None, None),
    ("《中华人民共和国行政处罚法》　第 五十五 条", 55, None, None),
    ("《中华人民共和国刑法》第一百二十条之一", 120, None, None),
])
def test_article_paragraph_item(text, article, paragraph, item):
    c = one(text)
    assert (c.article, c.paragraph, c.item) == (article, paragraph, item)


def test_article_with_sub_number():
    assert one("《中华人民共和国刑法》第一百二十条之一").sub_article == 1


@pytest.mark.parametrize("text", [
    "1.《中华人民共和国食品安全法》第一百二十二条 2.《中华人民共和国行政处罚法》第九条",
    "《中华人民共和国食品安全法》第一百二十二条；《中华人民共和国行政处罚法》第九条",
    "《中华人民共和国食品安全法》第一百二十二条\n《中华人民共和国行政处罚法》第九条",
    "设定依据：《中华人民共和国食品安全法》第一百二十二条。增补依据：《中华人民共和国行政处罚法》第九条",
])
def test_several_laws_in_one_cell(text):
    cits = parse(text).citations
    assert [(c.title, c.article) for c in cits] == [("中华人民共和国食品安全法", 122), ("中华人民共和国行政处罚法", 9)]


def test_several_articles_of_one_law():
    cits = parse("《中华人民共和国食品安全法》第一百二十二条、第一百二十三条和第一百二十四条").citations
    assert [c.article for c in cits] == [122, 123, 124]


def test_quoted_articles_one_after_another():
    cits = parse("《中华人民共和国行政许可法》\n第四十二条　除可以当场作出行政许可决定的外，行政机关应当自受理行政许可申请之日起"
                 "二十日内作出行政许可决定。\n第四十三条　依法应当先经下级行政机关审查后报上级行政机关决定的行政许可……").citations
    assert [c.article for c in cits] == [42, 43]
    assert cits[0].quote.endswith("二十日内作出行政许可决定。")


def test_a_reference_inside_a_quote_is_not_a_citation():
    c = one("《中华人民共和国食品安全法》第一百二十二条：违反本法第三十五条规定，未取得食品生产经营许可从事食品生产经营活动")
    assert c.article == 122 and "第三十五条" in c.quote


def test_documents_outside_a_law_corpus():
    c = one("《国务院关于第五批取消和下放管理层级行政审批项目的决定》（国发〔2010〕21号）附件2……第37项")
    assert c.title == "国务院关于第五批取消和下放管理层级行政审批项目的决定"
    assert c.document_number == "国发〔2010〕21号" and c.item == 37 and c.article is None
    assert "附件2" in c.extra
    order = one("《道路运输车辆动态监督管理办法》（交通运输部令2017年第27号）第三十六条")
    assert order.document_number == "交通运输部令2017年第27号" and order.article == 36


@pytest.mark.parametrize("text,quote", [
    ("《中华人民共和国行政许可法》第四十二条：“除可以当场作出行政许可决定的外……”", "除可以当场作出行政许可决定的外……"),
    ("《中华人民共和国行政许可法》第四十二条:除可以当场作出行政许可决定的外", "除可以当场作出行政许可决定的外"),
    ("《中华人民共和国行政许可法》第四十二条　“除可以当场作出行政许可决定的外”", "除可以当场作出行政许可决定的外"),
])
def test_quotation_marks_colons_and_ellipses(text, quote):
    assert one(text).quote == quote


@pytest.mark.parametrize("text,title", [
    ("依据中华人民共和国食品安全法第一百二十二条", "中华人民共和国食品安全法"),
    ("根据城市市容和环境卫生管理条例第三十四条的规定", "城市市容和环境卫生管理条例"),
    ("中华人民共和国行政许可法（2019年修正）第十二条", "中华人民共和国行政许可法"),
])
def test_titles_without_book_title_marks(text, title):
    assert one(text).title == title


@pytest.mark.parametrize("text", ["", "   ", "无", "见附件", "asdf;lkj 1234 !!!", "第五条", "《》", "本法第十条"])
def test_garbage_yields_no_citation_and_a_note(text):
    result = parse(text)
    assert result.citations == [] and result.note == "unparsed"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("《》〈〉（）()第条款项之一二三十百千0123456789法条例规定：:；;。，、“”…\n 　【】中华人民共和国")),
               max_size=80))
def test_any_text_parses_without_error(text):
    result = parse(text)
    assert isinstance(result.citations, list)
    assert result.note in ("", "unparsed")


@pytest.mark.parametrize("text", [
    "《中华人民共和国劳动合同法》第六十五条：“被派遣劳动者可以依照本法第三十六条、第三十八条的规定，可以与劳务派遣单位解除劳动合同。”",
    "《中华人民共和国信托法》第五十六条：信托终止后，人民法院依据本法第十七条的规定对原信托财产进行强制执行的",
])
def test_the_quoted_law_referring_to_itself_is_not_another_citation(text):
    c = one(text)
    assert c.title.startswith("中华人民共和国") and "本法第" in c.quote


def test_a_law_named_inside_a_quotation_is_part_of_the_quote():
    c = one("《中华人民共和国城乡规划法》第七十条：“本法自2008年1月1日起施行。《中华人民共和国城市规划法》同时废止。”")
    assert c.title == "中华人民共和国城乡规划法" and "城市规划法" in c.quote
