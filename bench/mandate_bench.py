"""Check (d), the mandate (三定), on a real county's list: the old word-overlap method against the
new one (cleanup/mandate.py), in the same run.

Data: 广安区's 1,135 real items (../shared/data/power_lists/guangan_511602_items.csv); the 三定
duties of twelve of its departments written for the purpose (cleanup/tests/guangan_duties.py);
27 real items planted under a department whose mandate is plainly another (an item of 交通 under
教科体局, …). Reported: the share of genuine items flagged (lower is better: each flag is a
reviewer's question) and the share of planted items flagged (recall: higher is better), the duties
no item carries, and the time of the check on 13,000 items over 60 departments. Then check (b),
the scope, old word list against the new patterns: flags on the real list (all false positives) and
on the tests' tables of internal matters and real powers.

    python bench/mandate_bench.py            # the table
    python bench/mandate_bench.py --show 30  # and the genuine items still flagged, with evidence
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "powerlist.settings")
os.environ.setdefault("POWERLIST_SECRET_KEY", "bench")

import django  # noqa: E402

django.setup()

import jieba  # noqa: E402

from powerlist.cleanup import mandate  # noqa: E402
from powerlist.cleanup.matching import NameNormaliser  # noqa: E402
from powerlist.cleanup.tests.guangan_duties import (CATEGORY_OF_TASK, DUTIES, guangan_rows,  # noqa: E402
                                                    planted_rows)
from powerlist.core.text import normalise  # noqa: E402

# the method before this change (cleanup/checks.py until then), kept here as the baseline
OLD_GENERIC = frozenset("对 的 和 与 及 或 等 未 按 按规定 规定 违反 行为 违法 处罚 行政 许可 审批 审核 登记 备案 "
                        "管理 监督 检查 办理 从事 进行 有关 相关 其他 工作 负责 组织 实施 依法 承担 指导 "
                        "经营 取得 活动 申请 单位 企业 情况 事项".split())


# the scope check's word list before this change (data/internal_terms.txt until then)
OLD_INTERNAL_TERMS = ("内部管理 内部审批 内部审核 考核本单位工作人员 本单位工作人员 本机关 机关内部 机关事务 干部任免 干部管理 "
                      "人事任免 内部财务 财务管理制度 内部审计 机关党建 公文处理 文件收发 会议组织 值班 考勤").split()


def scope_table(rows):
    """Check (b) on the real list (every flag is a false positive: it holds no internal matter) and on
    the test's internal matters and powers (cleanup/tests/test_reviewer_tells_internal_matters_from_powers.py)."""
    from powerlist.cleanup import scope
    from powerlist.cleanup.tests.test_reviewer_tells_internal_matters_from_powers import INTERNAL, POWERS

    def old(name):
        return any(t in normalise(name) for t in OLD_INTERNAL_TERMS)

    print(f"{'scope check (b)':<34} {'广安区 flagged':>14} {'internal found':>15} {'powers flagged':>15}")
    for label, flag in (("old: word list", old), ("new: pattern (scope.py)", scope.is_internal_matter)):
        real = sum(flag(r["item_name"]) for r in rows)
        found = sum(flag(n) for n in INTERNAL)
        wrong = sum(flag(n) for n in POWERS)
        print(f"{label:<34} {real:>7} / {len(rows)} {found:>8} / {len(INTERNAL)} {wrong:>8} / {len(POWERS)}")


def _old_words(text):
    return frozenset(w for w in jieba.cut_for_search(normalise(text)) if len(w) >= 2 and w not in OLD_GENERIC)


def old_method(items, duties):
    """outside codes, uncarried duty titles: jieba words of the name covered at 0.5 by ONE duty."""
    normaliser = NameNormaliser()
    words_of = {d: [(t, _old_words(f"{t} {c}")) for t, c in own] for d, own in duties.items()}
    outside, carried = set(), set()
    for code, name, _cat, department in items:
        own = words_of.get(department)
        if not own:
            continue
        words = _old_words(normaliser.key(name))
        scores = [(len(words & w) / len(words) if words else 0.0, t) for t, w in own]
        for s, t in scores:
            if s >= 0.5:
                carried.add((department, t))
        if max(scores)[0] < 0.5:
            outside.add(code)
    uncarried = {(d, t) for d, own in duties.items() for t, _c in own if (d, t) not in carried}
    return outside, uncarried


def new_method(items, duties, use_name=True):
    result = mandate.assess(items, {d: [mandate.Duty(n, t, c) for n, (t, c) in enumerate(own)]
                                    for d, own in duties.items()}, use_name=use_name)
    return ({item[0] for item, _v, _p in result.outside},
            {(d, duty.title) for d, duty, _n, _s in result.uncarried}, result)


def campaign_items(rows, departments=60, size=13_000):
    """13,000 distinct names over 60 departments, each a copy of one of the departments with duties."""
    with_duties = [r for r in rows if r["department"] in DUTIES]
    names = sorted(DUTIES)
    duties = {f"第{k}区{names[k % len(names)][1:]}": DUTIES[names[k % len(names)]] for k in range(departments)}
    by_source = {}
    for d in duties:
        by_source.setdefault("区" + d.split("区", 1)[1], []).append(d)
    items = []
    for n in range(size):
        r = with_duties[n % len(with_duties)]
        targets = by_source[r["department"]]
        items.append((f"C{n}", f"{r['item_name']}（{n}）", CATEGORY_OF_TASK.get(r["task_type_code"], "10"),
                      targets[n % len(targets)]))
    return items, duties


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="print this many genuine items still flagged")
    args = parser.parse_args()
    rows = guangan_rows()
    genuine = [(r["item_code"], r["item_name"], CATEGORY_OF_TASK.get(r["task_type_code"], "10"), r["department"])
               for r in rows if r["department"] in DUTIES]
    planted = [(r["item_code"], r["item_name"], CATEGORY_OF_TASK.get(r["task_type_code"], "10"), r["department"])
               for r in planted_rows(rows)]
    others = [(r["item_code"], r["item_name"], CATEGORY_OF_TASK.get(r["task_type_code"], "10"), r["department"])
              for r in rows if r["department"] not in DUTIES]
    items = genuine + planted + others  # the departments without duties are not judged, only compared with
    genuine_codes, planted_codes = {i[0] for i in genuine}, {i[0] for i in planted}
    n_duties = sum(len(v) for v in DUTIES.values())
    print(f"广安区 list: {len(rows)} items; {len(DUTIES)} departments with 三定 duties ({n_duties} duties), "
          f"{len(genuine)} genuine items of theirs, {len(planted)} planted items")
    print()
    header = f"{'method':<34} {'genuine flagged':>16} {'planted found':>14} {'duties uncarried':>17} {'seconds':>8}"
    print(header)
    print("-" * len(header))
    runs = [("old: jieba words vs one duty", lambda: old_method(items, DUTIES)[:2]),
            ("new: duties only (no name)", lambda: new_method(items, DUTIES, use_name=False)[:2]),
            ("new: duties + name + field", lambda: new_method(items, DUTIES)[:2])]
    for label, run in runs:
        mandate.item_matter.cache_clear()
        started = time.perf_counter()
        outside, uncarried = run()
        seconds = time.perf_counter() - started
        g, p = len(outside & genuine_codes), len(outside & planted_codes)
        print(f"{label:<34} {g:>6} / {len(genuine)} {g / len(genuine):>5.1%}"
              f" {p:>4} / {len(planted)} {p / len(planted):>4.0%} {len(uncarried):>8} / {n_duties:<6} {seconds:>8.2f}")
    print()
    _o, _u, result = new_method(items, DUTIES)
    print("new method, coverage alone under a threshold (without the closer-department rule):")
    for threshold in (0.2, 0.3, 0.4, 0.5, 0.6):
        flagged = {code for code, v in result.verdicts.items() if v.score < threshold}
        g, p = len(flagged & genuine_codes), len(flagged & planted_codes)
        print(f"  {threshold:.1f}: genuine flagged {g:>4} ({g / len(genuine):.1%}), planted found {p} / {len(planted)}")
    print()
    big, big_duties = campaign_items(rows)
    for label, run in [("old", lambda: old_method(big, big_duties)), ("new", lambda: new_method(big, big_duties))]:
        mandate.item_matter.cache_clear()
        started = time.perf_counter()
        found = run()
        print(f"13,000 items x 60 departments, {label}: {time.perf_counter() - started:.2f} s, "
              f"{len(found[0])} flagged")
    print()
    scope_table(rows)
    if args.show:
        _outside, _uncarried, result = new_method(items, DUTIES)
        print()
        print("genuine items still flagged (score, closest duty, found / not found):")
        for item, v, profile in result.outside[:args.show * 3]:
            if item[0] in genuine_codes:
                duty = profile.duties[v.best].title if v.best is not None else "-"
                print(f"  {item[3]} | {item[1]} | {v.score:.2f} | {duty} | {'、'.join(v.found)} / {'、'.join(v.missing)}"
                      f" | {v.closer} {v.closer_score or ''}")
        print("planted items missed:")
        for code in sorted(planted_codes - _outside):
            item = next(i for i in planted if i[0] == code)
            v = result.verdicts[code]
            print(f"  {item[3]} | {item[1]} | {v.score:.2f} | {'、'.join(v.found)} / {'、'.join(v.missing)}")
        print("duties uncarried:", "；".join(f"{d}:{t}" for d, t in sorted(_uncarried)))


if __name__ == "__main__":
    main()
