"""统一受理、抄告相关、同步审批、集中回复: the service hall takes one application for 营业执照 +
组织机构代码证 + 税务登记证 + 刻章许可 across four departments; four cases open at once, each
department is told, each runs its case on its own, and the application closes with one combined
reply when the last result is in."""

import pytest

from powerlist.core.models import AuditEntry, Role
from powerlist.conftest import make_user
from powerlist.operation.models import Application, Case, CaseEvent, Notice
from powerlist.operation.services import applications, cases
from powerlist.operation.services.cases import Refused
from powerlist.operation.tests.package import APPLICANT, ID_NUMBER, PACKAGE, PHONE, business_package

STEPS = ["审查", "决定", "送达"]  # 受理: the hall's opening (统一受理) accepted every case


@pytest.fixture
def package(county, departments):
    return business_package(county, departments)


def test_hall_opens_four_cases_and_the_last_result_closes_the_application(package):
    application = applications.open_application(
        package["hall"], "430304", title="企业开办", item_codes=package["codes"], applicant=APPLICANT, phone=PHONE,
        id_number=ID_NUMBER, window="3号窗口")
    assert application.number.startswith("430304-YC-") and application.number.endswith("-0001")
    opened = list(Case.objects.filter(application=application).order_by("pk"))
    assert [c.item.code for c in opened] == package["codes"]
    assert {c.organisation.name for c in opened} == {org for _c, _n, org in PACKAGE}
    assert all(c.accepted_by == "hall1" and c.applicant_name == APPLICANT and c.due for c in opened)
    # all four run at once, accepted by the hall's opening (统一受理): 受理 is done, not asked again
    assert all(cases.describe(c)["ready"] == ["审查"] and cases.describe(c)["done"] == ["受理"] for c in opened)
    assert all(CaseEvent.objects.filter(case=c, action="complete", step="受理", actor="hall1").count() == 1
               for c in opened)
    notices = Notice.objects.filter(application=application)
    assert sorted(n.organisation.name for n in notices) == sorted(org for _c, _n, org in PACKAGE)
    logged = AuditEntry.objects.filter(target=f"application:{application.number}")
    assert [e.action for e in logged.order_by("seq")] == ["application.open"] + ["application.notice"] * 4
    assert APPLICANT not in "".join(e.payload for e in logged)  # nothing personal on the transparency log

    # each department works on its own; the order between them does not matter
    for case in reversed(opened[1:]):
        clerk = package["clerks"][case.organisation.name]
        for step in STEPS:
            cases.act(clerk, case.number, "complete", step, reason="准予" if step == "送达" else "")
        assert Application.objects.get(pk=application.pk).status == "open"
    # the last one ends early with a refusal (不予许可), closing the application all the same
    first = opened[0]
    cases.act(package["clerks"][first.organisation.name], first.number, "close", reason="不予许可：名称与已登记企业重复")
    closed = Application.objects.get(pk=application.pk)
    assert closed.status == "closed" and closed.closed_at is not None
    lines = closed.reply.splitlines()
    assert len(lines) == 5 and application.number in lines[0]
    assert "岳塘区市场监督管理局·企业设立登记（营业执照）" in lines[1] and "不予许可" in lines[1]
    assert all("准予" in line for line in lines[2:])
    closings = AuditEntry.objects.filter(target=f"application:{application.number}", action="application.close")
    assert closings.count() == 1
    last_case_closed = AuditEntry.objects.get(target=f"case:{first.number}", action="case.close")
    assert closings.get().seq > last_case_closed.seq  # on the log after the result that completed it


def test_a_department_sees_only_its_own_case_and_acts_only_on_it(package):
    application = applications.open_application(package["hall"], "430304", item_codes=package["codes"][:2],
                                                applicant=APPLICANT, phone=PHONE)
    market, quality = (Case.objects.get(application=application, item__code=c) for c in package["codes"][:2])
    with pytest.raises(Refused, match="无权办理"):
        cases.act(package["clerks"]["岳塘区质量技术监督局"], market.number, "complete", "审查")
    cases.act(package["clerks"]["岳塘区质量技术监督局"], quality.number, "complete", "审查")
    assert cases.describe(Case.objects.get(pk=market.pk))["ready"] == ["审查"]
    assert list(applications.visible(package["clerks"]["岳塘区税务局"])) == []
    assert list(applications.visible(package["clerks"]["岳塘区质量技术监督局"])) == [application]
    assert application.title == "企业设立登记（营业执照）、组织机构代码证核发"


def test_hall_clerk_accepts_for_departments_only_inside_an_application(package):
    with pytest.raises(Refused, match="无权办理"):
        cases.open_case(package["hall"], package["codes"][0], "430304", applicant=APPLICANT)
    assert not Case.objects.exists()


def test_only_the_hall_reviewers_and_admins_of_the_jurisdiction_open_applications(package, users, other_county):
    outsider = make_user("hall_yuhu", Role.HALL, other_county)
    for actor in (outsider, users["clerk"], users["inspector"]):
        with pytest.raises(Exception, match="无权"):
            applications.open_application(actor, "430304", item_codes=package["codes"], applicant=APPLICANT,
                                          phone=PHONE)
    assert applications.open_application(users["reviewer"], "430304", item_codes=package["codes"][:1],
                                         applicant=APPLICANT, phone=PHONE).number.endswith("-0001")
    second = applications.open_application(users["admin"], "430304", item_codes=package["codes"][1:],
                                           applicant="某某科技有限公司", id_number="91430300MA4L123456")
    assert second.number.endswith("-0002") and Case.objects.filter(application=second).count() == 3
