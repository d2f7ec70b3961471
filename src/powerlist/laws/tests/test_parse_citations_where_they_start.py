"""Citations start where citations start (issue 8): a law or a form named inside a quoted
article is part of the quote, level tags apply to every citation after them, the next
citation's tag and number never end up in a quote, document numbers and parts of documents
have their own fields. The texts are written for these tests in the forms real lists use."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powerlist.laws.parsing import parse


def cited(text):
    return [(c.title, c.article) for c in parse(text).citations]


# -- a law named inside a quoted article is a reference, not a citation -------------------------

def test_a_law_named_inside_a_quoted_article_stays_in_the_quote():
    text = ("1.《中华人民共和国劳动争议调解仲裁法》第五十条：当事人对仲裁裁决不服的，可以自收到裁决书之日起十五日内"
            "依照《中华人民共和国民事诉讼法》第一百二十二条向人民法院提起诉讼。\n"
            "2.《中华人民共和国行政许可法》第十二条")
    cits = parse(text).citations
    assert [(c.title, c.article) for c in cits] == [("中华人民共和国劳动争议调解仲裁法", 50), ("中华人民共和国行政许可法", 12)]
    assert "依照《中华人民共和国民事诉讼法》第一百二十二条向人民法院提起诉讼" in cits[0].quote


def test_a_law_followed_by_suo_cheng_is_a_reference_even_at_the_start_of_a_line():
    text = ("【行政法规】《中华人民共和国个人所得税法实施条例》第十五条\n"
            "个人所得税法第六条第一款第三项所称成本、费用，是指生产、经营活动中发生的各项直接支出和分配计入成本的间接费用")
    [c] = parse(text).citations
    assert (c.title, c.article, c.level) == ("中华人民共和国个人所得税法实施条例", 15, "行政法规")
    assert c.quote.startswith("个人所得税法第六条第一款第三项所称成本")


def test_a_law_followed_by_gui_ding_de_is_a_reference():
    text = "《中华人民共和国食品安全法》第一百二十六条：有《中华人民共和国食品安全法》第一百二十五条规定的情形之一的，依照前款处罚"
    assert cited(text) == [("中华人民共和国食品安全法", 126)]


def test_a_form_named_in_a_quote_is_not_a_citation():
    text = ("【规范性文件】《国家税务总局关于发布〈出口货物劳务增值税和消费税管理办法〉的公告》（国家税务总局公告2012年第24号）"
            "第十条：委托出口的货物，委托方应提供受托方主管税务机关签发的《代理出口货物证明》，以及代理出口协议副本。\n"
            "（二）《出口货物退（免）税申报表》")
    [c] = parse(text).citations
    assert c.article == 10 and "《代理出口货物证明》" in c.quote


def test_a_list_is_cited_but_a_form_is_not():
    assert cited("1.《市场准入负面清单（2022年版）》\n2.《建设工程规划许可证》") == [("市场准入负面清单（2022年版）", None)]


def test_a_sentence_after_a_full_stop_that_names_a_law_is_still_the_quote():
    text = "《中华人民共和国城乡规划法》第七十条 本法自2008年1月1日起施行。《中华人民共和国城市规划法》同时废止。"
    [c] = parse(text).citations
    assert c.article == 70 and "城市规划法》同时废止" in c.quote


def test_laws_a_quoted_article_repeals_are_part_of_the_quote():
    text = ("1.《中华人民共和国出境入境管理法》第九十三条：本法自2013年7月1日起施行。《中华人民共和国外国人入境出境管理法》和"
            "《中华人民共和国公民出境入境管理法》同时废止。")
    [c] = parse(text).citations
    assert c.article == 93 and c.quote.endswith("同时废止。")


def test_a_quote_that_opens_with_a_title_keeps_it():
    text = "《中华人民共和国澳门特别行政区基本法》第四十条：《公民权利和政治权利国际公约》、《经济、社会与文化权利的国际公约》的有关规定"
    [c] = parse(text).citations
    assert c.article == 40 and c.quote.startswith("《公民权利和政治权利国际公约》")


@pytest.mark.parametrize("between", ["\n", "；", "。", " 2.", "；2、", "\n（二）", "\n(2)", "。实施依据：", "；依据：",
                                     "、", "，", "和"])
def test_a_second_citation_starts_where_citations_start(between):
    text = f"设定依据：《中华人民共和国行政许可法》第十二条{between}《中华人民共和国食品安全法》第三十五条"
    assert cited(text) == [("中华人民共和国行政许可法", 12), ("中华人民共和国食品安全法", 35)]


@pytest.mark.parametrize("between", ["可以依照", "，并依照", "违反"])
def test_a_law_named_in_the_middle_of_a_sentence_is_not_a_second_citation(between):
    text = f"《中华人民共和国行政许可法》第十二条：行政机关{between}《中华人民共和国食品安全法》办理"
    assert cited(text) == [("中华人民共和国行政许可法", 12)]


def test_a_quote_left_open_does_not_swallow_the_next_numbered_citation():
    text = ("1.《中华人民共和国商标法》第五条：经核准注册的商标为注册商标，商标注册人有权标明“注册。"
            "2.《中华人民共和国反不正当竞争法》第三十二条：经营者违反本法规定从事不正当竞争的，依法从轻或者减轻行政处罚")
    assert cited(text) == [("中华人民共和国商标法", 5), ("中华人民共和国反不正当竞争法", 32)]


# -- level tags ----------------------------------------------------------------------------------

def test_a_level_tag_applies_to_every_citation_until_the_next_tag():
    text = ("【法律】1.《中华人民共和国税收征收管理法》第二十五条\n2.《中华人民共和国个人所得税法》第十条\n"
            "【行政法规】3.《中华人民共和国税收征收管理法实施细则》第三十二条\n4.《中华人民共和国发票管理办法》第五条\n"
            "【规章】5.《税务登记管理办法》第二条")
    assert [c.level for c in parse(text).citations] == ["法律", "法律", "行政法规", "行政法规", "规章"]


def test_a_cell_of_tagged_sections_whose_quotes_name_a_standard_and_a_licence():
    text = ("【法律】《中华人民共和国药品管理法》（2019年8月26日修订）第五十三条从事药品经营活动，应当遵守《药品经营质量管理规范》，"
            "建立健全药品经营质量管理体系。《药品经营质量管理规范》由国务院药品监督管理部门制定； 　"
            "【法规】1.《中华人民共和国药品管理法实施条例》（2002年9月15日施行国务院令第360号）第十三条新开办药品批发企业，"
            "应当自取得《药品经营许可证》之日起30日内申请认证；"
            "【规章】1.《药品经营质量管理规范》（2016年国家食品药品监督管理总局令第28号）；"
            "【规范性文件】《药品经营许可证管理办法》(国食药监市[2004]6号)第十九条：《药品经营许可证》有效期为5年。")
    cits = parse(text).citations
    assert [(c.title, c.article, c.level, c.document_number) for c in cits] == [
        ("中华人民共和国药品管理法", 53, "法律", ""),
        ("中华人民共和国药品管理法实施条例", 13, "", "国务院令第360号"),  # 【法规】: the level is inferred
        ("药品经营质量管理规范", None, "规章", "国家食品药品监督管理总局令第28号"),
        ("药品经营许可证管理办法", 19, "规范性文件", "国食药监市[2004]6号")]
    assert cits[0].quote.endswith("由国务院药品监督管理部门制定") and "【" not in cits[1].quote


def test_the_next_citations_tag_and_number_are_not_part_of_the_quote():
    text = ("【法律】1.《中华人民共和国税收征收管理法》第二十五条第一款：纳税人必须如实办理纳税申报，报送纳税申报表、"
            "财务会计报表以及税务机关根据实际需要要求纳税人报送的其他纳税资料。【法律】2.《中华人民共和国个人所得税法》"
            "第十条：有下列情形之一的，纳税人应当依法办理纳税申报")
    first, second = parse(text).citations
    assert first.quote.endswith("其他纳税资料。") and "法律" not in first.quote and "2." not in first.quote
    assert (second.title, second.article, second.level) == ("中华人民共和国个人所得税法", 10, "法律")


# -- document numbers and parts ----------------------------------------------------------------

@pytest.mark.parametrize("text,title,number", [
    ("《关于进一步做好退役士兵安置工作的通知》退役军人部发〔2022〕3号第五条", "关于进一步做好退役士兵安置工作的通知",
     "退役军人部发〔2022〕3号"),
    ("《国务院关于第五批取消和下放管理层级行政审批项目的决定》（国发〔2010〕21号）", "国务院关于第五批取消和下放管理层级行政审批项目的决定",
     "国发〔2010〕21号"),
    ("湘政办发【2019】12号《湖南省人民政府办公厅关于进一步规范行政权力运行的通知》", "湖南省人民政府办公厅关于进一步规范行政权力运行的通知",
     "湘政办发〔2019〕12号"),
    ("依据财税[2016]36号《关于全面推开营业税改征增值税试点的通知》", "关于全面推开营业税改征增值税试点的通知", "财税[2016]36号"),
    ("《国务院对确需保留的行政审批项目设定行政许可的决定》（2004年6月29日国务院令第412号公布）", "国务院对确需保留的行政审批项目设定行政许可的决定",
     "国务院令第412号"),
])
def test_document_numbers_have_their_own_field(text, title, number):
    [c] = parse(text).citations
    assert (c.title, c.document_number) == (title, number)
    assert number not in c.extra and number not in c.quote


def test_the_number_of_a_document_before_the_next_title_is_not_part_of_the_previous_quote():
    text = "1.《中华人民共和国行政许可法》第十二条：下列事项可以设定行政许可\n2.国发〔2010〕21号《国务院关于取消一批行政审批项目的决定》"
    first, second = parse(text).citations
    assert first.quote == "下列事项可以设定行政许可" and second.document_number == "国发〔2010〕21号"


@pytest.mark.parametrize("text,part,item", [
    ("《国务院关于第五批取消和下放管理层级行政审批项目的决定》（国发〔2010〕21号）附件2第37项", "附件2第37项", 37),
    ("《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）附件第37项：《出版物经营许可证》核发",
     "附件第37项", 37),
    ("《国务院关于取消一批行政许可事项的决定》（国发〔2017〕46号）附件1", "附件1", None),
])
def test_an_annex_item_is_a_part_of_its_document_not_a_citation(text, part, item):
    [c] = parse(text).citations
    assert (c.part, c.item, c.article) == (part, item, None)


def test_an_article_after_its_chapter_is_cited():
    [c] = parse("《国家宗教事务局关于印发〈宗教事务部分行政许可项目实施办法〉的通知》（国宗发〔2018〕11号）第四章第二十一条").citations
    assert (c.article, c.document_number) == (21, "国宗发〔2018〕11号")


@pytest.mark.parametrize("says", ["规定：", "规定，", "的规定：", "规定：“"])
def test_the_quote_after_gui_ding_is_the_articles_text(says):
    [c] = parse(f"根据《中华人民共和国行政许可法》第十二条{says}下列事项可以设定行政许可").citations
    assert (c.article, c.quote) == (12, "下列事项可以设定行政许可")


def test_a_year_before_a_document_number_is_not_an_edition():
    [c] = parse("《固定资产投资项目节能审查办法》(2016年国家发展和改革委员会令第44号)第八条").citations
    assert (c.document_number, c.edition, c.article) == ("国家发展和改革委员会令第44号", "", 8)


# -- any mix of the forms above ------------------------------------------------------------------

TITLES = ["中华人民共和国行政许可法", "中华人民共和国税收征收管理法", "城市市容和环境卫生管理条例", "税务登记管理办法",
          "湖南省行政程序规定", "中华人民共和国食品安全法"]
# quoted text naming other laws and forms, the way articles do
QUOTES = ["", "下列事项可以设定行政许可", "当事人不服的，可以依照《中华人民共和国民事诉讼法》向人民法院起诉",
          "委托方应提供《代理出口货物证明》以及代理出口协议副本", "违反本法第三十五条规定，未取得许可从事经营活动",
          "有《中华人民共和国行政处罚法》第三十二条规定的情形的，从轻处罚", "纳税人应当按照《中华人民共和国发票管理办法》的规定开具发票",
          "个人所得税法第六条第一款第三项所称成本，是指直接支出"]
TAGS = ["", "【法律】", "【行政法规】", "【地方性法规】", "【规章】", "【规范性文件】"]
NUMBERS = ["", "{n}.", "{n}、", "（{c}）", "({n})"]
SEPARATORS = ["\n", "；", "。", " ", "；\n"]
CHINESE = "一二三四五六七八九"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(TITLES), st.integers(1, 120), st.sampled_from(QUOTES), st.sampled_from(TAGS),
                          st.booleans()), min_size=1, max_size=4),
       st.sampled_from(NUMBERS), st.sampled_from(SEPARATORS), st.sampled_from(["", "设定依据：", "依据："]))
def test_any_mix_of_numbered_tagged_citations_quoting_other_laws(parts, numbering, separator, lead_in):
    text, expected, level = lead_in, [], ""
    for n, (title, article, quote, tag, marks) in enumerate(parts, 1):
        if n > 1:
            text += separator
            if separator == " " and not numbering:
                text += "\n"  # a bare space between a quote and the next title ends nothing
        level = {"": level, "【法律】": "法律", "【行政法规】": "行政法规", "【地方性法规】": "地方性法规", "【规章】": "规章",
                 "【规范性文件】": "规范性文件"}[tag]
        body = f"“{quote}”" if marks and quote else quote
        text += tag + numbering.format(n=n, c=CHINESE[n - 1]) + f"《{title}》第{article}条" + ("：" + body if quote else "")
        expected.append((title, article, level, quote))
    got = [(c.title, c.article, c.level, c.quote.rstrip("。；")) for c in parse(text).citations]
    assert got == expected, text
