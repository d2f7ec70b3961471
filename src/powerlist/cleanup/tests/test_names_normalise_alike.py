"""Names of one power written the ways real lists write them reduce to one matching key."""

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powerlist.cleanup.matching import name_key, score
from powerlist.cleanup.namegen import base_names

_S2T = opencc.OpenCC("s2t")
BASES = base_names()
PENALTY_CORES = [n[1:-3] for n in BASES if n.startswith("对") and n.endswith("的处罚")]
PLACES = ["湖南省", "湘潭市", "岳塘区"]
_names = st.sampled_from(BASES)
_text = st.text(alphabet=st.sampled_from(list("对的处罚行为违法（）()【】市级县级区教育局审批许可食品經營,，。 ")), max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.one_of(_names, _text))
def test_normalisation_is_idempotent(name):
    key = name_key(name, PLACES)
    assert name_key(key, PLACES) == key


@settings(max_examples=200, deadline=None)
@given(_names, st.sampled_from(["（市级/县级）", "(含变更)", "【县级】", "（首次申请）"]),
       st.sampled_from(["", "区市场监管局", "县教育局", "岳塘区卫生健康局", "湖南省湘潭市岳塘区", "县级", "湘潭市"]),
       st.booleans(), st.booleans())
def test_variants_of_a_name_normalise_alike(name, note, prefix, traditional, full_width):
    variant = prefix + name + note
    if traditional:
        variant = _S2T.convert(variant)
    if full_width:
        variant = variant.replace("(", "（").replace(")", "）").replace("/", "／")
    assert name_key(variant, PLACES) == name_key(name, PLACES)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(PENALTY_CORES),
       st.sampled_from(["对{}的处罚", "{}的处罚", "对{}行为的处罚", "对{}违法行为的处罚", "对{}的行政处罚"]))
def test_penalty_phrasings_have_one_canonical_form(core, form):
    assert name_key(form.format(core)) == f"对{core}的处罚"


@pytest.mark.parametrize("name", ["自然保护区内建设项目审批", "村民委员会选举指导", "城市生活垃圾经营性处置许可", "市场主体登记注册"])
def test_names_that_only_look_prefixed_keep_their_words(name):
    assert name_key(name, PLACES) == name


def test_neighbours_score_below_the_same_power():
    assert score(name_key("食品生产许可"), name_key("食品經營許可（縣級）")) < 0.85
    assert score(name_key("区市场监管局对无证经营的处罚"), name_key("對無證經營違法行為的處罰")) == 1.0


def test_sub_items_told_apart_in_brackets_stay_apart():
    # real lists (广安区) name sub-items only in brackets: 新增 and 注销 are two items, a level is a note
    new, cancel = name_key("道路旅客运输经营许可（新增）"), name_key("道路旅客運輸經營許可（注銷）（县级）")
    assert new != cancel and score(new, cancel) < 0.85
    assert score(name_key("道路旅客运输经营许可"), cancel) >= 0.85  # the other list dropped the bracket


def test_real_county_list_has_few_duplicate_groups(shared_data):
    import csv

    from powerlist.cleanup.checks import find_duplicate_groups

    with (shared_data / "power_lists" / "guangan_511602_items.csv").open(encoding="utf-8-sig") as fh:
        docs = [{"code": r["item_code"], "name": r["item_name"], "organisation": r["department"]}
                for r in csv.DictReader(fh)]
    groups = find_duplicate_groups(docs)
    # sub-items (新增/补办/换发…) are not duplicates; 即办件/承诺件 of one item are
    assert 0 < len(groups) < 40
    assert not any({"巡游出租汽车道路运输证核发（新增）", "巡游出租汽车道路运输证核发（补办）"}
                   <= {i["name"] for i in g["items"]} for g in groups)
