"""The clerks' and department heads' workbenches (办件工作台), under /office/cases/: what is ready
for me, my department's cases, the notices of one-window applications (抄告), one case's page
with the actions the case service allows (htmx, re-rendered in place), and a department's figures.
Every write calls `services.cases` or `services.notices`; refusals are shown as messages."""

from pathlib import Path

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powerlist.core import scope
from powerlist.core.admin_base import role_of
from powerlist.core.errors import DomainError, InvalidInput, NotFound, Problem
from powerlist.core.models import Role
from powerlist.operation.models import Attachment, CaseAction, CaseStatus
from powerlist.operation.services import cases as case_service
from powerlist.operation.services import decisions
from powerlist.operation.services import fields as case_fields
from powerlist.operation.services import notices as notice_service
from powerlist.operation.services import worklists
from powerlist.portal import svg

PER_PAGE = 30
MAX_UPLOAD = 20 * 1024 * 1024
TABS = [("todo", "My work to do"), ("department", "My department's cases"), ("notices", "Notices")]


def _office_user(request):
    if role_of(request.user) is None:
        raise Forbidden
    return request.user


def _context(request, title: str, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, **extra}


def _error_text(exc: DomainError) -> str:
    if isinstance(exc, InvalidInput):
        return "；".join(p.expected for p in exc.problems)
    return str(exc)


def workbench(request):
    """我的待办 · 本部门办件 · 抄告."""
    user = _office_user(request)
    tab = request.GET.get("tab") or "todo"
    if tab not in dict(TABS):
        tab = "todo"
    organisations = list(worklists.organisations(user)[:500])
    org_id = _chosen(request, user, organisations)
    ctx = {"tab": tab, "tabs": [(k, _(v)) for k, v in TABS], "organisations": organisations, "org_id": org_id,
           "statuses": [(k, worklists.STATUS_NAMES[k]) for k in CaseStatus.values],
           "unread": len(worklists.notices(user, unread_only=True)), "legend": _legend()}
    if tab == "todo":
        ctx["rows"] = worklists.todo(user)
    elif tab == "department":
        status, item, number = request.GET.get("status", ""), request.GET.get("item", ""), request.GET.get("q", "")
        mine = request.GET.get("mine") == "1"
        qs = worklists.department_cases(user, org_id, status, item, number[:40], mine=mine)
        page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
        ctx.update(page=page, rows=worklists.rows(page.object_list, user), status=status, item=item, q=number,
                   mine=mine, items=worklists.items_with_cases(user, org_id))
    else:
        ctx["notices"] = worklists.notices(user)
        for n in ctx["notices"]:
            n.may_read = notice_service.may_read(user, n)
    return render(request, "operation/workbench/workbench.html", _context(request, _("Cases workbench"), **ctx))


def _chosen(request, user, organisations) -> int | None:
    """The department whose cases or figures are shown: a clerk's own; others choose (none: all)."""
    if scope._role(user) == Role.CLERK:
        return user.organisation_id
    raw = request.GET.get("organisation", "")
    allowed = {o.pk for o in organisations}
    return int(raw) if raw.isdigit() and int(raw) in allowed else None


def _legend() -> list[tuple[str, str]]:
    return [("ok", f"期限充裕：剩余超过 {worklists.SOON} 个工作日"),
            ("soon", f"临近期限：剩余 {worklists.SOON} 个工作日以内（含今日到期）"),
            ("overdue", "已超期：已过办理期限"), ("paused", "已中止：期限顺延")]


# --- one case ------------------------------------------------------------------------------------

def _case_context(user, case, message: str = "", level: str = "") -> dict:
    case_steps = worklists.steps(case)
    asked = case_fields.for_case(case)  # the fields a following gateway reads, given with the step
    case_steps = {**case_steps, "ready": [{**s, "fields": asked.get(s["id"], []), **decisions.page(case, s["name"], s["id"])}
                                          for s in case_steps["ready"]]}  # 复核 and 裁量: decisions.page
    allowed = worklists.actions(user, case, case_steps["ready"])
    case_steps["ready"] = [{**s, "actions": allowed["steps"].get(s["id"], [])} for s in case_steps["ready"]]
    return {"case": case, "steps": case_steps, "allowed": allowed, "message": message, "message_level": level,
            "status_name": worklists.STATUS_NAMES.get(case.status, case.status),
            "urgency": worklists.urgency(case), "timeline": worklists.timeline(case),
            "action_names": worklists.ACTION_NAMES, "suspension_reasons": worklists.SUSPENSION_REASONS,
            "can_close": CaseAction.CLOSE in allowed["case"], "can_extend": CaseAction.EXTEND in allowed["case"],
            "can_suspend": CaseAction.SUSPEND in allowed["case"], "can_resume": CaseAction.RESUME in allowed["case"],
            "can_attach": worklists.may_act(user, case), "legend": _legend(),
            "can_approve": case.status == CaseStatus.OPEN and decisions.may_approve(user, case)}


def _visible(user, number: str):
    try:
        return worklists.visible_case(user, number)
    except NotFound:
        raise Http404(f"没有编号为 {number} 的办件") from None


def case_page(request, number: str):
    user = _office_user(request)
    case = _visible(user, number)
    ctx = _case_context(user, case)
    ctx["chart"] = mark_safe(worklists.chart(case, ctx["steps"]))  # noqa: S308 - escaped by the renderer
    ctx["attachments"] = list(Attachment.objects.filter(case=case).order_by("added_at", "pk"))
    return render(request, "operation/workbench/case.html", _context(request, f"{_('Case')} {case.number}", **ctx))


@require_POST
def act(request, number: str):
    """One action on the case through `cases.act`; htmx re-renders the case's working part."""
    user = _office_user(request)
    case = _visible(user, number)
    action = request.POST.get("action", "")
    step = request.POST.get("step", "")
    reason = request.POST.get("reason", "").strip()[:500]
    if action == CaseAction.SUSPEND:
        kind = request.POST.get("kind", "")
        reason = f"{kind}：{reason}" if kind and reason else (kind or reason)
    days = request.POST.get("days", "").strip()
    data = {k[5:]: v.strip()[:500] for k, v in request.POST.items() if k.startswith("data.") and v.strip()}
    message, level = "", "success"
    try:
        if days and not (days.isdigit() and len(days) <= 4):
            raise InvalidInput([Problem("", None, "days", days[:20], "延长的天数应为 1 至 365 的整数")])
        if action == decisions.APPROVE:
            event = decisions.approve(user, case.number, step, reason)
        else:
            form = {k: request.POST.get(k, "").strip()[:100] for k in decisions.FORM}
            form["penalty_type"] = "、".join(t.strip() for t in request.POST.getlist("penalty_type") if t.strip())[:100]
            with decisions.given(**form):
                event = case_service.act(user, case.number, action, step or None, reason=reason,
                                         days=int(days) if days else None,
                                         data=data if action == CaseAction.COMPLETE and data else None)
        what = worklists.ACTION_NAMES.get(event.action, event.action) + (f"：{event.step}" if event.step else "")
        message = f"{what} 已记录（第 {event.seq} 号事件）"
    except DomainError as exc:
        message, level = _error_text(exc), "error"
    case = _visible(user, number)
    if getattr(request, "htmx", False):
        ctx = _case_context(user, case, message, level)
        ctx["chart"] = mark_safe(worklists.chart(case, ctx["steps"]))  # noqa: S308
        return render(request, "operation/workbench/_case_work.html", ctx)
    (messages.error if level == "error" else messages.success)(request, message)
    return HttpResponseRedirect(reverse("cases:case", args=[case.number]))


@require_POST
def attach(request, number: str):
    user = _office_user(request)
    case = _visible(user, number)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise InvalidInput([Problem("", None, "file", "", "请选择要上传的文件")])
        if upload.size > MAX_UPLOAD:
            raise InvalidInput([Problem(upload.name, None, "file", f"{upload.size} 字节",
                                                     f"文件不能大于 {MAX_UPLOAD // 1024 // 1024} MB")])
        attachment = case_service.attach(user, case.number, upload.name, upload.read(),
                                         step=request.POST.get("step", "")[:300])
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, f"已添加材料 {attachment.filename}（sha256 {attachment.sha256}）")
    return HttpResponseRedirect(reverse("cases:case", args=[case.number]) + "#attachments")


def attachment(request, number: str, attachment_id: int):
    """A file of the case, to those who may read the case."""
    user = _office_user(request)
    case = _visible(user, number)
    found = Attachment.objects.filter(case=case, pk=attachment_id).first()
    path = Path(settings.POWERLIST_DATA_DIR) / found.path if found is not None else None
    if path is None or not path.is_file():
        raise Http404("没有这份材料")
    return FileResponse(path.open("rb"), as_attachment=True, filename=found.filename)


# --- notices -------------------------------------------------------------------------------------

@require_POST
def read_notice(request, notice_id: int):
    user = _office_user(request)
    error = ""
    try:
        notice = notice_service.read_notice(user, notice_id)
    except NotFound:
        raise Http404("没有这条抄告通知") from None
    except DomainError as exc:
        error = _error_text(exc)
        notice = next((n for n in worklists.notices(user) if n.pk == notice_id), None)
        if notice is None:
            raise Http404("没有这条抄告通知") from None
    if getattr(request, "htmx", False):
        notice.may_read = notice_service.may_read(user, notice)
        return render(request, "operation/workbench/_notice.html", {"n": notice, "error": error})
    (messages.error if error else messages.success)(request, error or f"已签收 {notice.application.number} 的抄告")
    return HttpResponseRedirect(reverse("cases:workbench") + "?tab=notices")


# --- the department head's page ------------------------------------------------------------------

def department(request):
    """部门办件统计: on-time rate, average working days, open cases by step, overdue cases, rating."""
    user = _office_user(request)
    organisations = list(worklists.organisations(user)[:500])
    org_id = _chosen(request, user, organisations) or (organisations[0].pk if len(organisations) == 1 else None)
    org = next((o for o in organisations if o.pk == org_id), None)
    figures = worklists.figures(org) if org is not None else None
    chart = ""
    if figures and figures["by_step"]:
        chart = mark_safe(svg.bar_chart(figures["by_step"], f"{org.name} 在办件按环节分布"))  # noqa: S308
    return render(request, "operation/workbench/department.html", _context(
        request, _("Department performance"), organisations=organisations, org=org, figures=figures, chart=chart,
        chooses=scope._role(user) != Role.CLERK))
