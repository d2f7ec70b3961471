"""All or nothing: one item of the package that is not in force (cancelled, not yet in force,
not on the list) refuses the whole application with a message naming it; nothing is created and
the refusal is on the transparency log. Bad input is named field by field."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powerlist.catalog.models import PowerItem
from powerlist.core.errors import InvalidInput
from powerlist.core.models import AuditEntry
from powerlist.core.text import clean_cell
from powerlist.operation.models import Application, Case, CaseEvent, Notice
from powerlist.operation.services import applications
from powerlist.operation.services.cases import Refused
from powerlist.operation.tests.package import APPLICANT, PHONE, business_package


@pytest.fixture
def package(county, departments):
    return business_package(county, departments)


def nothing_created():
    return not (Application.objects.exists() or Case.objects.exists() or Notice.objects.exists()
                or CaseEvent.objects.exists())


def test_a_cancelled_item_refuses_the_whole_package_naming_it(package):
    PowerItem.objects.filter(code=package["codes"][2]).update(status="cancelled")
    with pytest.raises(Refused, match="430304-SW-QT-003 税务登记证核发已取消.*整件申请未受理"):
        applications.open_application(package["hall"], "430304", item_codes=package["codes"], applicant=APPLICANT,
                                      phone=PHONE)
    assert nothing_created()
    refused = AuditEntry.objects.get(action="application.refused")
    assert "430304-SW-QT-003" in refused.payload and APPLICANT not in refused.payload


def test_an_item_not_yet_in_force_or_not_listed_refuses_it(package):
    PowerItem.objects.filter(code=package["codes"][3]).update(valid_from=dt.date(2099, 1, 1))
    with pytest.raises(Refused, match="430304-GA-XK-004 自 2099-01-01 起施行"):
        applications.open_application(package["hall"], "430304", item_codes=package["codes"], applicant=APPLICANT,
                                      phone=PHONE)
    with pytest.raises(Refused, match="没有职权编码为 430304-XX-999 的事项"):
        applications.open_application(package["hall"], "430304", item_codes=package["codes"][:2] + ["430304-XX-999"],
                                      applicant=APPLICANT, phone=PHONE)
    assert nothing_created()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(phone=st.text(max_size=35), id_number=st.text(max_size=35), applicant=st.text(max_size=5))
def test_bad_applicant_details_are_named_and_nothing_is_created(package, phone, id_number, applicant):
    before = Application.objects.count(), Case.objects.count()
    try:
        created = applications.open_application(package["hall"], "430304", item_codes=package["codes"][:1],
                                                applicant=applicant, phone=phone, id_number=id_number)
    except InvalidInput as exc:
        assert {p.field for p in exc.problems} <= {"applicant", "phone", "id_number"}
        assert (Application.objects.count(), Case.objects.count()) == before
    else:
        assert created.applicant_name == clean_cell(applicant)
        assert created.applicant_phone or created.applicant_id_number
        assert (Application.objects.count(), Case.objects.count()) == (before[0] + 1, before[1] + 1)


def test_no_way_to_look_it_up_is_refused(package):
    with pytest.raises(InvalidInput, match="后四位"):
        applications.open_application(package["hall"], "430304", item_codes=package["codes"], applicant=APPLICANT)
    with pytest.raises(InvalidInput, match="至少选择一个事项"):
        applications.open_application(package["hall"], "430304", item_codes=[], applicant=APPLICANT, phone=PHONE)
    assert nothing_created()


def test_a_penalty_is_not_applied_for_at_the_window(package):
    PowerItem.objects.filter(code=package["codes"][1]).update(category="02")
    assert package["codes"][1] not in {i.code for i in applications.search_items(package["items"][0].jurisdiction,
                                                                                 "组织机构代码")}
    with pytest.raises(Refused, match="行政处罚.*不在综合窗口受理"):
        applications.open_application(package["hall"], "430304", item_codes=package["codes"], applicant=APPLICANT,
                                      phone=PHONE)
    assert nothing_created()
