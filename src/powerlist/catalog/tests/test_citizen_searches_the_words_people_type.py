"""A citizen searches with the words people type (低保, 社保, 营业执照), in simplified or
traditional characters, and finds the items the lists name otherwise (最低生活保障, 社会保险,
市场主体登记); what was typed still comes first, and expansion never loses a result."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powerlist.catalog import search, search_hints
from powerlist.catalog.tests.everyday import ITEMS, everyday_items
from powerlist.core import synonyms


@pytest.fixture
def items(county, departments):
    return everyday_items(county, departments)


def codes(result):
    return [i.code for i in result.items]


def test_citizen_searching_dibao_finds_minimum_living_allowance(items):
    result = search.search("低保")
    assert set(codes(result)) == {"430304-MZ-JF-001", "430304-MZ-QR-001"}
    assert result.expanded == ("最低生活保障",)
    assert search.search("低保", expand=False).total == 0  # what the lists say is not what people type
    assert codes(search.search("低保金给付")) == ["430304-MZ-JF-001"]  # the term inside longer words


def test_citizen_searching_shebao_finds_social_insurance(items):
    assert set(codes(search.search("社保"))) == {"430304-RS-CF-001", "430304-RS-JF-001"}


def test_business_licence_finds_market_entity_registration_after_the_exact_name(items):
    result = search.search("营业执照")
    # the exact name typed, then the expansion's name, then the rest
    assert codes(result) == ["430304-SC-FW-001", "430304-SC-DJ-001", "430304-SC-CF-002"]


def test_traditional_and_full_width_forms_of_the_words(items):
    assert codes(search.search("營業執照")) == codes(search.search("营业执照"))
    assert set(codes(search.search("　低保　"))) == {"430304-MZ-JF-001", "430304-MZ-QR-001"}
    assert set(codes(search.search("食品許可"))) == {"430304-SC-XK-001", "430304-SC-XK-002"}


def test_filters_apply_to_expanded_searches(items, departments):
    assert search.search("社保", category="02").total == 1
    assert search.search("社保", organisation=departments["岳塘区市场监督管理局"]).total == 0


def test_matched_characters_are_marked_and_escaped():
    assert search_hints.spans("城乡最低生活保障金给付", ["低保", "最低生活保障"]) == [(2, 8)]
    assert search_hints.spans("營業執照", ["营业执照"]) == [(0, 4)]
    html = search_hints.highlight("<script>低保</script>最低生活保障", ["最低生活保障", "script"])
    assert html == "&lt;<mark>script</mark>&gt;低保&lt;/<mark>script</mark>&gt;<mark>最低生活保障</mark>"


def test_nearest_names_when_nothing_is_found(items, county):
    assert search.search("食品经营许可证办理").total == 0
    assert search_hints.suggestions(["食品经营许可证办理"], county)[0] == "食品经营许可"
    assert search_hints.suggestions(["完全无关的词语"], county) == []


def test_expansion_combines_several_terms_and_is_bounded(items):
    key = "医保社保低保"
    variants = synonyms.expand(key)
    assert key not in variants and 0 < len(variants) <= synonyms.MAX_VARIANTS
    assert synonyms.expand("没有简称的词") == []


NAMES = [name for _code, name, _cat, _org in ITEMS]
fragments = st.sampled_from(NAMES).flatmap(
    lambda name: st.tuples(st.integers(0, len(name) - 2), st.integers(2, 6)).map(lambda t: name[t[0]:t[0] + t[1]]))
terms = st.sampled_from([e.term for e in synonyms.shipped()])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.one_of(fragments, terms, st.tuples(terms, fragments).map("".join),
                       st.tuples(fragments, terms).map("".join)))
def test_expansion_never_loses_the_results_of_the_plain_query(items, query):
    plain = search.search(query, expand=False, per_page=100)
    expanded = search.search(query, per_page=100)
    assert expanded.total >= plain.total
    assert set(codes(plain)) <= set(codes(expanded))
    # and what was typed, matched exactly, still comes first
    exact = [i.code for i in plain.items if i.name_key == plain.phrases[0]]
    assert codes(expanded)[:len(exact)] == exact
