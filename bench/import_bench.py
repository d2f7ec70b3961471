"""Import throughput and memory: CSV and XLSX imports against the bare cost of the same work.

    python bench/import_bench.py [--items 100000] [--db sqlite|postgres|both] [--seed 1]

What it does, per run:

1. Generates N realistic items (seeded, so every run writes the same files) into one CSV
   (UTF-8) and one XLSX (openpyxl write_only), in a temporary directory, through
   `EXPORT_HEADERS` and `document_to_row` -- the same shape the export writes.
2. Bare reads of the files (no database): openpyxl in read-only mode iterating every row with
   values_only=True (the XLSX baseline), and csv.reader over the CSV (for information).
3. For each database: a fresh database (SQLite file in the temporary directory, or a
   throwaway PostgreSQL database), `powerlist migrate` and `powerlist jurisdictions load`, then
   a. the CSV import (`import_file`, create_organisations=True) into 430304 湘潭市岳塘区;
   b. baselines: every row the import wrote is read back with a plain SELECT into tuples, the
      tables are emptied, and -- timed -- rows are inserted again in one transaction, one
      `cursor.executemany` per table (Django's cursor, as the import uses):
      "raw rows"          items, their five element tables and the change records;
      "raw rows + search" the same plus the search-index rows (FTS5 table on SQLite, tsvector
                          table on PostgreSQL), when the schema has an index;
      "raw COPY"          PostgreSQL only, all of them with COPY (the import's own bulk path there);
      "item rows only"    catalog_poweritem alone;
   c. the XLSX import into a second fresh database.

Each measured operation runs in its own subprocess, which prints JSON with its wall time and
its peak RSS (ru_maxrss at the end of the child), so memory is per operation; when the
operation starts processes of its own (the XLSX reader may), their largest peak is shown
after a plus sign. The sum bounds the memory the operation held at once. "busy cores" is how
many of the machine's cores were busy during the timed part, whoever kept them busy: about 1
for SQLite and the bare reads, up to about 2 for PostgreSQL (its server works beside the
child) or an import that reads in a second process; 2 with nothing of ours to explain it
means other work disturbed the figure. Only the
operation is timed; Django set-up, the SELECT that prepares the baseline rows and the
row counts afterwards are not. Ratios are import items/s over baseline items/s.

These are figures to read, not to assert: no test depends on them.
"""

import argparse
import csv
import functools
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DIVISIONS = os.environ.get("POWERLIST_DIVISIONS") or str(Path(__file__).resolve().parents[2] / "shared" / "data" / "divisions")
JURISDICTION = "430304"  # 湘潭市岳塘区
PG_BASE = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_ARGS = ["-h", "127.0.0.1", "-U", "postgres"]


def _peak_rss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "powerlist.settings")
    import django

    django.setup()


def _busy_jiffies() -> tuple[int, int]:
    """(busy, total) CPU jiffies of the whole machine so far, from /proc/stat."""
    with open("/proc/stat") as fh:
        values = [int(v) for v in fh.readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


class Timed:
    """Wall time of a block, and how many cores the whole machine kept busy meanwhile, so a
    figure disturbed by other work says so: expect about 1 for SQLite and the bare reads, 1 to
    1.6 for PostgreSQL, whose server works beside the child; 2 means the machine was full."""

    def __enter__(self):
        self.jiffies = _busy_jiffies()
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
        busy, total = (b - a for a, b in zip(self.jiffies, _busy_jiffies(), strict=True))
        self.busy_cores = round(busy / max(1, total) * (os.cpu_count() or 1), 2)

    def result(self, **values) -> dict:
        return {"seconds": self.seconds, "busy_cores": self.busy_cores, **values}


# ---------------------------------------------------------------------------------------------
# the generated list

PLACE = "湘潭市岳塘区"
DEPARTMENTS = [
    "区发展和改革局", "区教育局", "区科学技术和工业信息化局", "湘潭市公安局岳塘分局", "区民政局", "区司法局",
    "区财政局", "区人力资源和社会保障局", "湘潭市自然资源和规划局岳塘分局", "湘潭市生态环境局岳塘分局",
    "区住房和城乡建设局", "区交通运输局", "区农业农村局", "区水利局", "区商务局", "区文化旅游广电体育局",
    "区卫生健康局", "区退役军人事务局", "区应急管理局", "区审计局", "区市场监督管理局", "区统计局", "区医疗保障局",
    "区城市管理和综合执法局", "区林业局", "区人民防空办公室", "区行政审批服务局", "区档案馆", "区消防救援大队",
    "国家税务总局湘潭市岳塘区税务局", "区残疾人联合会", "区机关事务服务中心", "区信访局", "区数据资源局",
    "区粮食和物资储备局",
]
OFFICES = ["政策法规股", "行政审批股", "综合执法大队", "监督检查股", "办公室", "业务股", "执法监察大队",
           "安全监管股", "规划建设股", "社会事务股", "财务股", "市场规范股"]
# (code, weight, code prefix): penalties dominate real lists
CATEGORIES = [("01", 8, "XK"), ("02", 52, "CF"), ("03", 5, "QZ"), ("04", 2, "ZS"), ("05", 3, "JF"),
              ("06", 11, "JC"), ("07", 4, "QR"), ("08", 2, "JL"), ("09", 1, "CJ"), ("10", 7, "QT"),
              ("20", 4, "GG"), ("99", 1, "DF")]
LAWS = [
    "《中华人民共和国行政许可法》", "《中华人民共和国行政处罚法》", "《中华人民共和国行政强制法》",
    "《中华人民共和国食品安全法》", "《中华人民共和国安全生产法》", "《中华人民共和国环境保护法》",
    "《中华人民共和国大气污染防治法》", "《中华人民共和国水污染防治法》", "《中华人民共和国固体废物污染环境防治法》",
    "《中华人民共和国水法》", "《中华人民共和国城乡规划法》", "《中华人民共和国建筑法》", "《中华人民共和国道路交通安全法》",
    "《中华人民共和国药品管理法》", "《中华人民共和国消防法》", "《中华人民共和国教育法》", "《中华人民共和国民办教育促进法》",
    "《中华人民共和国社会保险法》", "《中华人民共和国劳动合同法》", "《中华人民共和国产品质量法》", "《中华人民共和国广告法》",
    "《中华人民共和国价格法》", "《中华人民共和国统计法》", "《中华人民共和国审计法》", "《中华人民共和国档案法》",
    "《中华人民共和国森林法》", "《中华人民共和国动物防疫法》", "《中华人民共和国种子法》", "《中华人民共和国文物保护法》",
    "《中华人民共和国人民防空法》", "《中华人民共和国特种设备安全法》", "《中华人民共和国计量法》",
    "《娱乐场所管理条例》", "《城市市容和环境卫生管理条例》", "《物业管理条例》", "《医疗机构管理条例》",
    "《建设工程质量管理条例》", "《危险化学品安全管理条例》", "《湖南省实施〈中华人民共和国食品安全法〉办法》",
    "《湖南省城市综合管理条例》", "《湘潭市城市市容和环境卫生管理条例》", "《生产安全事故应急条例》",
]
SUBJECTS = ["食品经营", "建筑工程施工", "燃气经营", "民办学校", "医疗机构执业", "排污", "户外广告设置", "城市道路占用",
            "危险化学品经营", "娱乐场所", "药品零售", "特种设备使用", "人力资源服务", "养老机构", "劳务派遣",
            "道路货物运输", "出租汽车经营", "林木采伐", "取水", "文物保护单位修缮", "种子生产经营", "动物诊疗",
            "建设工程规划", "城镇污水排入排水管网", "生鲜乳收购", "拖拉机驾驶", "计量器具制造", "放射诊疗",
            "公共场所卫生", "幼儿园办园", "社会团体登记", "殡葬设施建设"]
LICENCE_SUFFIX = ["许可", "许可证核发", "审批", "备案", "许可证延续", "许可证变更"]
VIOLATIONS = ["未取得许可擅自从事{s}活动", "{s}活动中不按规定建立台账", "伪造、变造、出租、出借{s}许可证件",
              "{s}单位未按规定开展安全生产教育和培训", "{s}过程中未如实记录相关信息", "拒绝、阻碍{s}监督检查",
              "{s}场所不符合规定条件继续经营", "超越许可范围从事{s}活动", "{s}未按规定公示相关信息",
              "{s}中使用不符合标准的设施设备", "{s}单位未按规定报送统计资料", "{s}中违反规定排放污染物"]
ACTORS = ["生产经营单位", "经营者", "建设单位", "施工单位", "医疗机构", "用人单位", "培训机构", "物业服务企业",
          "运输企业", "个体工商户"]
CLAUSES = [
    "县级以上地方人民政府有关主管部门依照本法和本级人民政府规定的职责，负责本行政区域的监督管理工作",
    "从事{s}活动，应当依法取得许可，并在许可范围内开展经营",
    "违反本法规定，未取得许可从事{s}活动的，由县级以上地方人民政府主管部门没收违法所得",
    "责令改正，给予警告；拒不改正的，处五千元以上五万元以下罚款",
    "情节严重的，责令停产停业，直至吊销许可证",
    "申请人应当对其申请材料实质内容的真实性负责",
    "行政机关应当自受理行政许可申请之日起二十日内作出行政许可决定",
    "对直接负责的主管人员和其他直接责任人员依法给予处分；构成犯罪的，依法追究刑事责任",
    "主管部门应当建立健全监督制度，通过核查反映被许可人从事行政许可事项活动情况的有关材料，履行监督责任",
    "有关单位和个人应当予以配合，如实提供有关资料，不得拒绝、阻碍",
    "应当按照国家有关规定建立健全安全生产责任制，保障必要的投入",
    "造成他人损害的，依法承担民事责任",
    "发现违法行为的，应当依法及时处理；不属于本部门职责范围的，应当移送有权处理的部门",
    "对举报属实的，按照有关规定给予奖励",
    "实施监督检查，不得妨碍被检查单位正常的生产经营活动，不得索取或者收受财物，不得谋取其他利益",
]
RESPONSIBILITY_STAGES = {
    # category family: [(phase, stage, content template)]
    "licence": [
        ("before", "受理责任", "公示依法应当提交的材料，一次性告知补正材料，依法受理或不予受理（不予受理的应当告知理由）"),
        ("during", "审查责任", "对申请材料进行审查，提出审查意见；需要现场核查的，组织两名以上工作人员进行现场核查"),
        ("during", "决定责任", "作出准予许可或者不予许可的决定，不予许可的应当说明理由并告知申请人享有的权利"),
        ("during", "送达责任", "准予许可的，制发许可证件，依法送达并予以公开"),
        ("after", "事后监管责任", "建立实施监督检查的运行机制和管理制度，开展定期和不定期检查，依法采取相关处置措施"),
        ("after", "其他责任", "法律法规规章文件规定应履行的其他责任"),
    ],
    "enforce": [
        ("before", "立案责任", "对在监督检查中发现或者接到举报、控告的违法行为，予以审查，决定是否立案"),
        ("during", "调查责任", "对立案的案件，指定专人负责，及时组织调查取证，与当事人有直接利害关系的应当回避"),
        ("during", "审查责任", "对案件违法事实、证据、调查取证程序、法律适用、处罚种类和幅度、当事人陈述和申辩理由等进行审查"),
        ("during", "告知责任", "作出行政处罚决定前，书面告知当事人拟作出处罚的事实、理由、依据及其依法享有的陈述、申辩、要求听证的权利"),
        ("during", "决定责任", "制作行政处罚决定书，载明违法事实和证据、处罚依据和内容、申请行政复议或提起行政诉讼的途径和期限"),
        ("during", "送达责任", "行政处罚决定书按法律规定的方式送达当事人"),
        ("after", "执行责任", "依照生效的行政处罚决定，监督当事人履行；当事人逾期不履行的，依法申请人民法院强制执行"),
        ("after", "其他责任", "法律法规规章文件规定应履行的其他责任"),
    ],
    "service": [
        ("before", "受理责任", "公示办理条件、所需材料和办理流程，对申请材料齐全、符合法定形式的予以受理"),
        ("during", "审核责任", "对申请人提交的材料进行审核，必要时进行实地核查"),
        ("during", "办结责任", "在承诺时限内办结，并将结果告知申请人"),
        ("after", "监管责任", "对办理情况进行跟踪管理，发现问题及时纠正"),
        ("after", "其他责任", "法律法规规章文件规定应履行的其他责任"),
    ],
}
ACCOUNTABILITY = [
    "对符合法定条件的申请不予受理、不予许可或者不在法定期限内作出决定的",
    "对不符合法定条件的申请人准予许可或者超越法定职权作出许可决定的",
    "没有法律、法规或者规章依据实施行政处罚的",
    "擅自改变行政处罚种类、幅度的",
    "违反法定的行政处罚程序的",
    "对应当予以制止和处罚的违法行为不予制止、处罚，致使公民、法人或者其他组织的合法权益受到损害的",
    "在实施监督检查中索取或者收受他人财物或者谋取其他利益的",
    "不依法履行监督职责或者监督不力，造成严重后果的",
    "违反规定泄露当事人商业秘密或者个人隐私的",
    "将罚款、没收的违法所得或者财物截留、私分或者变相私分的",
    "办理过程中滥用职权、玩忽职守、徇私舞弊的",
    "其他违反法律法规规章文件规定的行为",
]
RISKS = [
    ("受理环节", "对符合条件的申请不予受理，或对不符合条件的申请违规受理", "严格执行一次性告知制度，公开受理条件和材料清单"),
    ("审查环节", "审查不严，降低标准或者故意刁难申请人", "实行审查与决定相分离，建立审查责任追究制度"),
    ("决定环节", "违规作出决定，滥用自由裁量权", "严格执行裁量基准，重大事项集体讨论决定"),
    ("调查环节", "调查取证不全面、不客观，选择性执法", "执法全过程记录，两人以上共同执法并出示执法证件"),
    ("执行环节", "不按规定执行处罚决定，以罚代刑", "建立案件移送制度，执行情况纳入执法监督"),
    ("送达环节", "不按时送达，故意拖延", "建立送达登记台账，明确送达时限"),
]
RISK_LEVELS = ["high", "medium", "medium", "low"]
DISCRETION = [
    ("轻微", "首次违法，违法行为轻微并及时改正，没有造成危害后果的", "不予行政处罚"),
    ("一般", "违法行为持续时间较短，社会危害较小的", "处{a}元以上{b}元以下罚款"),
    ("较重", "违法行为持续时间较长，或者经责令改正后仍未改正的", "处{b}元以上{c}元以下罚款"),
    ("严重", "违法行为造成严重后果或者社会影响恶劣的", "处{c}元以上{d}万元以下罚款，并责令停产停业"),
]
FLOWS = {
    "licence": "申请 → 受理 → 审查 → 决定 → 送达",
    "enforce": "立案 → 调查取证 → 审查 → 告知 → 决定 → 送达 → 执行",
    "check": "制定检查计划 → 实施检查 → 处理 → 归档",
    "service": "申请 → 受理 → 审核 → 办结",
}


def _family(category: str) -> str:
    if category in ("02", "03", "04", "09"):
        return "enforce"
    if category in ("01", "07", "10", "99"):
        return "licence"
    return "service"


def _name(rnd: random.Random, category: str, subject: str) -> str:
    if category == "01":
        return subject + rnd.choice(LICENCE_SUFFIX)
    if category == "02":
        return f"对{rnd.choice(ACTORS)}{rnd.choice(VIOLATIONS).format(s=subject)}的行政处罚"
    if category == "03":
        return f"对{subject}中涉嫌违法的物品、设施、场所的查封、扣押"
    if category == "04":
        return f"{subject}相关费用征收"
    if category == "05":
        return f"{subject}从业困难人员补助发放"
    if category == "06":
        return f"对{subject}{rnd.choice(['活动', '单位', '场所'])}的监督检查"
    if category == "07":
        return f"{subject}资格认定"
    if category == "08":
        return f"对{subject}工作中成绩显著的单位和个人的表彰奖励"
    if category == "09":
        return f"{subject}权属争议裁决"
    if category == "20":
        return f"{subject}信息查询服务"
    return f"{subject}情况备案"


def _citation(rnd: random.Random, law: str, subject: str) -> str:
    article = rnd.randint(2, 120)
    text = "；".join(rnd.choice(CLAUSES).format(s=subject) for _ in range(rnd.randint(1, 3)))
    para = f"第{rnd.randint(1, 3)}款" if rnd.random() < 0.3 else ""
    return f"{law}第{article}条{para}：{text}。"


@functools.cache
def _department(dept: int) -> tuple[str, list[str], list[str], str]:
    """Name, laws, subjects and phone of a department: each draws from its own few."""
    drnd = random.Random(dept)
    name = DEPARTMENTS[dept]
    name = PLACE + name[1:] if name.startswith("区") else name
    return name, drnd.sample(LAWS, 3), drnd.sample(SUBJECTS, 4), f"0731-5{drnd.randrange(1000000, 9999999)}"


def make_document(rnd: random.Random, number: int) -> dict:
    """One item document, as the export would write it."""
    dept = rnd.randrange(len(DEPARTMENTS))
    organisation, laws, subjects, phone = _department(dept)
    category, _w, prefix = rnd.choices(CATEGORIES, weights=[w for _c, w, _p in CATEGORIES])[0]
    subject = rnd.choice(subjects)
    family = _family(category)
    name = _name(rnd, category, subject)
    citations = [{"kind": "setting", "text": _citation(rnd, laws[0], subject)}]
    if rnd.random() < 0.5:
        citations.append({"kind": rnd.choice(["setting", "implementing"]), "text": _citation(rnd, laws[1], subject)})
    stages = RESPONSIBILITY_STAGES[family]
    n_resp = min(len(stages), rnd.randint(4, 6))
    keep = sorted(rnd.sample(range(len(stages)), n_resp))
    responsibilities = [{"phase": stages[i][0], "stage": stages[i][1], "content": stages[i][2]} for i in keep]
    accountability = rnd.sample(ACCOUNTABILITY, 3)
    risk_points = [{"level": rnd.choice(RISK_LEVELS), "step": step, "description": desc, "prevention": prev}
                   for step, desc, prev in rnd.sample(RISKS, rnd.randint(1, 2))]
    discretion = []
    if category == "02":
        a = rnd.choice([500, 1000, 2000, 5000])
        amounts = {"a": a, "b": a * 3, "c": a * 6, "d": max(1, a * 10 // 10000)}
        discretion = [{"grade": g, "circumstance": c, "penalty": p.format(**amounts)}
                      for g, c, p in DISCRETION[:rnd.randint(2, 4)]]
    flow = FLOWS["check"] if category == "06" else FLOWS[family]
    licence = family == "licence"
    statutory = rnd.choice([20, 20, 15, 10, 30]) if licence else None
    return {
        "code": f"{JURISDICTION}-{prefix}-{dept + 1:02d}-{number:06d}",
        "name": name,
        "plain_name": (subject + "办理") if licence and rnd.random() < 0.3 else "",
        "main_item": name if rnd.random() < 0.7 else f"{subject}管理",
        "category": category,
        "list_kind": "public_service" if category == "20" else "government",
        "organisation": organisation,
        "handling_office": rnd.choice(OFFICES),
        "exercise_levels": rnd.choice(["区级", "市级、区级", "区级、乡镇（街道）"]),
        "power_source": rnd.choices(["statutory", "authorised", "entrusted"], weights=[90, 6, 4])[0],
        "citations": citations,
        "statutory_limit_days": statutory,
        "promised_limit_days": (max(1, statutory // 2) if statutory else None),
        "limit_note": "即办件" if not licence and rnd.random() < 0.05 else "",
        "fee_basis": "",
        "fee_standard": "不收费",
        "conditions": (f"申请人具备从事{subject}活动相应的场所、设施设备和专业技术人员，符合法律法规规定的其他条件"
                       if licence else ""),
        "materials": ("申请书\n营业执照或身份证明复印件\n场所使用证明\n专业技术人员资格证明\n相关管理制度文本"
                      if licence else ""),
        "result_documents": (f"{subject}许可证" if category == "01" else
                             "行政处罚决定书" if category == "02" else ""),
        "responsibilities": responsibilities,
        "accountability": accountability,
        "risk_points": risk_points,
        "discretion": discretion,
        "flowchart": {"steps": [{"name": s} for s in flow.split(" → ")]},
        "supervision_phone": phone,
        "status": rnd.choices(["published", "draft"], weights=[85, 15])[0],
        "valid_from": f"20{rnd.randint(19, 24)}-{rnd.randint(1, 12):02d}-01",
        "valid_to": None,
    }


def generate(n: int, seed: int, out: Path) -> dict:
    import openpyxl

    from powerlist.catalog.documents import EXPORT_HEADERS, document_to_row

    rnd = random.Random(seed)
    csv_path, xlsx_path = out / "items.csv", out / "items.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("权力清单")
    ws.append(EXPORT_HEADERS)
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(EXPORT_HEADERS)
        for number in range(1, n + 1):
            row = document_to_row(make_document(rnd, number))
            writer.writerow(row)
            ws.append(row)
    wb.save(xlsx_path)
    return {"csv": str(csv_path), "xlsx": str(xlsx_path), "csv_mb": csv_path.stat().st_size / 2**20,
            "xlsx_mb": xlsx_path.stat().st_size / 2**20}


# ---------------------------------------------------------------------------------------------
# the measured operations (each in a child process)

def child_generate(args) -> dict:
    _django()
    with Timed() as timed:
        result = generate(args.items, args.seed, Path(args.out))
    return timed.result(**result)


def child_read_xlsx(args) -> dict:
    import openpyxl  # no Django in this child: the bare read alone

    rows = cells = 0
    with Timed() as timed:
        wb = openpyxl.load_workbook(args.file, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                rows += 1
                cells += sum(v is not None for v in row)
        wb.close()
    return timed.result(items=rows - 1, cells=cells)


def child_read_csv(args) -> dict:
    rows = 0
    with Timed() as timed, open(args.file, encoding="utf-8", newline="") as fh:
        for _row in csv.reader(fh):
            rows += 1
    return timed.result(items=rows - 1)


# The tables the import writes, parents first: the item, its five element tables, the change
# records (the brief's "raw rows"), and the search index when the schema has one.
ITEM_TABLES = ["catalog_poweritem", "catalog_citation", "catalog_responsibilityitem",
               "catalog_accountabilitysituation", "catalog_riskpoint", "catalog_discretionbenchmark",
               "catalog_changerecord"]
SEARCH_TABLES = {"catalog_search": ["rowid", "name", "plain", "main", "basis"],  # SQLite FTS5
                 "catalog_searchdoc": ["item_id", "doc"]}  # PostgreSQL tsvector + GIN


def _written_tables() -> dict[str, list[str]]:
    """table -> columns, for every table the import writes into, parents first."""
    from django.apps import apps
    from django.db import connection

    by_table = {m._meta.db_table: m for m in apps.get_models()}
    tables = {t: [f.column for f in by_table[t]._meta.concrete_fields] for t in ITEM_TABLES}
    present = set(connection.introspection.table_names())
    tables |= {t: cols for t, cols in SEARCH_TABLES.items() if t in present}
    return tables


def _row_counts() -> dict:
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for table in _written_tables():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def child_import(args) -> dict:
    _django()
    from powerlist.catalog.services.imports import import_file
    from powerlist.core.models import Jurisdiction
    from powerlist.core.scope import SYSTEM

    jurisdiction = Jurisdiction.objects.get(code=JURISDICTION)
    with Timed() as timed:
        report = import_file(SYSTEM, args.file, jurisdiction, create_organisations=True)
    counts = _row_counts()
    return timed.result(items=report.created, rows=sum(counts.values()), tables=counts,
                        organisations_created=len(report.organisations_created), sources=loaded_sources())


RAW = {  # op -> (tables timed, COPY instead of executemany)
    "raw-rows": (lambda tables: [t for t in tables if t in ITEM_TABLES], False),
    "raw-rows-search": (lambda tables: list(tables), False),
    "raw-copy": (lambda tables: list(tables), True),
    "raw-items": (lambda tables: ["catalog_poweritem"], False),
}


def child_raw(args) -> dict:
    """Re-insert rows the import wrote, with executemany or (PostgreSQL) COPY, in one
    transaction. Prepared before timing: every written table is read back with a plain SELECT
    into tuples, then emptied (and vacuumed), so the timed insert starts from the same empty
    tables the import found. Afterwards, untimed, the tables not measured are filled again so
    that every baseline finds the database as the import left it."""
    _django()
    from django.db import connection, transaction

    qn = connection.ops.quote_name
    tables = _written_tables()
    timed, use_copy = RAW[args.op]
    timed = timed(tables)
    prepared = {}
    with connection.cursor() as cursor:
        for table, columns in tables.items():
            cols = ", ".join(qn(c) for c in columns)
            cursor.execute(f"SELECT {cols} FROM {qn(table)} ORDER BY {qn(columns[0])}")
            rows = [tuple(r) for r in cursor.fetchall()]
            marks = ", ".join(["%s"] * len(columns))
            prepared[table] = (f"INSERT INTO {qn(table)} ({cols}) VALUES ({marks})",
                               f"COPY {qn(table)} ({cols}) FROM STDIN", rows)
        with transaction.atomic():
            for table in reversed(tables):  # children before parents
                cursor.execute(f"DELETE FROM {qn(table)}")
        if connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {qn(table)}")
        else:
            cursor.execute("VACUUM")

    def insert(cursor, table, copy):
        sql, copy_sql, rows = prepared[table]
        if copy:
            with cursor.cursor.copy(copy_sql) as out:  # the psycopg cursor under Django's wrapper
                for row in rows:
                    out.write_row(row)
        else:
            cursor.executemany(sql, rows)

    with Timed() as clock, transaction.atomic(), connection.cursor() as cursor:
        for table in timed:
            insert(cursor, table, use_copy)
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            if table not in timed:
                insert(cursor, table, False)
    return clock.result(items=len(prepared["catalog_poweritem"][2]), tables_timed=timed,
                        rows=sum(len(prepared[t][2]) for t in timed), restored=_row_counts())


CHILDREN = {"generate": child_generate, "read-xlsx": child_read_xlsx, "read-csv": child_read_csv,
            "import": child_import, **dict.fromkeys(RAW, child_raw)}


def run_child(op: str, env: dict, cwd: Path, **kw) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "_child", op]
    for key, value in kw.items():
        cmd += [f"--{key}", str(value)]
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"{op} failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# databases

class Database:
    """A fresh database, migrated and loaded with the divisions."""

    def __init__(self, kind: str, label: str, work: Path, env: dict):
        self.kind, self.work = kind, work
        if kind == "sqlite":
            self.path = work / f"{label}.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            self.name = f"powerlist_bench_{os.getpid()}_{label}"
            self.url = f"{PG_BASE}/{self.name}"
            subprocess.run(["createdb", *PG_ARGS, self.name], check=True)
        self.env = env | {"DATABASE_URL": self.url}
        for argv in (["migrate", "-v0"], ["jurisdictions", "load", DIVISIONS]):
            subprocess.run([sys.executable, "-m", "powerlist", *argv], env=self.env, cwd=work, check=True,
                           stdout=subprocess.DEVNULL)

    def drop(self) -> None:
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
        else:
            subprocess.run(["dropdb", *PG_ARGS, "--if-exists", self.name], check=False)


def loaded_sources() -> str:
    """sha256 of the powerlist modules this process has loaded: imports whose sources differ
    measured different code, and the report says so."""
    import hashlib

    digest = hashlib.sha256()
    for name in sorted(n for n in sys.modules if n == "powerlist" or n.startswith("powerlist.")):
        path = getattr(sys.modules[name], "__file__", None)
        if path:
            digest.update(name.encode() + b"\0" + Path(path).read_bytes())
    return digest.hexdigest()[:12]


def versions(dbs: list[str]) -> dict:
    import sqlite3

    out = {"python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version, "cpus": os.cpu_count()}
    if "postgres" in dbs:
        proc = subprocess.run(["psql", *PG_ARGS, "-Atc", "SHOW server_version", "postgres"],
                              capture_output=True, text=True)
        out["postgresql"] = proc.stdout.strip()
    return out


# ---------------------------------------------------------------------------------------------
# the report

def _fmt_int(x) -> str:
    return f"{x:,.0f}"


def _rss(r: dict) -> str:
    if r.get("children_rss_mb"):
        return f"{r['rss_mb']:.0f} + {r['children_rss_mb']:.0f}"
    return f"{r['rss_mb']:.0f}"


def table(results: list[dict]) -> str:
    lines = ["| operation | db | items | seconds | items/s | ratio to baseline | peak RSS MB | busy cores |",
             "|---|---|---:|---:|---:|---|---:|---:|"]
    for r in results:
        lines.append(f"| {r['label']} | {r['db']} | {_fmt_int(r['items'])} | {r['seconds']:.1f} | "
                     f"{_fmt_int(r['items'] / r['seconds'])} | {r.get('ratio', '')} | {_rss(r)} | "
                     f"{r.get('busy_cores', '')} |")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="also write the raw results to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (files, SQLite DBs)")
    args = parser.parse_args(argv)
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]

    work = Path(tempfile.mkdtemp(prefix="powerlist-bench-"))
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "powerlist.settings", "POWERLIST_SECRET_KEY": "bench",
                        "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    results: list[dict] = []
    info = versions(dbs) | {"items": args.items, "seed": args.seed}

    def say(msg):
        print(msg, file=sys.stderr, flush=True)

    def record(label, db, res):
        row = {"label": label, "db": db, **res}
        results.append(row)
        say(f"  {label} [{db}]: {res['items']:,} items in {res['seconds']:.1f}s "
            f"({res['items'] / res['seconds']:,.0f} items/s), peak RSS {_rss(res)} MB, "
            f"busy cores {res['busy_cores']}")
        return row

    try:
        say(f"generating {args.items:,} items in {work}")
        gen = run_child("generate", env, work, items=args.items, seed=args.seed, out=work)
        info |= {"csv_mb": round(gen["csv_mb"], 1), "xlsx_mb": round(gen["xlsx_mb"], 1),
                 "generate_seconds": round(gen["seconds"], 1)}
        say(f"  CSV {gen['csv_mb']:.1f} MB, XLSX {gen['xlsx_mb']:.1f} MB in {gen['seconds']:.1f}s")

        read_xlsx = record("openpyxl read-only read of the XLSX (baseline)", "-",
                           run_child("read-xlsx", env, work, file=gen["xlsx"]))
        record("csv.reader read of the CSV (for information)", "-", run_child("read-csv", env, work, file=gen["csv"]))

        for kind in dbs:
            say(f"{kind}:")
            db = Database(kind, "csv", work, env)
            try:
                imp = record("CSV import", kind, run_child("import", db.env, work, file=gen["csv"]))
                search_rows = sum(n for t, n in imp["tables"].items() if t in SEARCH_TABLES)
                item_rows = imp["rows"] - search_rows

                def baseline(op, label, db=db, imp=imp, kind=kind):
                    res = run_child(op, db.env, work)
                    assert res["restored"] == imp["tables"], (op, res["restored"], imp["tables"])
                    res["label"] = f"{label}; {res['rows'] / res['seconds']:,.0f} rows/s"
                    return record(res["label"], kind, res)

                raw = baseline("raw-rows", f"raw executemany: the {item_rows:,} item, element and change-record "
                                           f"rows the import wrote (baseline)")
                baselines = [("raw rows", raw)]
                if search_rows:
                    baselines.append(("raw rows + search", baseline(
                        "raw-rows-search", f"raw executemany: the same plus {search_rows:,} search-index rows")))
                if kind == "postgres":  # the import writes with COPY there: its floor
                    baselines.append(("raw COPY", baseline(
                        "raw-copy", f"raw COPY: all {imp['rows']:,} rows (for information)")))
                baselines.append(("item rows only", baseline(
                    "raw-items", "raw executemany: catalog_poweritem rows only (baseline)")))
            finally:
                db.drop()
            speed = imp["items"] / imp["seconds"]
            imp["ratio"] = " · ".join(f"{speed / (b['items'] / b['seconds']):.2f} of {name}" for name, b in baselines)
            db = Database(kind, "xlsx", work, env)
            try:
                xl = record("XLSX import", kind, run_child("import", db.env, work, file=gen["xlsx"]))
            finally:
                db.drop()
            xl["ratio"] = f"{(xl['items'] / xl['seconds']) / (read_xlsx['items'] / read_xlsx['seconds']):.2f} of bare read"
        # CSV and XLSX imports load different modules (the XLSX reader), so compare each with its kind
        seen = {}
        for r in results:
            if "sources" in r:
                seen.setdefault(r["label"].split()[0].lower(), set()).add(r["sources"])
        info["sources"] = " ".join(f"{fmt}:{','.join(sorted(v))}" for fmt, v in seen.items())
        if any(len(v) > 1 for v in seen.values()):
            say("WARNING: the powerlist sources changed during the run; the imports measured different code")
    finally:
        if args.keep:
            say(f"kept {work}")
        else:
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
    for opt in ("file", "out"):
        parser.add_argument(f"--{opt}")
    parser.add_argument("--items", type=int)
    parser.add_argument("--seed", type=int)
    args = parser.parse_args(argv)
    result = CHILDREN[args.op](args)
    result["rss_mb"] = _peak_rss_mb()
    # processes the operation started itself (a reader process, say), once waited for: the
    # largest one's peak. Self + that bounds what the operation held at once.
    result["children_rss_mb"] = _peak_rss_mb(resource.RUSAGE_CHILDREN)
    print(json.dumps(result, ensure_ascii=False, default=str))


if __name__ == "__main__":
    if sys.argv[1:2] == ["_child"]:
        child_main(sys.argv[2:])
    else:
        main()
