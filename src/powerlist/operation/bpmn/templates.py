"""The standard flowchart of each category (事项类型), so every item has one from the start: a
straight line of steps, each with the post that does it (承办岗位) and a time limit in working
days. The steps follow the procedure the law sets for the category; where a law fixes a limit
it is cited, elsewhere the limit is a common promise a department can change.

A template that begins with the application (申请, the applicant's post, 0 days) and the
acceptance (受理) begins with what opening a case records: opening a case is the acceptance, so
the opening completes both (workflow.start), and the first step a clerk completes is the one after
(审查, 办理 …). Items that keep their own step names take each step's post and limit from the
template step it matches (`map_steps`: 受理申请 ↔ 受理, 审核 ↔ 审查, 作出决定 ↔ 决定)."""

# name, role, working days
TEMPLATES: dict[str, list[tuple[str, str, int]]] = {
    # 行政许可法 第二十九条至第四十四条: 申请、受理（第三十二条，五日内）、审查（第三十四条）、
    # 决定（第四十二条，二十日）、送达（第四十四条，十日内颁发、送达）
    "01": [("申请", "申请人", 0), ("受理", "综合窗口", 5), ("审查", "业务科室", 10), ("决定", "分管负责人", 5),
           ("送达", "综合窗口", 10)],
    # 行政处罚法 第五十四条至第六十一条: 立案、调查取证（第五十五条）、审查（第五十八条法制审核）、
    # 告知（第四十四条、第四十五条陈述申辩）、决定（第五十七条）、送达（第六十一条，七日内）、执行（第六十六条）
    "02": [("立案", "执法机构", 7), ("调查取证", "执法人员", 30), ("审查", "法制审核机构", 7),
           ("告知", "执法机构", 5), ("决定", "机关负责人", 5), ("送达", "执法机构", 7), ("执行", "执法机构", 15)],
    # 行政强制法 第十八条、第二十四条、第二十七条: 报告批准、告知、实施（制作现场笔录）、
    # 决定（查封扣押决定书）、处理（第二十五条，三十日内作出处理决定）
    "03": [("审批", "机关负责人", 1), ("告知", "执法人员", 1), ("实施", "执法人员", 1), ("决定", "机关负责人", 1),
           ("处理", "执法机构", 30)],
    # 征收（税费、社会保险费等）: 核定、通知、缴纳、入库、催缴（《税收征收管理法》第三十二条、第四十条）
    "04": [("核定", "征收机构", 10), ("通知", "征收机构", 5), ("征收", "征收机构", 15), ("催缴", "征收机构", 15)],
    # 给付（救助、抚恤、补贴）: 申请、受理、审核（入户调查、公示）、审批、发放
    # （《社会救助暂行办法》第十一条: 审核、公示、审批）
    "05": [("申请", "申请人", 0), ("受理", "综合窗口", 5), ("审核", "业务科室", 15), ("公示", "业务科室", 7),
           ("审批", "分管负责人", 10), ("发放", "财务科室", 10)],
    # 检查: 双随机抽取、检查准备、实施检查（出示证件，行政处罚法 第五十五条）、处理、结果公示
    # （《国务院办公厅关于推广随机抽查规范事中事后监管的通知》）
    "06": [("抽取", "执法机构", 5), ("检查", "执法人员", 10), ("处理", "执法机构", 10), ("公示", "执法机构", 20)],
    # 确认（登记、认定）: 申请、受理、审查、确认、发证
    "07": [("申请", "申请人", 0), ("受理", "综合窗口", 5), ("审查", "业务科室", 15), ("确认", "分管负责人", 5),
           ("送达", "综合窗口", 5)],
    # 奖励: 推荐申报、审核、公示、决定、表彰（《国家功勋荣誉表彰条例》的申报、审核、公示、决定程序）
    "08": [("推荐", "推荐单位", 15), ("审核", "业务科室", 20), ("公示", "业务科室", 7), ("决定", "机关负责人", 10),
           ("表彰", "业务科室", 10)],
    # 裁决（权属争议等）: 申请、受理、答辩（通知被申请人）、调查、裁决、送达
    # （《土地权属争议调查处理办法》的受理、调查、调解、决定程序）
    "09": [("申请", "申请人", 0), ("受理", "法制机构", 5), ("答辩", "被申请人", 15), ("调查", "业务科室", 30),
           ("裁决", "机关负责人", 10), ("送达", "法制机构", 7)],
    # 其他行政权力: 行政许可法的一般程序（受理、审查、决定、送达）
    "10": [("受理", "综合窗口", 5), ("审查", "业务科室", 15), ("决定", "分管负责人", 5), ("送达", "综合窗口", 5)],
    # 公共服务: 一窗受理、办理、办结（《优化营商环境条例》第三十五条、第四十条）
    "20": [("受理", "综合窗口", 1), ("办理", "业务科室", 5), ("办结", "综合窗口", 1)],
    # 其他（地方）: as 其他行政权力
    "99": [("受理", "综合窗口", 5), ("审查", "业务科室", 15), ("决定", "分管负责人", 5), ("送达", "综合窗口", 5)],
}


def steps_of(category: str) -> list[dict]:
    rows = TEMPLATES.get(category) or TEMPLATES["10"]
    return [{"id": f"s{i + 1}", "name": name, "role": role, "time_limit_days": days}
            for i, (name, role, days) in enumerate(rows)]


def matches(step_name: str, risk_step: str) -> bool:
    """A risk point's step (`审查环节`, `调查取证阶段`) names a flowchart step (`审查`)."""
    bare = risk_step.strip()
    for suffix in ("环节", "阶段", "过程", "程序", "步骤"):
        bare = bare.removesuffix(suffix)
    return bool(bare) and (bare == step_name or bare in step_name or step_name in bare)


# Words that name the same kind of step (a department's 受理申请 is the template's 受理, its 审核 the
# template's 审查, its 作出决定 the template's 决定). A step is matched by the word that comes first in
# its name (Chinese puts the verb first: 受理申请 is an acceptance, 审核申请材料 a review).
SYNONYMS: list[tuple[str, ...]] = [
    ("申请", "申报", "提交", "递交", "报名"),
    ("受理", "收件", "接件", "接收"),
    ("审查", "审核", "初审", "复审", "核查", "审阅", "审验", "核实", "勘验", "评审", "查验", "核验", "研判"),
    ("决定", "审批", "批准", "核准", "签发", "签批", "审定", "作出"),
    ("送达", "发证", "颁证", "领证", "送证", "颁发", "制证", "寄送", "出证"),
    ("办结", "归档", "完成"),
    ("调查取证", "调查", "取证", "询问"),
    ("告知", "通知", "听证"),
    ("执行", "强制执行"),
    ("公示", "公开", "公告"),
    ("检查", "实施检查", "现场检查"),
    ("抽取", "制定计划", "随机抽取"),
]


def _group(word: str) -> tuple[str, ...]:
    return next((g for g in SYNONYMS if word in g), (word,))


def _hits(step_name: str, candidates: list[str]) -> list[tuple[int, int, str]]:
    """(position in the name, -length, candidate) of every candidate (or a synonym of it) in the name."""
    name = "".join(step_name.split())
    hits = []
    for candidate in candidates:
        for word in {candidate, *_group(candidate)}:
            at = name.find(word)
            if at >= 0:
                hits.append((at, -len(word), candidate))
    return sorted(hits)


def kind_of(step_name: str) -> str | None:
    """The kind of step a name stands for (the first word of SYNONYMS' groups it holds), or None."""
    hits = _hits(step_name, [g[0] for g in SYNONYMS])
    return hits[0][2] if hits else None


def is_application(step_name: str) -> bool:
    """A step that stands for the applicant's submission (申请, 提交申请, 申报), which opening a case
    records: never a clerk's step. 受理申请 is an acceptance (the verb comes first)."""
    return kind_of(step_name) == "申请"


def is_acceptance(step_name: str) -> bool:
    """A step that stands for the acceptance (受理, 受理申请, 接件受理, 收件受理), which opening a case
    is: the opening completes it when it leads the flowchart (after the application)."""
    return kind_of(step_name) == "受理"


def map_steps(category: str, names: list[str]) -> list[dict]:
    """Each of an item's own steps matched to a step of its category's template, so it gets that
    step's role and time limit: {"template", "role", "time_limit_days", "how"} with how 名称 (the
    name holds the template step's name), 同义 (a word of the same kind: 审核 for 审查) or 位置 (no
    word matched; as many steps as the template, the one in the same place), or {"template": None,
    "why": ...} when none fits."""
    rows = TEMPLATES.get(category) or TEMPLATES["10"]
    template = [r[0] for r in rows]
    found: list[dict | None] = []
    for name in names:
        exact = [r for r in rows if r[0] == name.strip()]
        if exact:
            found.append({"row": exact[0], "how": "名称"})
            continue
        hits = _hits(name, template)
        if not hits:
            found.append(None)
            continue
        best = hits[0][2]
        found.append({"row": rows[template.index(best)], "how": "名称" if best in "".join(name.split()) else "同义"})
    if len(names) == len(rows):
        taken = {f["row"][0] for f in found if f}
        for i, f in enumerate(found):
            if f is None and rows[i][0] not in taken:
                found[i] = {"row": rows[i], "how": "位置"}
    out = []
    for name, f in zip(names, found):
        if f is None:
            out.append({"template": None, "why": f"“{name}”与本类事项标准流程（{' → '.join(template)}）的环节"
                                                 f"名称都对不上，未取得岗位和时限"})
        else:
            out.append({"template": f["row"][0], "role": f["row"][1], "time_limit_days": f["row"][2],
                        "how": f["how"]})
    return out
