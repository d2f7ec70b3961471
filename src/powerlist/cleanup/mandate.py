"""Check (d), against the department's mandate (三定), as pure functions over names and texts.

An item belongs to its department when the meaningful part of its name is found in what the
department is for: its duties as a whole (all of its 三定 duties together, not one at a time) and
the field its own name says (教育局 ↔ 学校, 办学, 教师: data/department_fields.txt). Coverage is
counted by characters within whole words (jieba), so a word need not be repeated whole (民办学校 ↔
学校, 办学) and a piece never crosses two words; the evidence is the words themselves:

1. the item's name is reduced to its matching key (matching.NameNormaliser: brackets, levels,
   penalty phrasings) and cut into words; the words every item has (许可, 审批, 备案, 登记, 变更,
   办理, 经营, …) and those of a penalty's phrasing (或者, 未按照, 擅自, 伪造, 查封, …) are left
   out; what is left are the item's *matter* words (`民办学校`, `办学`);
2. a character of a segment is covered when a two-character piece holding it appears in the
   department's profile (its duties' titles and contents, its name, its field's words);
3. coverage = covered characters / characters of the segments; the closest duty is the one that
   alone covers most of them; a duty that also speaks of the item's kind (a 行政许可 item, a duty
   saying 行政许可 or 审批) adds CATEGORY_BONUS;
4. an item under MANDATE_THRESHOLD is looked at once more with rapidfuzz's partial ratio against
   each duty (a long matter written out whole in one duty); then it is flagged when it is under
   OUTSIDE_THRESHOLD (hardly anything of it in the mandate), or when another department of the list
   (by its duties or, without them, by its name) holds it CLOSER_MARGIN better: each flag carries
   the closest duty, the characters found and not found, and that other department.

A duty is carried when some item of the department is covered by that duty alone at
MANDATE_THRESHOLD or more, or, for a duty naming only a kind of power in the department's own field
(依法实施教育领域的行政许可), when an item of that kind fits the department; duties no list carries by
nature (交办的其他任务, 职能转变, 党的建设) are left out. Everything is set look-ups on two-character
pieces: 13,000 items over 60 departments in about two seconds on a busy machine (bench/mandate_bench.py).
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jieba
from rapidfuzz import fuzz

from powerlist.cleanup.matching import NameNormaliser
from powerlist.core.text import normalise

FIELDS_FILE = Path(__file__).with_name("data") / "department_fields.txt"
MANDATE_THRESHOLD = 0.5  # share of an item's matter characters found in its department's profile
OUTSIDE_THRESHOLD = 0.25  # under this, flagged whatever the other departments' profiles say
CLOSER_MARGIN = 0.25  # between the two, flagged when another department's profile holds this much more
CATEGORY_BONUS = 0.15  # the closest duty speaks of the item's kind (许可, 处罚, 给付, …)
PARTIAL_RESCUE = 0.8  # rapidfuzz partial ratio of the matter against one duty that clears an item

# words every item name has, whatever the department: actions, forms, generic nouns. Cut out of a
# name before its matter is looked for (longest first, so 经营许可 goes whole).
GENERIC = sorted(set("""
行政许可 行政处罚 行政强制 行政征收 行政给付 行政检查 行政确认 行政奖励 行政裁决 其他行政权力 公共服务
许可证 许可 审批 核准 批准 审查 审核 核发 核定 核实 备案 登记 注册 认定 确认 鉴定 评定 认证 证明 证书 证件
办理 申领 申请 申报 受理 发放 发证 签发 领取 补办 补发 换发 换证 换领 补证 遗失 挂失 新办 新增 首次 初次 初领
变更 延续 延期 注销 撤销 终止 暂停 恢复 过户 转入 转出 迁入 迁出 转移 接续 校验 年审 年检 续期 配发
设立 成立 开办 举办 设置 改变 改建 扩建 新建 分支机构 分公司 子公司
查询 咨询 政策 指引 预约 服务 信息 情况 材料 业务 相关 有关 其他 以及 包括 等 各类 部分
监督 检查 管理 处罚 处理 处分 强制 征收 奖励 裁决 给付 补助 补贴 资金 协议 费用
经营者 经营 从事 活动 开展 实施 进行 使用 取得 违反 违法 行为 规定 要求
单位 企业 机构 人员 个人 组织 公民 法人 场所 项目 工作 事项 范围 名称 地址 内容 条件 资格 资质 标准 目录 各种 一次性
依法 领域 方面 全区 全县 全市 负责 组织 指导 贯彻 执行 拟订 承担 落实 推进
补领 打印 修改 重置 维护 账户 支付 支取 报到 凭证 告知 报告 方案 结果 合格证 证照 中国 内地 基本 定期 临时 年度 状况 对象 符合 家庭
县级 市级 省级 区级 本级 内资 外资 对 的 和 与 及 或
""".split()), key=len, reverse=True)
_GENERIC = re.compile("|".join(map(re.escape, GENERIC)))
_GENERIC_SET = frozenset(GENERIC)
# the words a penalty's or a measure's phrasing adds around its matter (对……的处罚, 未按照规定……)
PHRASING = frozenset("""
或者 未经 擅自 按照 依照 未按 未按照 不按 不按照 拒不 拒绝 阻碍 造成 可能 严重 形式 其他 有关 规定 以上 以下 之一 情形
责令 限期 改正 逾期 不予 不得 应当 没有 未能 尚未 予以 给予 发现 依据 利用 通过 提供 导致 所有 一切
非法 伪造 变造 买卖 租借 出租 出借 转让 侵占 损毁 毁损 破坏 移动 改动 隐匿 篡改 毁弃 冒用 虚假 欺骗 欺诈 手段 骗取
销售 出售 提交 采取 相应 主管部门 具备 具有 配备 建立 遵守 制定 设有 未在 做出 作出 贡献 突出贡献 显著成绩 成绩 表彰
查封 扣押 暂扣 收缴 拆除 强制拆除 强制执行 停止 停产 停业 查询 进度 发布 宣传 知识 初审 指南 报名 惠民 签约
""".split())
_NOT_HAN = re.compile(r"[^\u3400-\u9fff]+")

# what a duty says when it speaks of an item's kind (Category codes of catalog.models)
CATEGORY_WORDS = {
    "01": ("行政许可", "许可", "审批"), "02": ("行政处罚", "处罚", "执法"), "03": ("行政强制", "强制", "执法"),
    "04": ("征收",), "05": ("给付", "救助", "补贴", "资助", "抚恤"), "06": ("监督检查", "检查"),
    "07": ("确认", "认定", "登记"), "08": ("奖励", "表彰"), "09": ("裁决", "调解", "纠纷"),
    "20": ("公共服务",),
}
# duties no list carries by nature
UNCARRIABLE = re.compile(r"交办的其他|职能转变|党的建设|党建|内设机构|人员编制|机构编制|自身建设")
_PLACE_PREFIX = re.compile(r"^.{0,12}?(?:省|市|州|县|区|旗)(?=[\u4e00-\u9fff]{2,})")
_DEPARTMENT_TAIL = re.compile(r"(?:分局|局|委员会|委|办公室|办|大队|支队|中心|部|处|厅)$")


@lru_cache(maxsize=1)
def department_fields() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """(name fragments, field words) per line of data/department_fields.txt."""
    out = []
    for line in FIELDS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        keys, words = line.split(":", 1)
        out.append((tuple(normalise(k) for k in keys.split("|") if k.strip()),
                    tuple(normalise(w) for w in words.split())))
    return tuple(out)


def name_core(department: str) -> str:
    """区交通运输局 → 交通运输; 广安区税务局 → 税务; 岳塘区市场监督管理局 → 市场监督管理."""
    key = normalise(department)
    key = _PLACE_PREFIX.sub("", key, count=1) if len(_PLACE_PREFIX.sub("", key, count=1)) >= 2 else key
    stripped = _DEPARTMENT_TAIL.sub("", key)
    return stripped if len(stripped) >= 2 else key


def field_names(department: str) -> tuple[str, ...]:
    """The names of the department's fields: its name's core and the fragments of the lines it takes
    (区教科体局 → 教科体, 教育, 教体, 教科, 体育, …)."""
    core = name_core(department)
    return (core,) + tuple(k for keys, _words in department_fields() if any(k in core for k in keys) for k in keys)


def field_words(department: str) -> tuple[str, ...]:
    """The words of the fields the department's name says (data/department_fields.txt)."""
    core = name_core(department)
    return tuple(w for keys, words in department_fields() if any(k in core for k in keys) for w in words)


def pieces(text: str) -> set[str]:
    """The two-character pieces of a text's Han runs."""
    out = set()
    for run in _NOT_HAN.split(normalise(text)):
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out


def matter(key: str) -> list[str]:
    """The matter words of a name's key, whole (jieba): the generic words and the words of a
    penalty's phrasing (或者, 未按照, 擅自) left out, a generic word inside a longer one cut off
    (执业许可 → 执业); words of two characters or more. Adjacent words are not joined, so no piece and
    no evidence crosses a word boundary (纳税人 / 未 / 按照, never 人未)."""
    out = []
    for word in jieba.lcut(key):
        if len(word) < 2 or word in _GENERIC_SET or word in PHRASING:
            continue
        out.extend(s for s in _NOT_HAN.split(_GENERIC.sub(" ", word)) if len(s) >= 2)
    return out


def covered(segments: list[str], has) -> tuple[int, int, list[str], list[str]]:
    """(covered characters, all characters, words found, words not found) of `segments` (whole
    words) where a character is covered when a two-character piece holding it satisfies `has`; a
    word is found when half its characters or more are."""
    found, missing, hit, total = [], [], 0, 0
    for seg in segments:
        marks = [False] * len(seg)
        for i in range(len(seg) - 1):
            if has(seg[i:i + 2]):
                marks[i] = marks[i + 1] = True
        total += len(seg)
        hit += sum(marks)
        bucket = found if 2 * sum(marks) >= len(seg) else missing  # the word whole, never a piece of it
        if seg not in bucket:
            bucket.append(seg)
    return hit, total, found, missing


@dataclass
class Duty:
    key: int  # the caller's id of the duty
    title: str
    content: str = ""
    text: str = field(init=False)
    pieces: set = field(init=False)

    def __post_init__(self):
        self.text = normalise(f"{self.title} {self.content}")
        self.pieces = pieces(self.text)


class Profile:
    """What one department is for: its duties, its name and its field's words, as pieces."""

    def __init__(self, department: str, duties: list[Duty], use_name: bool = True):
        self.department = department
        self.duties = duties
        self.name_pieces = set()
        if use_name:
            self.name_pieces = pieces(name_core(department)) | {p for w in field_words(department) for p in pieces(w)}
        self.pieces = self.name_pieces.union(*(d.pieces for d in duties)) if duties else set(self.name_pieces)
        self.duties_of = defaultdict(list)  # piece -> indexes of the duties holding it
        for n, d in enumerate(duties):
            for p in d.pieces:
                self.duties_of[p].append(n)
        # duties that name a kind of power in the department's own field and nothing narrower
        # (依法实施教育领域的行政许可): every item of that kind the department holds carries them
        fields = {p for f in field_names(department) for p in pieces(f)}
        self.kind_duties = {}
        for category, words in CATEGORY_WORDS.items():
            self.kind_duties[category] = [n for n, d in enumerate(duties) if any(w in d.text for w in words)
                                          and _share(matter(d.text), fields) >= 0.5]


def _share(segments: list[str], known: set) -> float:
    hit, total, _f, _m = covered(segments, known.__contains__)
    return hit / total if total else 1.0


@dataclass
class Verdict:
    score: float  # 0-1, None-free: an item with no matter scores 1 (nothing to hold against it)
    best: int | None  # index of the closest duty in the profile's duties
    by_duty: dict[int, float]  # duty index -> that duty's coverage alone (only duties that cover some)
    found: list[str]
    missing: list[str]
    via_name: bool = False  # found through the department's name and field rather than its duties
    category: str = ""  # the kind word the closest duty shares with the item
    partial: float = 0.0  # rapidfuzz partial ratio against the closest duty, when looked at
    coverage: float = 0.0  # the share of characters found, before the bonus and the second look
    closer: str = ""  # another department whose profile holds the item clearly better
    closer_score: float = 0.0

    @property
    def weak(self) -> bool:
        return self.score < MANDATE_THRESHOLD

    @property
    def outside(self) -> bool:
        return self.score < OUTSIDE_THRESHOLD or (self.score < MANDATE_THRESHOLD and bool(self.closer))


def _hits_by_holder(segments: list[str], holders: dict) -> dict:
    """holder -> characters of `segments` covered by the pieces that holder holds, in one pass."""
    marks = defaultdict(set)
    offset = 0
    for seg in segments:
        for i in range(len(seg) - 1):
            for h in holders.get(seg[i:i + 2], ()):
                marks[h].update((offset + i, offset + i + 1))
        offset += len(seg) + 1
    return {h: len(m) for h, m in marks.items()}


class Others:
    """Every department's profile by piece: which department, other than an item's own, holds it best."""

    def __init__(self, profiles: dict[str, "Profile"]):
        self.holders = defaultdict(list)
        for department, profile in profiles.items():
            for p in profile.pieces:
                self.holders[p].append(department)

    def best(self, segments: list[str], own: str) -> tuple[str, float]:
        hits = _hits_by_holder(segments, self.holders)
        hits.pop(own, None)
        total = sum(len(seg) for seg in segments)
        if not hits or not total:
            return "", 0.0
        department = max(sorted(hits), key=hits.get)
        return department, hits[department] / total


_normaliser = NameNormaliser()


@lru_cache(maxsize=100_000)
def item_matter(name: str) -> tuple[str, ...]:
    return tuple(matter(_normaliser.key(name)))


def judge(name: str, category: str, profile: Profile, others: Others | None = None) -> Verdict:
    """How well one item's name fits its department's profile."""
    segments = list(item_matter(name))
    if not segments:
        return Verdict(1.0, None, {}, [], [])
    hit, total, found, missing = covered(segments, profile.pieces.__contains__)
    by_duty = {}
    if profile.duties:
        for n, h in _hits_by_holder(segments, profile.duties_of).items():
            by_duty[n] = h / total
    score = hit / total
    if score >= MANDATE_THRESHOLD:
        for n in profile.kind_duties.get(category, ()):
            by_duty[n] = max(by_duty.get(n, 0.0), score)
    best = max(by_duty, key=by_duty.get) if by_duty else (0 if profile.duties else None)
    duty_hit = max((by_duty[n] for n in by_duty if n not in profile.kind_duties.get(category, ())), default=0.0)
    verdict = Verdict(score, best, by_duty, found, missing, via_name=score > duty_hit, coverage=score)
    if best is not None and score > 0:
        words = CATEGORY_WORDS.get(category, ())
        shared = next((w for w in words if w in profile.duties[best].text), "")
        if shared:
            verdict.category = shared
            verdict.score = min(1.0, score + CATEGORY_BONUS)
    core = "".join(segments)
    if verdict.weak and profile.duties and len(core) >= 4:  # once more, with rapidfuzz on the whole matter
        ratios = [(fuzz.partial_ratio(core, d.text) / 100, n) for n, d in enumerate(profile.duties)]
        ratio, n = max(ratios)
        verdict.partial = round(ratio, 2)
        if ratio >= PARTIAL_RESCUE:
            verdict.best, verdict.score = n, max(verdict.score, ratio)
    if verdict.weak and others is not None:
        department, other = others.best(segments, profile.department)
        if other >= verdict.coverage + CLOSER_MARGIN:
            verdict.closer, verdict.closer_score = department, round(other, 2)
    return verdict


def uncarriable(duty: Duty) -> bool:
    return bool(UNCARRIABLE.search(duty.text))


@dataclass
class Assessment:
    outside: list  # (item, Verdict, Profile) of the items found outside their department's mandate
    uncarried: list  # (department, Duty, closest item or None, its coverage by that duty)
    verdicts: dict = field(default_factory=dict)  # item key -> Verdict, every item judged
    judged: set = field(default_factory=set)  # the departments whose items were judged


def assess(items, duties: dict[str, list[Duty]], use_name: bool = True) -> Assessment:
    """Every item (key, name, category, department) against its department's profile; departments
    without recorded duties are not judged (nothing to compare) but, by their names, are among the
    departments an item may fit better."""
    items = list(items)
    profiles = {d: Profile(d, own, use_name) for d, own in duties.items() if own}
    comparators = dict(profiles)
    if use_name:
        for department in ({item[3] for item in items} | set(duties)) - set(profiles):
            comparators[department] = Profile(department, [], True)
    others = Others(comparators)
    result = Assessment([], [])
    carried = defaultdict(dict)  # department -> duty index -> (best coverage by that duty alone, item name)
    for item in items:
        key, name, category, department = item[:4]
        profile = profiles.get(department)
        if profile is None:
            continue
        result.judged.add(department)
        verdict = judge(name, category, profile, others)
        result.verdicts[key] = verdict
        for n, s in verdict.by_duty.items():
            if s > carried[department].get(n, (0.0, ""))[0]:
                carried[department][n] = (s, name)
        if verdict.outside:
            result.outside.append((item, verdict, profile))
    for department, profile in profiles.items():
        if department not in result.judged:
            continue
        for n, duty in enumerate(profile.duties):
            s, name = carried[department].get(n, (0.0, None))
            if s < MANDATE_THRESHOLD and not uncarriable(duty):
                result.uncarried.append((department, duty, name, round(s, 2)))
    return result
