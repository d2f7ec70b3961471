"""The demo county: 湖南省湘潭市岳塘区 (430304).

Departments and their powers come from the tables in `dept_*.py` (name, law, article, fine
range); this module composes each line into a full item document with the elements a
published list carries, by category: responsibility items by phase, accountability
situations, risk points with prevention measures, discretion benchmarks for penalties, a
flowchart, time limits, conditions and materials. Deterministic: the same call gives the same
data.
"""

import random
from decimal import Decimal

from stdnum.cn import uscc

from powerlist.catalog.demo import dept_market, dept_public, dept_social, dept_streets, dept_urban
from powerlist.catalog.demo.laws import LAWS

COUNTY_CODE = "430304"
SEED = 20240304
VALID_FROM = "2024-03-01"
CATEGORY_ABBR = {"01": "XK", "02": "CF", "03": "QZ", "04": "ZS", "05": "JF", "06": "JC", "07": "QR", "08": "JL",
                 "09": "CJ", "10": "QT", "20": "FW"}

DEPARTMENTS = [
    dept_market.MARKET, dept_urban.URBAN, dept_urban.ECOLOGY, dept_urban.TRANSPORT, dept_urban.HOUSING,
    dept_urban.LAND, dept_social.HEALTH, dept_social.EMERGENCY, dept_social.CULTURE, dept_social.AGRICULTURE,
    dept_social.WATER, dept_social.FORESTRY, dept_social.POLICE, dept_social.FIRE, dept_public.EDUCATION,
    dept_public.CIVIL, dept_public.LABOUR, dept_public.JUSTICE, dept_public.FINANCE, dept_public.AUDIT,
    dept_public.STATS, dept_public.MEDICAL, dept_public.VETERANS, dept_public.AIRDEF, dept_public.ARCHIVES,
    dept_public.WEATHER, dept_public.TOBACCO, dept_public.DISABLED, dept_public.APPROVAL, dept_public.DEVELOPMENT,
    dept_public.COMMERCE, dept_public.SCIENCE, dept_public.TAX,
] + [(abbr, "岳塘区" + name, name, "government", phone, dept_streets.STREET_OFFICES, dept_streets.STREET_LIST)
     for abbr, name, phone in dept_streets.STREETS]

_USCC_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _uscc(index: int) -> str:
    """A well-formed code of an organ of state (11) in 430304 with a correct check digit."""
    rnd = random.Random(SEED + index)
    body = "".join(rnd.choice(_USCC_BODY) for _ in range(9))
    code17 = "11" + COUNTY_CODE + body
    return code17 + uscc.calc_check_digit(code17)


def departments() -> list[dict]:
    return [{"name": name, "short_name": short, "kind": kind, "uscc": _uscc(i), "phone": phone}
            for i, (_abbr, name, short, kind, phone, _offices, _lines) in enumerate(DEPARTMENTS)]


# ---------------------------------------------------------------------------------------------
# elements by kind of power

PENALTY_LIKE = {"02", "03"}
LICENSING_LIKE = {"01", "04", "05", "07", "08", "10"}

RESPONSIBILITIES = {
    "licensing": [
        ("before", "受理责任", "公示依法应当提交的材料，一次性告知补正材料，依法受理或者不予受理（不予受理的应当告知理由）。"),
        ("during", "审查责任", "对申请材料进行审查，提出审查意见；需要现场核查的，指派两名以上工作人员进行核查。"),
        ("during", "决定责任", "作出准予或者不予{verb}的决定（不予{verb}的应当书面告知理由），按时办结。"),
        ("during", "送达责任", "制发相关文书，依法送达并信息公开。"),
        ("after", "事后监管责任", "建立实施监督检查的运行机制和管理制度，开展定期和不定期检查，依法采取相关处置措施。"),
        ("after", "其他责任", "法律法规规章文件规定应履行的其他责任。"),
    ],
    "penalty": [
        ("before", "立案责任", "通过举报、巡查、移送等途径发现的违法行为，予以审查，决定是否立案。"),
        ("during", "调查责任", "对立案的案件，指定专人负责，及时组织调查取证，与当事人有直接利害关系的应当回避；执法人员不得少于两人，出示执法证件。"),
        ("during", "审查责任", "对案件违法事实、证据、调查取证程序、法律适用、处罚种类和幅度、当事人陈述和申辩理由等方面进行审查，提出处理意见。"),
        ("during", "告知责任", "作出决定前，告知当事人拟作出的决定的事实、理由、依据及其依法享有的陈述、申辩、要求听证等权利。"),
        ("during", "决定责任", "依法需要给予处理的，制作行政执法决定书，载明违法事实和证据、处理依据和内容、申请行政复议或者提起行政诉讼的途径和期限等内容。"),
        ("during", "送达责任", "行政执法决定书按法律规定的方式送达当事人。"),
        ("after", "执行责任", "依照生效的行政执法决定，监督当事人履行；当事人逾期不履行的，依法强制执行或者申请人民法院强制执行。"),
        ("after", "其他责任", "法律法规规章文件规定应履行的其他责任。"),
    ],
    "inspection": [
        ("before", "检查责任", "制定年度检查计划，按照“双随机、一公开”要求确定检查对象和执法检查人员。"),
        ("during", "实施责任", "执法人员不得少于两人，出示执法证件，如实记录检查情况，不得妨碍被检查对象正常的生产经营活动。"),
        ("during", "处置责任", "对检查中发现的违法行为，依法责令改正或者立案查处；不属于本部门职责的，移送有关部门。"),
        ("after", "公开责任", "依法公开检查结果，记入市场主体信用记录。"),
        ("after", "其他责任", "法律法规规章文件规定应履行的其他责任。"),
    ],
    "adjudication": [
        ("before", "受理责任", "审查争议当事人提交的申请材料，符合条件的予以受理并告知对方当事人。"),
        ("during", "调查责任", "调查核实争议事实，听取当事人陈述，收集相关证据。"),
        ("during", "调解责任", "在查明事实的基础上组织当事人调解，调解不成的依法作出裁决。"),
        ("during", "决定责任", "依法作出裁决，制作裁决书，告知当事人救济途径和期限。"),
        ("during", "送达责任", "依法送达裁决书。"),
        ("after", "其他责任", "法律法规规章文件规定应履行的其他责任。"),
    ],
    "service": [
        ("before", "受理责任", "公示服务事项的办理条件、材料、流程和时限，一次性告知。"),
        ("during", "办理责任", "按照服务标准及时办理，不得推诿、拖延。"),
        ("after", "评价责任", "接受服务对象评价和社会监督，及时处理投诉。"),
    ],
}

ACCOUNTABILITY = {
    "licensing": ["对符合法定条件的申请不予受理、不予{verb}或者不在法定期限内作出决定的",
                  "对不符合法定条件的申请人准予{verb}或者超越法定职权作出准予决定的",
                  "违反法定程序实施{verb}的", "擅自收费或者不按照法定项目和标准收费的",
                  "在办理过程中滥用职权、玩忽职守，给当事人造成损失的",
                  "办理过程中索取或者收受他人财物或者谋取其他利益的"],
    "penalty": ["没有法律或者事实依据实施行政处罚的", "擅自改变处罚种类、幅度的",
                "违反法定的行政处罚程序的", "对应当予以制止和处罚的违法行为不予制止、处罚的",
                "为牟取本单位私利，对应当依法移交司法机关追究刑事责任的不移交，以行政处罚代替刑事处罚的",
                "利用职务上的便利，索取或者收受他人财物、将罚款据为己有的"],
    "inspection": ["未按照规定开展监督检查或者检查流于形式的", "对检查中发现的违法行为不依法处理的",
                   "检查中妨碍被检查对象正常生产经营活动的", "泄露检查中知悉的商业秘密的",
                   "在检查中索取或者收受他人财物的"],
    "adjudication": ["对符合受理条件的争议不予受理的", "违反法定程序作出裁决的", "徇私舞弊、偏袒一方当事人的",
                     "在裁决过程中索取或者收受他人财物的"],
    "service": ["未按照公开的服务标准提供服务的", "对服务对象态度恶劣、推诿扯皮的", "违规收取费用的"],
}

RISKS = {
    "licensing": [("high", "审查环节", "降低标准、违规审批或者对符合条件的申请不予审批，吃拿卡要",
                   "实行集体审议、全程留痕；审批标准、流程、结果公开；纪检监察派驻机构监督"),
                  ("medium", "受理环节", "对申请材料把关不严或者故意刁难，不一次性告知补正材料",
                   "推行一次性告知和首问负责制，受理情况全程电子记录"),
                  ("low", "送达环节", "不按时送达或者泄露申请人信息", "实行限时办结，信息系统自动提醒")],
    "penalty": [("high", "决定环节", "滥用自由裁量权，处罚畸轻畸重、同案不同罚",
                 "严格执行行政处罚裁量基准，重大执法决定法制审核、集体讨论"),
                ("high", "调查取证环节", "选择性执法、隐瞒或者伪造证据、接受当事人吃请",
                 "双人执法、执法记录仪全程记录，执法全过程记录制度"),
                ("medium", "执行环节", "不按规定收缴罚没款，截留、挪用罚没款",
                 "罚缴分离，罚没款直接缴入国库，定期对账")],
    "inspection": [("medium", "检查环节", "检查走过场、隐瞒问题或者利用检查吃拿卡要",
                    "双随机抽查，检查结果公示，执法记录仪全程记录"),
                   ("low", "处置环节", "发现问题不移送、不处理", "建立问题台账，实行闭环管理和督办")],
    "adjudication": [("high", "裁决环节", "偏袒一方当事人，违规裁决", "实行回避制度，重大争议集体研究，裁决书公开")],
    "service": [("low", "办理环节", "推诿拖延、服务态度差", "公开服务承诺，好差评和投诉处理机制")],
}

FLOWS = {
    "licensing": ["申请", "受理", "审查", "决定", "送达"],
    "penalty": ["立案", "调查取证", "审查", "告知", "决定", "送达", "执行"],
    "coercion": ["发现", "审批", "告知", "实施", "制作现场笔录", "处理决定"],
    "inspection": ["制定计划", "实施检查", "形成检查结论", "处置", "结果公开"],
    "adjudication": ["申请", "受理", "调查", "调解", "裁决", "送达"],
    "service": ["申请", "受理", "办理", "办结"],
}

VERBS = {"01": "许可", "04": "征收", "05": "给付", "07": "确认", "08": "奖励", "10": "办理"}
MATERIALS = {
    "01": "1. 申请书\n2. 申请人身份证明或者营业执照\n3. 法律法规规定的相关证明材料\n4. 委托他人办理的，提交授权委托书",
    "05": "1. 申请表\n2. 申请人身份证明\n3. 家庭经济状况或者资格条件证明材料\n4. 银行账户信息",
    "07": "1. 申请表\n2. 申请人身份证明\n3. 相关证明材料",
}


def _family(category: str) -> str:
    if category == "02":
        return "penalty"
    if category == "03":
        return "coercion"
    if category == "06":
        return "inspection"
    if category == "09":
        return "adjudication"
    if category == "20":
        return "service"
    return "licensing"


def _citation(law: str, article: str) -> dict:
    title, level = LAWS[law]
    para = ""
    if ":" in article:
        article, para = article.split(":")
        para = f"第{para}款"
    tag = "" if level == "法律" else f"【{level}】"
    return {"kind": "setting", "text": f"{tag}《{title}》第{article}条{para}"}


def _yuan(amount: Decimal) -> str:
    if amount >= 10000 and amount % 1000 == 0:
        return f"{amount / 10000:g}万元"
    return f"{amount:g}元"


def _range(low: Decimal, high: Decimal) -> str:
    return f"处{_yuan(high)}以下罚款" if low == 0 else f"处{_yuan(low)}以上{_yuan(high)}以下罚款"


def _discretion(low: Decimal, high: Decimal) -> list[dict]:
    span = high - low
    unit = Decimal(10) ** max(0, len(str(int(span))) - 2)  # cut points on round figures: 11.7万元, not 116667元
    a, b = (((low + span * k / 3) / unit).quantize(Decimal("1")) * unit for k in (1, 2))
    money = lambda v: str(v.quantize(Decimal("0.01")))  # noqa: E731
    return [
        {"grade": "轻微", "circumstance": "初次违法且危害后果轻微并及时改正的", "penalty": "依法不予行政处罚，责令改正",
         "min_fine": None, "max_fine": None},
        {"grade": "一般", "circumstance": "违法情节一般，主动配合调查的",
         "penalty": _range(low, a), "min_fine": money(low), "max_fine": money(a)},
        {"grade": "较重", "circumstance": "违法情节较重，或者经责令改正拒不改正的",
         "penalty": _range(a, b), "min_fine": money(a), "max_fine": money(b)},
        {"grade": "严重", "circumstance": "违法情节严重、造成严重后果或者社会影响恶劣的",
         "penalty": _range(b, high), "min_fine": money(b), "max_fine": money(high)},
    ]


def _name(category: str, text: str) -> str:
    if category == "02":
        return text if text.startswith("对") else f"对{text}的处罚"
    if category == "06":
        return text if "检查" in text else f"对{text}的监督检查"
    return text


def _lines(block: str):
    for line in block.strip().splitlines():
        if line.strip():
            yield line.strip().split("|")


RECIPIENTS = {"01": "法人,其他组织,自然人", "05": "自然人", "07": "自然人,法人", "08": "自然人,法人,其他组织",
              "20": "自然人"}


def _guide(org: str, kind: str, category: str, number: int, phone: str) -> dict:
    """办事指南 of the items citizens and firms apply for: where, when, whom to ask, how often to go."""
    if category not in RECIPIENTS:
        return {}
    place = f"{org}便民服务中心" if kind == "government" else f"岳塘区政务服务中心{number % 3 + 1}楼综合窗口"
    return {"office_address": place, "office_hours": "工作日上午9:00-12:00，下午13:30-17:30（法定节假日除外）",
            "enquiry_phone": phone, "onsite_visits": 0 if category == "20" and number % 2 else 1,
            "service_recipients": RECIPIENTS[category]}


def _item(rnd, dept, category: str, parts: list[str], number: int, default_law: tuple[str, str] | None) -> dict:
    abbr, org, _short, kind, phone, offices, _table = dept
    family = _family(category)
    key = "penalty" if family == "coercion" else family
    name = _name(category, parts[0])
    verb = VERBS.get(category, "办理")
    citations = []
    if len(parts) >= 3:
        citations.append(_citation(parts[1], parts[2]))
    elif default_law:
        citations.append(_citation(*default_law))
    if category == "01":
        citations.append({"kind": "implementing", "text": "《中华人民共和国行政许可法》第四十二条"})
    elif category == "02":
        citations.append({"kind": "implementing", "text": "《中华人民共和国行政处罚法》第六十条"})
    elif category == "03":
        citations.append({"kind": "implementing", "text": "《中华人民共和国行政强制法》第十八条"})
    statutory = promised = None
    if category == "01":
        statutory, promised = 20, rnd.choice([5, 7, 10, 12, 15])
    elif category == "02":
        statutory = 90
    elif category in ("05", "07"):
        statutory, promised = 20, rnd.choice([5, 7, 10])
    elif category == "20":
        promised = rnd.choice([1, 3, 5])
        if number % 4 == 0:
            promised = "即办"  # as catalogues write it
    discretion = []
    if category == "02" and len(parts) == 4 and "-" in parts[3]:
        low, high = (Decimal(x) for x in parts[3].split("-"))
        if high > low:
            discretion = _discretion(low, high)
    main_item = name.split("（")[0] if "（" in name and category != "02" else ""
    steps = FLOWS[family]
    source = "authorised" if kind == "government" and category in ("02", "03", "06") else \
        ("authorised" if kind == "authorised" else "statutory")
    return {
        "code": f"{COUNTY_CODE}-{abbr}-{CATEGORY_ABBR[category]}-{number:03d}",
        "name": name,
        "plain_name": name if category == "20" else "",
        "main_item": main_item,
        "category": category,
        "list_kind": "public_service" if category == "20" else "government",
        "organisation": org,
        "handling_office": rnd.choice(offices),
        "exercise_levels": "县级" if kind != "government" else "乡级",
        "power_source": source,
        "citations": citations,
        "statutory_limit_days": statutory,
        "promised_limit_days": promised,
        "limit_note": "",
        "fee_basis": "",
        "fee_standard": "不收费",
        "conditions": f"符合《{LAWS[parts[1]][0]}》第{parts[2]}条等规定的条件"
        if category in ("01", "05", "07") and len(parts) >= 3 else "",
        "materials": MATERIALS.get(category, ""),
        "result_documents": {"01": "准予行政许可决定书", "02": "行政处罚决定书", "03": "行政强制措施决定书",
                             "05": "给付决定", "06": "检查记录", "07": "确认文书", "09": "裁决书"}.get(category, "办理结果"),
        "responsibilities": [{"phase": p, "stage": s, "content": c.format(verb=verb)} for p, s, c in RESPONSIBILITIES[key]],
        "accountability": ["因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任："]
        + [f"{i}. {a.format(verb=verb)}；" for i, a in enumerate(ACCOUNTABILITY[key], start=1)],
        "risk_points": [{"level": lvl, "step": step, "description": d, "prevention": p}
                        for lvl, step, d, p in RISKS[key][: 1 + rnd.randrange(len(RISKS[key]))]],
        "discretion": discretion,
        "flowchart": {"steps": [{"id": f"s{i + 1}", "name": s} for i, s in enumerate(steps)],
                      "flows": [[f"s{i + 1}", f"s{i + 2}"] for i in range(len(steps) - 1)]},
        "supervision_phone": phone,
        **_guide(org, kind, category, number, phone),
        "status": "published",
        "valid_from": VALID_FROM,
        "valid_to": None,
    }


def items() -> list[dict]:
    rnd = random.Random(SEED)
    out = []
    for dept in DEPARTMENTS:
        table = dept[6]
        default_law = next(((p[1], p[2]) for block in table.values() for p in _lines(block) if len(p) >= 3), None)
        for category in sorted(table):
            for number, parts in enumerate(_lines(table[category]), start=1):
                out.append(_item(rnd, dept, category, parts, number, default_law))
    return out


# ---------------------------------------------------------------------------------------------
# the department-level responsibility list

DOMAINS = {
    "SJ": "市场监督管理", "CG": "城市管理和综合执法", "HB": "生态环境保护", "JT": "交通运输", "ZJ": "住房和城乡建设",
    "ZR": "自然资源和国土空间规划", "WJ": "卫生健康", "YJ": "应急管理和安全生产", "WL": "文化、旅游、广播电视和体育",
    "NY": "农业农村", "SL": "水利", "LY": "林业", "GA": "公安", "XF": "消防救援", "JY": "教育", "MZ": "民政",
    "RS": "人力资源和社会保障", "SF": "司法行政", "CZ": "财政", "SJJ": "审计", "TJ": "统计", "YB": "医疗保障",
    "TY": "退役军人事务", "RF": "人民防空", "DA": "档案", "QX": "气象", "YC": "烟草专卖", "CL": "残疾人事业",
    "SP": "行政审批服务", "FG": "发展和改革", "SW": "商务", "KG": "科技和工业信息化", "SWJ": "税收",
}
BOUNDARIES = [
    ("SJ", "JY", "校园食品安全", "市场监管部门负责学校食堂食品安全监督检查和违法行为查处；教育部门负责督促学校落实食品安全校长（园长）负责制。"),
    ("SJ", "NY", "食用农产品质量安全", "农业农村部门负责食用农产品从种植养殖环节到进入批发、零售市场或者生产加工企业前的监管；市场监管部门负责进入批发、零售市场或者生产加工企业后的监管。"),
    ("CG", "ZJ", "建筑垃圾和施工工地扬尘", "住建部门负责施工现场扬尘污染防治监管；城管执法部门负责建筑垃圾运输、处置和施工工地外道路扬尘的查处。"),
    ("CG", "HB", "餐饮油烟和露天焚烧", "城管执法部门负责餐饮服务业油烟污染、露天焚烧垃圾的查处；生态环境部门负责工业企业大气污染物排放的监管和查处。"),
    ("ZR", "CG", "违法建设查处", "自然资源和规划部门负责规划许可和规划核实，发现违法建设及时移交；城管执法部门负责城市规划区内违法建设的查处。"),
    ("YJ", "XF", "消防安全与安全生产", "应急管理部门负责安全生产综合监管；消防救援机构负责消防监督检查和火灾事故调查。"),
    ("WJ", "SJ", "医疗机构药品和医疗器械使用", "卫健部门负责医疗机构诊疗行为监管；市场监管部门负责医疗机构药品、医疗器械质量的监管。"),
    ("JT", "GA", "道路交通安全", "公安交警部门负责道路交通秩序管理和交通违法行为查处；交通运输部门负责道路运输经营和路政管理。"),
    ("SL", "ZR", "河道采砂", "水利部门负责河道采砂的许可和监管；自然资源部门负责河道管理范围以外采砂取土的监管。"),
    ("MZ", "RS", "社会救助与就业援助", "民政部门负责最低生活保障等社会救助；人社部门负责就业困难人员就业援助。"),
    ("YB", "WJ", "医疗保障基金监管", "医保部门负责医疗保障基金使用的监督管理；卫健部门负责医疗机构和医务人员执业行为的监管。"),
    ("LY", "ZR", "林地与其他土地", "林业部门负责林地保护利用和林木采伐的监管；自然资源部门负责林地以外土地用途管制。"),
    ("SP", "SJ", "相对集中行政许可", "行政审批服务部门负责划转事项的受理和审批；市场监管部门负责审批后的事中事后监管，审批结果实时推送。"),
    ("SP", "WJ", "公共场所卫生许可", "行政审批服务部门负责公共场所卫生许可；卫健部门负责许可后的卫生监督检查。"),
]


# the duties of the 三定 that say what each department regulates (主要职责), as real ones do: the
# matters and the laws of its field, not only its field's name (the mandate check reads items against them)
FIELD_DUTIES = {
    "SJ": [("负责市场主体登记注册和信用监管", "负责各类市场主体登记注册，查处无照经营，组织企业信息公示和抽查；规范商品价格和收费行为，查处明码标价、有奖销售、混淆和虚假商业宣传等不正当竞争行为。"),
           ("负责食品安全监督管理", "负责食品生产经营和餐饮服务的监督管理，查处经营病死或者死因不明的畜禽水产品、腐败变质食品，监督进货查验和出厂检验记录、原料控制，以及餐具饮具洗净消毒。"),
           ("负责产品质量、特种设备和药品监督管理", "负责产品质量监督，查处掺杂掺假、以假充真、以次充好、失效变质产品和伪造产地、冒用厂名厂址、产品标识不符合规定的行为；负责电梯等特种设备安全监察和维护保养单位备案；负责药品零售和使用环节质量监管，查处销售假药劣药和未凭处方销售处方药，对危害人体健康和人身财产安全的产品和药品依法查封扣押。")],
    "CG": [("负责市容环境卫生和生活垃圾管理", "负责城市市容和环境卫生管理，查处随地吐痰便溺、乱扔果皮纸屑烟头等废弃物，随意倾倒抛撒堆放焚烧生活垃圾，临街建筑物阳台窗外堆放吊挂物品，街道两侧和公共场地堆放物料、搭建建筑物构筑物；落实门前三包责任区划定；负责数字化城市管理案件派遣与处置，查处占道经营。"),
           ("负责城市管理领域综合行政执法", "集中行使城市规划、市政公用、园林绿化、环境保护等方面的行政处罚权：施工工地围挡护栏遮挡和扬尘防治（覆盖、洒水抑尘、冲洗地面），运输液体散装货物泄漏遗撒，餐饮服务业油烟净化设施和专用烟道，露天烧烤，人口集中地区喷洒剧毒高毒农药，桥梁上架设煤气管道和高压电力线，砍伐迁移和损伤古树名木。"),
           ("负责城镇排水、燃气和绿化管理", "负责城镇排水与污水处理设施的监督管理和污水排入排水管网许可，查处排水户违法排放污水和危及、拆除改动排水设施；负责燃气经营许可和燃气安全监管，查处无证经营燃气、擅自操作公用燃气阀门、施工损坏燃气设施，开展燃气安全宣传；负责工程建设涉及城市绿地、树木的审批。")],
    "GA": [("负责维护社会治安秩序", "依法查处扰乱机关、团体、企业、事业单位秩序和公共场所秩序，结伙斗殴、殴打他人、故意伤害，盗窃、诈骗、哄抢、抢夺、敲诈勒索、损毁公私财物等违反治安管理的行为，收缴违法所得和非法财物；负责禁毒工作，查处吸食注射毒品，实施强制隔离戒毒；负责外国人居留管理，查处非法居留；组织见义勇为人员的表彰。")],
    "XF": [("负责消防监督管理", "依法开展消防监督检查，查处占用、堵塞、封闭疏散通道、安全出口和消防车通道，埋压、圈占、遮挡消火栓，占用防火间距，易燃易爆危险品场所与居住场所设置在同一建筑物内，违规使用明火作业，消防技术服务机构出具虚假文件等消防违法行为；对大型群众性活动举办前的消防安全检查；对危险部位或者场所临时查封，强制执行停产停业决定；负责火灾事故调查。")],
    "HB": [("负责大气、水和土壤污染防治监督管理", "负责大气环境质量和污染物排放监测，查处工业废气和有毒有害大气污染物、挥发性有机物、储油储气库和加油加气站油气回收的违法行为，以及损毁、移动监测设施；负责水污染防治，查处向水体排放油类、酸液、碱液，在水体清洗装贮油类和有毒污染物的车辆容器，利用渗井渗坑私设暗管篡改伪造监测数据逃避监管排放水污染物；依法查封扣押造成严重污染的设施设备。"),
           ("负责环境应急管理", "负责突发环境事件应急预案备案，组织突发环境事件的应急处置和调查处理。")],
    "SL": [("负责水旱灾害防御和河湖管理", "负责防汛抗旱和防汛预警信息发布，组织洪水影响评价审批；负责河道管理，查处破坏、侵占、毁损堤防水闸护岸抽水站等水工程，强制拆除河道内妨碍行洪的建筑物，暂扣非法采砂船舶设备；负责水土保持，查处在崩塌滑坡危险区和泥石流易发区取土挖砂采石；调处水事纠纷。")],
    "ZR": [("负责土地管理和执法监察", "负责土地利用和耕地保护，查处非法占用土地、农村村民非法占用土地建住宅、买卖或者以其他形式非法转让土地等违法行为，查封非法占地施工现场，拆除非法占用土地上的建筑物；负责农村村民宅基地审批的用地审查；负责城乡规划实施和建设工程竣工规划核实，督促建设单位报送竣工验收资料。")],
    "RS": [("负责劳动保障监察和劳动关系", "负责劳动保障监察，查处用人单位拖欠劳动报酬、违法延长劳动者工作时间、非法招用未满十六周岁未成年人，监督施工总承包单位开设和使用农民工工资专用账户；负责企业实行不定时工作制和综合计算工时工作制审批。")],
    "SWJ": [("负责税收征收管理", "负责税收、社会保险费和残疾人就业保障金等非税收入的征收管理；负责纳税人账簿、记账凭证和发票管理，督促扣缴义务人依法代扣代缴、代收代缴税款，查处税收违法行为；负责纳税服务，提供办税指南和涉税咨询。")],
    "SP": [("负责相对集中行政许可", "负责划转的行政许可事项的受理、审批和办件进度公开：企业投资项目核准和备案，公共场所卫生许可，食品经营许可，药品零售企业许可，建筑工程施工许可，道路货物运输经营许可等。")],
    "QX": [("负责气象设施和雷电防护管理", "负责气象设施和气象探测环境保护，查处侵占、损毁、擅自移动气象设施；负责雷电防护装置设计审核和竣工验收，监管雷电防护装置检测资质。")],
    "SW": [("负责商业特许经营和消费促进", "负责商业特许经营备案和信息披露的监督管理，查处特许人违法行为；组织消费促进活动和信息发布。")],
    "SJJ": [("负责审计监督", "依法对预算执行和其他财政收支进行审计监督，开展领导干部经济责任审计，查处被审计单位转移、隐匿、篡改、毁弃会计凭证、会计账簿、财务会计报告等违法行为。")],
    "YJ": [("负责安全生产和防灾减灾", "负责安全生产综合监管，查处特种作业人员未经专门安全作业培训上岗、生产经营场所和员工宿舍未设紧急疏散出口等违法行为；负责防汛抗旱准备工作和防灾减灾救灾的监督检查。")],
    "WJ": [("负责医疗卫生和计划生育服务管理", "负责医疗机构和医务人员执业监管，查处非医学需要的胎儿性别鉴定和选择性别人工终止妊娠；推进家庭医生签约服务；负责传染病防治和表彰奖励。")],
    "SF": [("负责推进依法行政", "负责重大行政决策合法性审查和规范性文件审查，承担行政复议和行政应诉工作。")],
}
STREET_DUTIES = [
    ("实施赋权范围内的行政执法", "依法以街道名义实施赋予的城市管理领域行政处罚和行政强制：市容环境卫生（临街建筑物阳台窗外堆放吊挂、随地吐痰便溺、乱扔果皮纸屑烟头、倾倒抛撒焚烧生活垃圾、未分类投放生活垃圾），露天烧烤和餐饮油烟，临街工地护栏遮挡，运输液体散装货物泄漏遗撒，占用挖掘城市道路和临时占用城市道路审批，城市绿地和绿化用地，噪声敏感建筑物集中区域使用高音广播喇叭，暂扣占道经营物品；消防安全检查，查处占用堵塞封闭疏散通道、安全出口、消防车通道和埋压遮挡消火栓；辖区大气污染防治巡查；农村村民宅基地审批初审，查处农村村民非法占用土地建住宅。"),
    ("承接便民服务事项", "受理和初审城乡最低生活保障、特困人员救助供养、高龄津贴、困难残疾人生活补贴和重度残疾人护理补贴、残疾人证和残疾人辅助器具、计划生育家庭奖励扶助和特别扶助金的申请；办理老年人优待证、生育登记、城乡居民基本医疗保险参保登记、居住证申领、法律援助申请受理；做好流动人口服务管理、退役军人服务站服务、未成年人关爱保护、失业人员再就业培训、殡葬惠民政策咨询和防灾减灾知识宣传。"),
]


def department_responsibilities() -> list[dict]:
    names = {d[0]: d[1] for d in DEPARTMENTS}
    out = []
    for abbr, org, _short, kind, _phone, _offices, table in DEPARTMENTS:
        domain = DOMAINS.get(abbr, "辖区经济社会管理")
        duties = [
            (f"贯彻执行{domain}法律法规和方针政策", f"贯彻执行国家、省、市有关{domain}工作的法律法规和方针政策，拟订全区{domain}工作的规划和措施并组织实施。"),
            (f"负责{domain}领域行政执法", f"依法实施{domain}领域的行政许可、行政处罚、行政检查等行政权力事项，规范行政执法行为。"),
            (f"负责{domain}领域安全生产", f"按照“管行业必须管安全”的要求，负责{domain}领域安全生产和风险防控工作。"),
            ("负责政务公开和信息化建设", f"负责{domain}领域政务公开、信息统计和信息化建设工作。"),
            ("完成交办的其他任务", "完成区委、区政府交办的其他任务。"),
        ]
        if kind == "government":
            domain = "街道"
            duties = [
                ("加强党的建设", "加强街道党的建设，统筹辖区党建工作，推进基层治理体系和治理能力现代化。"),
                ("组织公共服务", "组织实施辖区社会救助、养老服务、就业社保、卫生健康等公共服务事项。"),
                ("实施综合管理", "依法实施赋权范围内的城市管理、安全生产、生态环境等综合管理和行政执法。"),
                ("维护社会稳定", "做好辖区平安建设、矛盾纠纷排查化解和应急处置工作。"),
                ("指导居民自治", "指导社区居民委员会建设，推进居民自治和社区协商。"),
            ] + STREET_DUTIES
        else:
            duties[2:2] = FIELD_DUTIES.get(abbr, [])
        for title, content in duties:
            out.append({"organisation": org, "kind": "duty", "title": title, "content": content, "basis": "本单位“三定”规定",
                        "related": []})
        inspections = [parts[0] for parts in _lines(table.get("06", ""))]
        if inspections:
            out.append({"organisation": org, "kind": "supervision", "title": "“双随机、一公开”监管制度",
                        "content": "对" + "、".join(inspections[:4]) + "等事项，随机抽取检查对象、随机选派执法检查人员，抽查情况及查处结果及时向社会公开。",
                        "basis": "《国务院办公厅关于推广随机抽查规范事中事后监管的通知》（国办发〔2015〕58号）", "related": []})
        out.append({"organisation": org, "kind": "supervision", "title": "信用监管制度",
                    "content": f"建立{domain}领域信用记录，实施守信联合激励和失信联合惩戒，依法公示行政许可和行政处罚信息。",
                    "basis": "《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）",
                    "related": []})
        for line in list(_lines(table.get("20", "")))[:3]:
            out.append({"organisation": org, "kind": "public_service", "title": line[0],
                        "content": f"面向群众和企业提供{line[0]}，公开办理条件、流程和时限。", "basis": "", "related": []})
        if kind == "government":
            out.append({"organisation": org, "kind": "boundary", "title": "赋权事项执法",
                        "content": "街道在赋权范围内以自己名义实施城市管理领域行政处罚；区城管执法局负责业务指导、监督和跨区域重大案件查处。",
                        "basis": "《湖南省人民政府关于赋予乡镇（街道）县级经济社会管理权限的指导目录》", "related": [names["CG"]]})
    for a, b, title, content in BOUNDARIES:
        for org in (names[a], names[b]):
            out.append({"organisation": org, "kind": "boundary", "title": title, "content": content,
                        "basis": "部门“三定”规定及相关法律法规", "related": [names[b] if org == names[a] else names[a]]})
    return out
