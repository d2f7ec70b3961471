"""Cases for the demo county, so the clerks' workbench has work on its first start: the education
clerk accepts (受理) a handful of cases on the department's licensing items (opening a case is
the acceptance: the flowchart's 申请 and 受理 are done with it) and moves them
through the case service (never by writing rows), leaving them in varied states: ready at
different steps, returned for correction, suspended for expert review, due soon, overdue,
extended by the reviewer, closed on time and closed with a refusal. Dates are set in the past
through the service's `at`, so the due dates and their colours are real."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from powerlist.catalog.models import PowerItem, Status
from powerlist.core.errors import DomainError
from powerlist.core.models import Jurisdiction, User
from powerlist.core.workdays import Calendar, beijing_date
from powerlist.operation.models import Case
from powerlist.operation.services import cases

APPLICANTS = [("湘潭市岳塘区启明培训学校", "0731-58221001"), ("王晓红", "13807320001"), ("李建国", "13907320002"),
              ("湘潭市岳塘区阳光幼儿园", "0731-58221002"), ("赵敏", "13607320003"), ("陈志强", "13707320004"),
              ("湘潭市岳塘区新星艺术培训中心", "0731-58221003"), ("周丽", "13507320005"), ("孙伟", "13307320006")]


def _working_days_ago(n: int, cal: Calendar) -> dt.datetime:
    """A morning `n` working days before today (Beijing time)."""
    day = beijing_date(timezone.now())
    while n > 0:
        day -= dt.timedelta(1)
        if cal.day(day).working:
            n -= 1
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))


def _next_step(number: str) -> str | None:
    ready = cases.describe(cases.get_case(number))["ready"]
    return ready[0] if ready else None


def _advance(clerk, number: str, steps: int, at: dt.datetime) -> None:
    for k in range(steps):
        step = _next_step(number)
        if step is None:
            return
        cases.act(clerk, number, "complete", step, at=at + dt.timedelta(hours=1 + k))


def _make(clerk, reviewer, item: PowerItem, plan: str, ago: int, applicant: str, phone: str, cal: Calendar) -> Case:
    """One case accepted `ago` working days ago and moved as `plan` says."""
    at = _working_days_ago(max(ago, 0), cal)
    case = cases.open_case(clerk, item, applicant=applicant, phone=phone, at=at)
    later = at + dt.timedelta(hours=2)
    if plan == "step":  # the opening accepted it (受理): one step further, the review (审查) done
        _advance(clerk, case.number, 1, later)
    if plan == "return":
        cases.act(clerk, case.number, "return", _next_step(case.number),
                  reason="缺少办学场地产权证明或租赁合同", at=later + dt.timedelta(hours=3))
    elif plan == "expert":
        cases.act(clerk, case.number, "suspend", reason="专家评审：组织专家对办学条件进行论证",
                  at=later + dt.timedelta(hours=3))
    elif plan == "extend" and reviewer is not None:
        cases.act(reviewer, case.number, "extend", days=5, reason="申请材料涉及多个校区，需逐一实地核查",
                  at=later + dt.timedelta(hours=3))
    elif plan == "closed":
        _advance(clerk, case.number, 10, _working_days_ago(ago - 4, cal))
    elif plan == "refused":
        cases.act(clerk, case.number, "close", reason="不予受理：申请事项不属于本机关职权范围", at=later)
    return case


def open_cases(county: Jurisdiction) -> str:
    """Open the demo's cases (once: a county with cases keeps them); a line saying what was made."""
    if Case.objects.filter(jurisdiction=county).exists():
        return "办件 (cases): 已有办件，沿用"
    clerk = User.objects.filter(username="clerk").first()
    reviewer = User.objects.filter(username="reviewer").first()
    if clerk is None or clerk.organisation_id is None:
        return "办件 (cases): 没有演示经办人，未生成"
    today = beijing_date(timezone.now())
    items = [i for i in PowerItem.objects.filter(organisation_id=clerk.organisation_id, status=Status.PUBLISHED)
             .exclude(promised_limit_days=None).order_by("category", "code")[:40]
             if (i.valid_from is None or i.valid_from <= today - dt.timedelta(60))
             and (i.valid_to is None or i.valid_to >= today) and 3 <= (i.promised_limit_days or 0) <= 20][:6]
    if not items:
        return "办件 (cases): 本部门没有带承诺时限的现行事项，未生成"
    cal = Calendar()
    made, skipped = [], 0

    def item(k: int) -> PowerItem:
        return items[k % len(items)]

    plans = [  # (item, accepted how many working days ago, what then happens)
        (0, 0, "ready"), (1, 1, "step"), (2, 3, "return"), (3, 4, "expert"),
        (0, item(0).promised_limit_days - 2, "soon"), (1, item(1).promised_limit_days + 6, "overdue"),
        (2, 5, "extend"), (3, 25, "closed"), (4, 2, "refused"),
    ]
    # one transaction: the supervision rules then run once over all the demo's cases when it commits
    with transaction.atomic():
        for k, (index, ago, plan) in enumerate(plans):
            applicant, phone = APPLICANTS[k % len(APPLICANTS)]
            try:
                with transaction.atomic():  # a case that cannot be made leaves nothing behind
                    made.append(_make(clerk, reviewer, item(index), plan, ago, applicant, phone, cal))
            except DomainError:  # e.g. a due date in a year the calendar does not know yet
                skipped += 1
    words = f"办件 (cases): 演示经办人 clerk 受理了 {len(made)} 件（待办、退回补正、中止、临近期限、超期、延长、办结）"
    return words + (f"，{skipped} 件未能生成" if skipped else "")
