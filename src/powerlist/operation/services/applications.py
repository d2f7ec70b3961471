"""One window, parallel approval (一窗受理、并联审批): the service hall takes one application naming a
package of items, possibly of several departments (统一受理), opens one case per item on behalf of
each department, tells each department (抄告相关), lets the cases run side by side (同步审批) and
closes the application with one combined reply when the last result is in (集中回复).

Everything is opened in one transaction or nothing is: one item that is not listed, not in force
or not of this jurisdiction refuses the whole application, naming the item. The applicant gets
one receipt number (`430304-YC-20261129-0001`: 一窗, a daily sequence per jurisdiction).

The applicant's look-up and rating: services/progress.py and services/ratings.py."""

import datetime as dt
import re

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from powerlist.catalog.models import Category, PowerItem, Status
from powerlist.core import scope
from powerlist.core.errors import InvalidInput, NotFound, PermissionDenied, Problem
from powerlist.core.models import Jurisdiction, Role, short_code
from powerlist.core.services import audit
from powerlist.core.text import clean_cell, normalise
from powerlist.core.workdays import beijing_date
from powerlist.operation.models import Application, ApplicationStatus, Case, CaseStatus, Notice
from powerlist.operation.services import cases

MAX_ITEMS = 20
STATUS_NAMES = {CaseStatus.OPEN: "办理中", CaseStatus.SUSPENDED: "中止（暂停计时）", CaseStatus.CLOSED: "已办结",
                ApplicationStatus.OPEN: "办理中", ApplicationStatus.CLOSED: "已全部办结"}
# common packages (套餐) a hall offers, by the words of their items' names; offered only with the
# items a jurisdiction has published (岳塘、渝北、龙岗: 企业开办 is the usual one)
PACKAGES = {
    "企业开办": ["营业执照", "企业设立登记", "组织机构代码", "税务登记", "刻制", "印章", "社会保险登记"],
    "餐饮店开业": ["食品经营许可", "公共场所卫生许可", "消防", "户外广告", "招牌"],
    "建设项目": ["建设用地规划许可", "建设工程规划许可", "施工许可", "环境影响评价", "竣工验收"],
}
_ID_NUMBER = re.compile(r"^[0-9A-Z]{6,30}$")
# powers exercised on the department's own initiative (处罚、强制、征收、检查) are not applied for at a window
NOT_APPLIED_FOR = {Category.PENALTY, Category.COERCION, Category.LEVY, Category.INSPECTION}


# who may do what -------------------------------------------------------------------------------

def may_open(actor, jurisdiction: Jurisdiction) -> bool:
    """Service hall clerks (综合窗口) of the jurisdiction, its reviewers and administrators."""
    role = scope._role(actor)
    if role == Role.HALL:
        return bool(actor.jurisdiction_id) and jurisdiction.code.startswith(actor.jurisdiction.code)
    return scope.covers_jurisdiction(actor, jurisdiction)


def may_accept(actor, application, item) -> bool:
    """The case service asks this when a case is opened inside an application: the hall clerk
    accepts (受理) on behalf of the item's department, for an application of the item's
    jurisdiction that is being opened."""
    return (isinstance(application, Application) and application.pk is not None
            and application.jurisdiction_id == item.jurisdiction_id
            and application.status == ApplicationStatus.OPEN and may_open(actor, application.jurisdiction))


def visible(user):
    """Applications `user` may read: administrators and inspectors all; reviewers and hall clerks
    their jurisdiction's and below; a department's clerks those with a case of their department."""
    qs = Application.objects.select_related("jurisdiction")
    role = scope._role(user)
    if role in (Role.ADMIN, Role.INSPECTOR):
        return qs
    if role in (Role.REVIEWER, Role.LEGAL, Role.HALL) and user.jurisdiction_id:
        return qs.filter(jurisdiction__code__startswith=user.jurisdiction.code)
    if role == Role.CLERK and user.organisation_id:
        return qs.filter(cases__organisation_id=user.organisation_id).distinct()
    return qs.none()


def get(user, number: str) -> Application:
    found = visible(user).filter(number=clean_cell(str(number))[:40]).first()
    if found is None:
        raise NotFound(f"没有编号为 {number} 的一窗受理申请，或不在您的查看范围内")
    return found


# opening ----------------------------------------------------------------------------------------

def _clean(title, item_codes, applicant, phone, id_number, window) -> tuple:
    problems = []
    if isinstance(item_codes, str):
        item_codes = re.split(r"[\s,，、;；]+", item_codes)
    codes = []
    for code in item_codes or []:
        code = str(code).strip()
        if code and code not in codes:
            codes.append(code)
    if not codes:
        problems.append(Problem("", None, "items", "", "请至少选择一个事项"))
    elif len(codes) > MAX_ITEMS:
        problems.append(Problem("", None, "items", str(len(codes)), f"一次申请最多 {MAX_ITEMS} 个事项"))
    applicant = clean_cell(applicant)
    if not applicant:
        problems.append(Problem("", None, "applicant", "", "请填写申请人（个人姓名或企业名称）"))
    elif len(applicant) > 200:
        problems.append(Problem("", None, "applicant", applicant[:60], "申请人不超过 200 个字符"))
    phone = clean_cell(phone)
    if phone and (len(phone) > 30 or not all(c in "0123456789-+ " for c in phone)
                  or sum(c.isdigit() for c in phone) < 4):
        problems.append(Problem("", None, "phone", phone[:60], "应为电话号码（数字，可含 - + 和空格）"))
    id_number = (id_number or "").strip().upper().replace(" ", "")
    if id_number and not _ID_NUMBER.match(id_number):
        problems.append(Problem("", None, "id_number", id_number[:60],
                                "应为证件号码（居民身份证号码、统一社会信用代码等，6 至 30 位字母或数字）"))
    if not phone and not id_number:
        problems.append(Problem("", None, "phone", "", "请填写申请人的电话或证件号码：申请人凭其后四位查询办理进度"))
    title, window = clean_cell(title), clean_cell(window)
    if len(title) > 300:
        problems.append(Problem("", None, "title", title[:60], "事项名称不超过 300 个字符"))
    if len(window) > 100:
        problems.append(Problem("", None, "window", window[:60], "窗口不超过 100 个字符"))
    if problems:
        raise InvalidInput(problems)
    return title, codes, applicant, phone, id_number, window


def _refuse(actor, jurisdiction, codes: list, message: str):
    with transaction.atomic():
        audit.append(actor, "application.refused", f"jurisdiction:{jurisdiction.pk}",
                     {"items": codes, "reason": message})
    raise cases.Refused(message)


def open_application(actor, jurisdiction_code: str, *, title: str = "", item_codes, applicant: str, phone: str = "",
                     id_number: str = "", window: str = "", at: dt.datetime | None = None) -> Application:
    """统一受理: one application, one case per item (accepted on behalf of its department), one
    notice per department; all or nothing."""
    at = at or timezone.now()
    jurisdiction = Jurisdiction.objects.filter(code=short_code(str(jurisdiction_code or "").strip())).first()
    if jurisdiction is None:
        raise NotFound(f"没有代码为 {jurisdiction_code} 的行政区划")
    if not may_open(actor, jurisdiction):
        raise PermissionDenied(f"{scope._name(actor)}无权在{jurisdiction.name}统一受理申请：需要本辖区综合窗口人员、"
                               f"审核人员或管理员")
    title, codes, applicant, phone, id_number, window = _clean(title, item_codes, applicant, phone, id_number, window)
    items = {i.code: i for i in PowerItem.objects.select_related("organisation", "jurisdiction").filter(
        jurisdiction=jurisdiction, code__in=codes)}
    missing = [c for c in codes if c not in items]
    if missing:
        _refuse(actor, jurisdiction, codes, f"{jurisdiction.name}的权力清单中没有职权编码为 {'、'.join(missing)} 的事项，"
                                            f"整件申请未受理")
    for code in codes:
        if items[code].category in NOT_APPLIED_FOR:
            _refuse(actor, jurisdiction, codes, f"{items[code].code}“{items[code].name}”是{items[code].get_category_display()}，"
                                                f"由部门依职权办理，不在综合窗口受理；整件申请未受理")
        problem = cases.in_force_problem(items[code], beijing_date(at))
        if problem:
            _refuse(actor, jurisdiction, codes, f"{problem}；整件申请未受理")
    ordered = [items[c] for c in codes]
    try:
        with transaction.atomic():
            application = Application.objects.create(
                number=_next_number(jurisdiction, at), jurisdiction=jurisdiction,
                title=title or "、".join(i.name for i in ordered)[:300], applicant_name=applicant,
                applicant_phone=phone, applicant_id_number=id_number, received_at=at,
                received_by=audit.actor_name(actor), window=window)
            opened = [cases.open_case(actor, item, applicant=applicant, phone=phone, at=at, application=application)
                      for item in ordered]
            audit.append(actor, "application.open", f"application:{application.number}",
                         {"items": codes, "cases": [c.number for c in opened], "window": window})
            for case in _first_per_department(opened):
                Notice.objects.create(application=application, case=case, organisation_id=case.organisation_id,
                                      created_at=at)
                audit.append(actor, "application.notice", f"application:{application.number}",
                             {"organisation": case.organisation.name, "case": case.number,
                              "cases": [c.number for c in opened if c.organisation_id == case.organisation_id]})
    except cases.Refused as exc:  # changed meanwhile: the cases' own refusal was rolled back with them
        _refuse(actor, jurisdiction, codes, f"{exc}；整件申请未受理")
    return application


def _first_per_department(opened: list[Case]) -> list[Case]:
    seen, out = set(), []
    for case in opened:
        if case.organisation_id not in seen:
            seen.add(case.organisation_id)
            out.append(case)
    return out


def _next_number(jurisdiction: Jurisdiction, at: dt.datetime) -> str:
    """`430304-YC-20261129-0001`: the jurisdiction, 一窗, the Beijing date, a daily sequence taken
    with the jurisdiction's row locked (as case numbers are)."""
    Jurisdiction.objects.select_for_update().filter(pk=jurisdiction.pk).values_list("pk").first()
    prefix = f"{jurisdiction.code}-YC-{beijing_date(at).strftime('%Y%m%d')}-"
    taken = Application.objects.filter(number__gte=prefix, number__lt=prefix[:-1] + ".").count()
    return f"{prefix}{taken + 1:04d}"


# closing ----------------------------------------------------------------------------------------

def case_closed(actor, case: Case, at: dt.datetime) -> None:
    """Called by the case service inside the transaction that closes a case of an application:
    when it was the last open one, the application closes with the combined reply (集中回复)."""
    application = Application.objects.select_for_update().filter(pk=case.application_id).first()
    if application is None or application.status == ApplicationStatus.CLOSED:
        return
    if Case.objects.filter(application_id=application.pk).exclude(status=CaseStatus.CLOSED).exclude(
            pk=case.pk).exists():
        return
    reply = combined_reply(application)
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.CLOSED, closed_at=at, reply=reply)
    entry = ("application.close", f"application:{application.number}",
             {"cases": list(application.cases.order_by("pk").values_list("number", flat=True)), "reply": reply})
    # after the closing case's own entries, when the case service appends them at the transaction's end
    log_last = getattr(cases, "_LOG_LAST", None)
    pending = log_last.get() if log_last is not None else None
    if pending is None:
        audit.append(actor, *entry)
    else:
        pending.append((actor, [entry]))


def combined_reply(application: Application) -> str:
    """集中回复: one line per case, its department, item and result, in the order they were opened."""
    lines = [f"{application.title}（受理编号 {application.number}）办理结果："]
    for case in application.cases.select_related("item", "organisation").order_by("pk"):
        closed = beijing_date(case.closed_at).isoformat() if case.closed_at else ""
        lines.append(f"{case.organisation.name}·{case.item.name}（{case.number}）：{case.result or '办结'}"
                     f"{f'，{closed} 办结' if closed else ''}")
    return "\n".join(lines)


# reading ----------------------------------------------------------------------------------------

def progress_rows(application: Application) -> list[dict]:
    """Each department's progress (并联审批: the cases run independently)."""
    rows = []
    for case in application.cases.select_related("item", "organisation").order_by("pk"):
        shown = cases.describe(case)
        rows.append({"case": case, "number": case.number, "item": case.item.name, "code": case.item.code,
                     "department": case.organisation.name, "status": case.status,
                     "status_name": STATUS_NAMES[case.status], "ready": shown["ready"], "done": shown["done"],
                     "accepted": beijing_date(case.accepted_at), "due": case.due, "due_explained": case.due_explained,
                     "result": case.result, "closed": beijing_date(case.closed_at) if case.closed_at else None})
    return rows


def search_items(jurisdiction: Jurisdiction, q: str, limit: int = 20) -> list[PowerItem]:
    """Published, in-force items of the jurisdiction by name (simplified and traditional alike)
    or code."""
    key = normalise(q)
    if not key:
        return []
    today = beijing_date(timezone.now())
    qs = (PowerItem.objects.select_related("organisation")
          .filter(jurisdiction=jurisdiction, status=Status.PUBLISHED).exclude(category__in=NOT_APPLIED_FOR)
          .filter(Q(name_key__contains=key) | Q(code__startswith=q.strip()))
          .exclude(valid_from__gt=today).exclude(valid_to__lt=today).order_by("organisation__name", "code"))
    return list(qs[:limit])


def packages(jurisdiction: Jurisdiction) -> list[dict]:
    """The common packages this jurisdiction can offer: each with the published items whose names
    carry its words (one item per word), offered when at least two are found."""
    out = []
    for name, words in PACKAGES.items():
        chosen: list[PowerItem] = []
        for word in words:
            for item in search_items(jurisdiction, word, limit=5):
                if item not in chosen:
                    chosen.append(item)
                    break
        if len(chosen) >= 2:
            out.append({"name": name, "items": chosen})
    return out
