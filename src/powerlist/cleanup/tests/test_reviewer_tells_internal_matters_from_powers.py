"""A reviewer's scope check (b) flags the matters a body does on itself (对本局工作人员的年度考核,
本单位固定资产处置, 内部审批) and leaves the powers over citizens and organisations alone, even where
the words overlap (对教师资格的认定, 公务员录用审批, 对生产经营单位未对本单位从业人员进行培训的处罚)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powerlist.catalog.models import PowerItem
from powerlist.catalog.services.items import create_item
from powerlist.cleanup.checks import scope_findings
from powerlist.cleanup.scope import internal_terms_of, is_internal_matter
from powerlist.cleanup.tests.guangan_duties import guangan_rows
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM
from powerlist.core.text import normalise

INTERNAL = [
    "对本局工作人员的年度考核",
    "考核本单位工作人员年度绩效",
    "本局干部职工请销假审批",
    "本单位工作人员出差审批",
    "本机关公文处理",
    "局机关公文收发",
    "本单位固定资产处置审批",
    "本局财务报销审核",
    "本系统干部培训计划审批",
    "机关内部审批事项",
    "内部审批",
    "机关事务管理",
    "干部任免",
    "本局人事任免",
    "本部门工作人员奖惩",
    "机关干部年度考核",
    "本单位保密工作检查",
    "局机关值班安排",
    "本委机关公务用车管理",
    "本单位内部审计",
    "本局干部人事档案管理",
    "機關內部審批",  # traditional characters
    "本局工作人员年度考核（县级）",
]
POWERS = [
    "对教师资格的认定",
    "教师资格认定",
    "对公务员的录用审批",
    "公务员录用审批",
    "事业单位工作人员年度考核结果备案",
    "对行政机关工作人员违法违纪行为的处分",
    "机关事业单位基本养老保险关系转移接续申请",
    "机关事业单位社会保险缴费申报与变更",
    "对工作人员以外的单位和个人的监督检查",
    "对本单位以外人员进入保密场所的审批",
    "对单位内部治安保卫工作的监督检查",
    "对医疗机构内部管理制度落实情况的检查",
    "对企业内部审计工作的指导",
    "对生产经营单位未对本单位从业人员进行安全生产教育培训的处罚",
    "对用人单位未按规定对本单位职工进行岗前培训的处罚",
    "本行政区域内建设工程质量监督",
    "对本辖区内食品经营者的监督检查",
    "医师定期考核结果备案",
    "职业技能培训补贴申领",
    "放射工作人员证办理",
    "机动车驾驶员培训备案",
    "企业职工基本养老保险关系转移接续申请",
    "对财务会计报告的监督检查",
    "国有资产产权登记",
    "档案延期移交的审查",
    "机关团体单位档案验收",
    "社会艺术水平考级活动考前备案",
    "民办学校办学许可",
]


@pytest.mark.parametrize("name", INTERNAL)
def test_internal_management_matters_are_flagged_with_the_words_that_say_so(name):
    terms = internal_terms_of(name)
    assert terms, name
    assert all(t in normalise(name) for t in terms)


@pytest.mark.parametrize("name", POWERS)
def test_powers_over_citizens_and_organisations_are_not_flagged(name):
    assert internal_terms_of(name) == [], name


SELVES = st.sampled_from(["本局", "本单位", "本机关", "局机关", "本部门", "本系统"])
PEOPLE = st.sampled_from(["工作人员", "干部", "职工", "干部职工", "在编人员"])
MATTERS = st.sampled_from(["年度考核", "任免", "奖惩", "培训", "请销假", "考勤", "财务管理", "资产处置", "公文处理",
                           "保密管理", "绩效考评", "工资调整"])


@settings(max_examples=200, deadline=None)
@given(SELVES, PEOPLE, MATTERS, st.booleans(), st.sampled_from(["", "审批", "审核", "（县级）"]))
def test_any_way_of_saying_our_own_staff_and_a_housekeeping_matter_is_flagged(self_, people, matter, dui, tail):
    name = (f"对{self_}{people}的{matter}" if dui else f"{self_}{people}{matter}") + tail
    assert is_internal_matter(name), name


@settings(max_examples=200, deadline=None)
@given(SELVES, PEOPLE, MATTERS, st.sampled_from(["生产经营单位", "用人单位", "医疗机构", "企业", "个体工商户"]))
def test_a_duty_laid_on_someone_else_about_their_own_staff_is_not_flagged(self_, people, matter, subject):
    """对生产经营单位未对本单位职工进行培训的处罚: 本单位 is the enterprise's, the power is over it."""
    name = f"对{subject}未按规定对{self_}{people}进行{matter}的处罚"
    assert not is_internal_matter(name), name


def test_a_real_county_list_has_no_internal_matter():
    """广安区's 1,135 published items are all services and powers over others: none is flagged."""
    flagged = [r["item_name"] for r in guangan_rows() if is_internal_matter(r["item_name"])]
    assert flagged == []


def test_scope_check_flags_the_internal_items_of_a_list(county, departments):
    for n, name in enumerate(["对本局工作人员的年度考核", "教师资格认定", "局机关公文收发", "对公务员的录用审批"]):
        create_item(SYSTEM, county, item_document(code=f"S{n}", name=name, category="10"))
    found = scope_findings(PowerItem.objects.filter(jurisdiction=county))
    assert [(f.code, f.problem, f.suggestion) for f in found] == [("S0", "internal-matter", "cancel"),
                                                                  ("S2", "internal-matter", "cancel")]
    assert found[0].evidence["terms"] == ["本局", "工作人员", "考核"]
