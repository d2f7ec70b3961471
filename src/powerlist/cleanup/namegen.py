"""Two lists of the same powers named the way different governments name them, with the known
pairs: for the comparison's benchmark (bench/compare_bench.py) and its correctness test.

Base names come from our own vocabulary in the shapes real lists use (对……的处罚 with a subject
and an act, licences, registrations, confirmations), so neighbours differ by one word as in real
lists (食品生产许可 / 食品经营许可); a caller may add names of its own (the bench reads a real
county's list at run time; nothing published is stored here). A seeded generator then varies
their list's names: traditional characters, full-width brackets, bracketed notes added or dropped,
the penalty phrasing reordered (对……的处罚 / ……的处罚 / 对……行为的处罚 / 对……违法行为的处罚 /
……的行政处罚), department and jurisdiction prefixes. Truly different items: a share of their list
is replaced by base names from a held-out pool that ours never contains (each side then has items
the other lacks: known only-ours and only-theirs).
"""

import random
import re
from dataclasses import dataclass
from functools import lru_cache

import opencc

SUBJECTS = ["生产经营单位", "用人单位", "食品经营者", "食品生产者", "医疗机构", "建设单位", "施工单位", "出租汽车经营者",
            "道路运输经营者", "娱乐场所", "网吧经营单位", "药品零售企业", "饲料生产企业", "种子经营者", "农药经营者",
            "民办学校", "培训机构", "物业服务企业", "房地产开发企业", "燃气经营企业", "排污单位", "危险化学品经营单位",
            "特种设备使用单位", "旅行社", "公共场所经营者", "粮食经营者", "广告发布者", "电子商务经营者", "拍卖企业",
            "建筑材料生产企业", "机动车维修经营者", "驾驶员培训机构", "加油站经营者", "二手车交易市场",
            "殡葬服务单位", "宗教活动场所", "社会组织", "职业介绍机构", "建筑业企业", "水利工程建设单位"]
ACTS = ["未取得{lic}从事经营活动", "未按规定办理{reg}", "拒绝接受{check}", "伪造{doc}", "涂改{doc}", "超出核定范围从事{biz}",
        "未按规定公示{doc}", "未建立{record}", "未按规定报送{report}", "使用未经检验的{thing}", "销售不合格{thing}",
        "转让出租出借{doc}", "未按规定保存{record}", "未按规定开展{check}", "擅自变更{reg}事项"]
SLOTS = {
    "lic": ["经营许可证", "生产许可证", "卫生许可证", "排污许可证", "营业执照", "资质证书", "备案证明", "运输许可证"],
    "reg": ["变更登记", "注销登记", "社会保险登记", "备案手续", "年度报告", "税务登记", "资质变更", "项目备案"],
    "check": ["监督检查", "安全评价", "年度检验", "质量检测", "卫生检查", "消防检查", "现场核查", "抽样检验"],
    "doc": ["许可证件", "检验报告", "经营资质", "从业资格证", "合格证明", "运输证", "上岗证"],
    "biz": ["经营活动", "生产活动", "运输业务", "培训业务", "中介服务", "维修业务", "租赁业务", "销售活动"],
    "record": ["进货查验记录", "安全管理制度", "台账", "从业人员健康档案", "购销台账", "安全培训档案", "出入库记录", "消毒记录"],
    "report": ["统计资料", "监测数据", "年度报告", "安全生产情况", "经营情况", "财务报表", "统计报表", "排放数据"],
    "thing": ["计量器具", "特种设备", "建筑材料", "消防产品", "压力容器", "电梯", "农业机械"],
}
OBJECTS = ["食品", "药品", "医疗器械", "建筑工程", "城镇燃气", "道路运输", "出租汽车", "民办学校", "幼儿园", "养老机构",
           "种子", "农药", "兽药", "饲料", "林木", "烟花爆竹", "危险化学品", "特种设备", "娱乐场所", "互联网上网服务营业场所",
           "出版物", "印刷", "公共场所", "生活饮用水", "放射诊疗", "母婴保健技术服务", "护士执业", "医师执业", "人力资源服务",
           "劳务派遣", "房地产经纪", "物业服务", "城市建筑垃圾处置", "户外广告设置", "占用挖掘城市道路", "临时占用草原",
           "取水", "河道采砂", "水土保持方案", "建设项目环境影响评价"]
ACTIONS = ["经营许可", "生产许可", "设立审批", "变更登记", "注销登记", "备案", "资格认定", "年度检验", "许可延续",
           "补贴发放", "奖励", "监督检查", "资质认定", "证书补办", "许可变更", "许可注销", "信息查询", "投诉举报受理", "政策咨询"]
NOTES = ["（市级/县级）", "（县级）", "（含变更）", "（含延续）", "（新办）", "（初审）", "（首次申请）", "（一般程序）"]
PLACES = ["湖南省", "湘潭市", "岳塘区", "四川省", "广安市", "广安区", "江西省", "赣州市", "章贡区"]
DEPARTMENT_PREFIXES = ["区市场监管局", "县市场监督管理局", "区卫生健康局", "县教育局", "区交通运输局", "区农业农村局",
                       "县自然资源局", "区住房城乡建设局", "区文化旅游局", "区人力资源社会保障局"]
LEVELS = ["县级", "市级", "区级"]
_NOTE = re.compile(r"[（(][^（）()]*[）)]")
PENALTY_FORMS = ["对{core}的处罚", "{core}的处罚", "对{core}行为的处罚", "对{core}违法行为的处罚", "对{core}的行政处罚"]


def base_names(extra: list[str] | tuple = ()) -> list[str]:
    """Distinct base names: `extra` first (as given), then penalties, then other powers."""
    names = dict.fromkeys(n for n in extra if n)
    for subject in SUBJECTS:
        for act in ACTS:
            slot = act[act.index("{") + 1:act.index("}")]
            for filler in SLOTS[slot]:
                names.setdefault("对" + subject + act.format(**{slot: filler}) + "的处罚")
    for obj in OBJECTS:
        for action in ACTIONS:
            names.setdefault(obj + action)
    return list(names)


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def vary(name: str, rng: random.Random) -> str:
    """Their way of writing our name: each variation with its own chance, several may combine."""
    core = name
    if core.startswith("对") and core.endswith("的处罚") and rng.random() < 0.6:
        core = rng.choice(PENALTY_FORMS).format(core=core[1:-3])
    if _NOTE.search(core) and rng.random() < 0.5:  # a note dropped
        core = _NOTE.sub("", core, count=1)
    elif rng.random() < 0.3:  # a note added
        core += rng.choice(NOTES)
    if rng.random() < 0.25:
        core = rng.choice(DEPARTMENT_PREFIXES) + core
    if rng.random() < 0.2:
        core = "".join(rng.sample(PLACES[:3], rng.randint(1, 3))) + core
    elif rng.random() < 0.1:
        core = rng.choice(LEVELS) + core
    if rng.random() < 0.3:
        core = _s2t().convert(core)
    if rng.random() < 0.2:
        core = core.replace("(", "（").replace(")", "）").replace("/", "／")
    return core


@dataclass
class ListPair:
    ours: list[tuple[str, str]]  # (code, name)
    theirs: list[tuple[str, str]]
    known: set[tuple[str, str]]  # (our code, their code) of the same power


def generate(n: int, seed: int = 1, different: float = 0.03, extra: list[str] | tuple = ()) -> ListPair:
    """Two lists of n items; a share `different` of their items are truly different powers."""
    rng = random.Random(seed)
    pool = base_names(extra)
    rng.shuffle(pool)
    if len(pool) < n + int(n * different) + 1:
        raise ValueError(f"only {len(pool)} base names for {n} items")
    ours_names, held_out = pool[:n], pool[n:]
    ours = [(f"A{i:05d}", name) for i, name in enumerate(ours_names)]
    theirs, known = [], set()
    order = list(range(n))
    rng.shuffle(order)
    for j, i in enumerate(order):
        code = f"B{j:05d}"
        if rng.random() < different:
            theirs.append((code, held_out.pop()))
        else:
            theirs.append((code, vary(ours_names[i], rng)))
            known.add((ours[i][0], code))
    return ListPair(ours, theirs, known)


def precision_recall(matched: list[dict], known: set[tuple[str, str]]) -> tuple[float, float]:
    found = {(m["ours"], m["theirs"]) for m in matched}
    right = len(found & known)
    return (right / len(found) if found else 1.0), (right / len(known) if known else 1.0)
