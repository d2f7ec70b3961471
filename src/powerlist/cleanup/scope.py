"""Check (b), against the scope of powers (五对照: 对照职权范围): matters of a body's internal
management govern the body itself, not citizens and organisations, so they are not administrative
powers and do not belong on the list.

A name is such a matter when

1. it says whose: the body itself (本局, 本单位, 本机关, 本部门, 本系统, 本委, 本办, 局机关, 机关内部,
   内设机构, 局属, 机关工作人员, …), and what: its own people (工作人员, 干部, 职工, 在编人员) or a
   housekeeping matter (考核, 任免, 奖惩, 培训, 请销假, 考勤, 财务, 资产, 公文, 保密, 档案, 后勤, 值班,
   车辆, 采购, 工资, 人事, 党建, …) — `对本局工作人员的年度考核`, `本单位固定资产处置`; or
2. it holds one of the phrases that only name internal work (data/internal_terms.txt: 内部管理,
   内部审批, 机关事务, 公文处理, 干部任免, …);

and nothing in it points outward (OUTWARD: 以外, 企业, 医疗机构, 从业人员, 处罚, 责令, …):
`对医疗机构内部管理的检查` is 卫健's power over hospitals, `对生产经营单位未对本单位从业人员进行安全
生产教育培训的处罚` is 应急's over enterprises.

What is not flagged: powers whose object is someone else, even where the words overlap — `对教师资格的
认定`, `公务员录用审批` (人社 over candidates and other organs), `对事业单位工作人员的处分备案`, `本行政区域
内…`, `本单位以外人员…`.
"""

import re
from functools import lru_cache
from pathlib import Path

from powerlist.core.text import normalise

TERMS_FILE = Path(__file__).with_name("data") / "internal_terms.txt"

# whose: the body itself. 本区/本市/本县/本行政区域/本辖区 are the territory, not the body: not here
SELF = re.compile(r"本局|本单位|本机关|本部门|本系统|本委|本办|本院|本中心|本所|本厅|本馆|本站|本队|"
                  r"局机关|委机关|办机关|机关内部|局内部|内设机构|局属|委属|机关本级|机关各科室|"
                  r"^机关(?!事业单位|团体|、|和|及|或)")
# the body's own people
PEOPLE = re.compile(r"工作人员|干部|职工|在编人员|编外人员|聘用人员|干部职工|公务员|员工|党员")
# housekeeping of a body
MATTERS = re.compile(r"考核|考评|考勤|任免|任用|奖惩|表彰|培训|请销假|请假|休假|出差|差旅|财务|经费|预算|决算|资产|"
                     r"固定资产|公文|收文|发文|文件|印章|保密|档案|后勤|值班|车辆|公务用车|办公用房|办公用品|采购|"
                     r"工资|薪酬|福利|人事|调配|轮岗|职级|晋升|党建|党务|会议|接待|报销|审计|绩效|内部控制|宣传")
# an object beyond the body: such a name is about others even if it mentions the body
OUTWARD = re.compile(r"以外|之外|外单位|管理相对人|行政相对人|申请人|当事人|公民|法人|其他组织|社会组织|企业|"
                     r"个体|经营者|从业人员|医疗机构|学校|市场主体|生产经营单位|用人单位|辖区|行政区域|"
                     r"处罚|罚款|吊销|责令|未按|未对|拒不|违反")
_COMMENT = re.compile(r"#.*$")


@lru_cache(maxsize=1)
def internal_phrases() -> tuple[str, ...]:
    """The phrases of data/internal_terms.txt, normalised."""
    lines = TERMS_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(normalise(t) for t in (_COMMENT.sub("", line).strip() for line in lines) if t)


def internal_terms_of(name: str) -> list[str]:
    """The words that make `name` an internal-management matter, in the order found; [] when it is
    not one."""
    key = normalise(name)
    if not key:
        return []
    if OUTWARD.search(key):  # about someone else: 本单位以外, 对生产经营单位未对本单位从业人员…的处罚
        return []
    selves = [m.group() for m in SELF.finditer(key)]
    if selves:
        people = [m.group() for m in PEOPLE.finditer(key)]
        matters = [m.group() for m in MATTERS.finditer(key)]
        if people or matters:
            return _unique(selves + people + matters)
    phrases = [t for t in internal_phrases() if t in key]
    if phrases:
        return _unique(phrases + [m.group() for m in MATTERS.finditer(key) if m.group() not in "".join(phrases)])
    return []


def _unique(words: list[str]) -> list[str]:
    return list(dict.fromkeys(words))


def is_internal_matter(name: str) -> bool:
    return bool(internal_terms_of(name))
