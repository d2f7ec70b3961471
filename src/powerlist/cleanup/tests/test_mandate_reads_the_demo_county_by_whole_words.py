"""Check (d), the mandate, on the demo county (岳塘区, `powerlist demo`) as an acceptance tester ran
it: few of its 1,414 items are flagged once its departments' 三定 say what they regulate, and the
evidence of a flag is whole words of the item's name, never two characters across a word boundary
(人未, 者保管)."""

from collections import defaultdict

import jieba
import pytest

from powerlist.catalog import demo
from powerlist.cleanup import mandate

TAX = "国家税务总局湘潭市岳塘区税务局"


@pytest.fixture(scope="module")
def county():
    duties = defaultdict(list)
    for n, entry in enumerate(demo.department_responsibilities()):
        if entry["kind"] == "duty":
            duties[entry["organisation"]].append(mandate.Duty(n, entry["title"], entry["content"]))
    rows = [(i["code"], i["name"], i["category"], i["organisation"]) for i in demo.items()]
    return rows, dict(duties)


def test_the_demo_county_has_few_items_outside_their_departments_mandate(county):
    rows, duties = county
    result = mandate.assess(rows, duties)
    assert len(result.judged) >= 30
    assert len(result.outside) / len(rows) <= 0.06, [(o[0][3], o[0][1]) for o in result.outside]


def test_the_tax_offices_penalties_and_guides_fit_its_mandate(county):
    rows, duties = county
    result = mandate.assess(rows, duties)
    tax = [r for r in rows if r[3] == TAX]
    assert tax and not [o for o in result.outside if o[0][3] == TAX]
    penalty = next(r for r in tax if r[1].startswith("对纳税人未按照规定设置"))
    assert result.verdicts[penalty[0]].score >= mandate.MANDATE_THRESHOLD


@pytest.mark.parametrize("name", [
    "对纳税人未按照规定设置、保管账簿或者保管记账凭证和有关资料的处罚",
    "对买卖或者以其他形式非法转让土地的处罚",
    "查封、扣押造成或者可能造成严重污染的设施、设备",
    "对在水体清洗装贮过油类、有毒污染物的车辆或者容器的处罚",
])
def test_what_was_not_found_is_whole_words_of_the_name(name):
    thin = mandate.Profile("岳塘区档案馆", [mandate.Duty(1, "负责档案工作", "负责全区档案事业的统筹规划。")])
    verdict = mandate.judge(name, "02", thin)
    words = set(jieba.lcut(name.replace("、", " ")))
    assert verdict.missing and all(len(w) >= 2 for w in verdict.missing + verdict.found)
    assert all(w in words or any(w in x for x in words) for w in verdict.missing + verdict.found), verdict.missing
    assert not {"人未", "者保管", "者以", "者容器"} & set(verdict.missing)
    assert not {"或者", "未按照", "其他", "形式", "造成", "可能"} & set(verdict.missing)
