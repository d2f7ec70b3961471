"""A clerk's workbench (/office/cases/): what is ready for me (my department's cases only, with
the post and the risk points of the step), due dates graded in working days with words, and one
case's page where the clerk completes, returns for correction, suspends and resumes through htmx;
the events appear in place, refusals come back as messages. Another department's clerk gets
nothing: no row, a 404 for the page and for the actions."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from powerlist.catalog.services.items import create_item
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM
from powerlist.operation.models import Case, CaseEvent
from powerlist.operation.services import cases

HTMX = {"HTTP_HX_REQUEST": "true"}


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def market_item(county, departments):
    return create_item(SYSTEM, county, item_document(code="430304-SC-XK-001", name="食品经营许可",
                                                     organisation="岳塘区市场监督管理局", status="published",
                                                     risk_points=[]))


def test_clerk_sees_only_their_departments_ready_steps_with_risk_points(licence, market_item, users):
    mine = cases.open_case(users["clerk"], licence, applicant="张三", phone="13812345678")
    # the opening accepted it (受理): 审查 is ready
    theirs = cases.open_case(users["market_clerk"], market_item)
    page = client_of(users["clerk"]).get("/office/cases/").content.decode()
    assert mine.number in page and theirs.number not in page
    assert "审查" in page and "降低标准违规审批" in page  # the item's risk point at 审查环节, on the ready step
    assert "集体审议，全程留痕" in page
    other = client_of(users["market_clerk"]).get("/office/cases/").content.decode()
    assert theirs.number in other and mine.number not in other
    department = client_of(users["clerk"]).get("/office/cases/?tab=department").content.decode()
    assert mine.number in department and theirs.number not in department


def test_department_list_filters_by_status_item_and_number(licence, users):
    first = cases.open_case(users["clerk"], licence)
    second = cases.open_case(users["clerk"], licence)
    cases.act(users["clerk"], second.number, "close", reason="申请人撤回")
    client = client_of(users["clerk"])
    closed = client.get("/office/cases/?tab=department&status=closed").content.decode()
    assert second.number in closed and first.number not in closed
    found = client.get(f"/office/cases/?tab=department&q={first.number[-4:]}").content.decode()
    assert first.number in found and second.number not in found
    by_item = client.get(f"/office/cases/?tab=department&item={licence.code}").content.decode()
    assert first.number in by_item and second.number in by_item
    assert client.get("/office/cases/?tab=department&item=NOPE").content.decode().count(licence.code[:6] + "-2") == 0


def test_due_dates_are_graded_in_working_days_and_said_in_words(county, departments, users):
    quick = create_item(SYSTEM, county, item_document(code="430304-JY-XK-031", status="published",
                                                      promised_limit_days=2))
    slow = create_item(SYSTEM, county, item_document(code="430304-JY-XK-032", status="published",
                                                     promised_limit_days=15))
    soon = cases.open_case(users["clerk"], quick)
    late = cases.open_case(users["clerk"], quick, at=timezone.now() - dt.timedelta(days=30))
    ample = cases.open_case(users["clerk"], slow)
    page = client_of(users["clerk"]).get("/office/cases/").content.decode()
    for case, level in ((soon, "soon"), (late, "overdue"), (ample, "ok")):
        row = page[page.index(case.number):]
        row = row[:row.index("</h3>")]
        assert f'class="due {level}"' in row
    assert "已超期" in page and "剩 2 个工作日" in page
    assert "期限充裕：剩余超过 3 个工作日" in page  # the legend says what the colours mean


def test_clerk_completes_returns_suspends_and_resumes_from_the_case_page(licence, users):
    case = cases.open_case(users["clerk"], licence, applicant="张三", phone="13812345678")
    client = client_of(users["clerk"])
    url = f"/office/cases/{case.number}/"
    page = client.get(url).content.decode()
    assert "张三" in page and "13812345678" in page  # in scope: the applicant, unmasked
    assert "承诺时限 10个工作日" in page  # the due date explains itself
    assert '<svg' in page and 'class="step ready"' in page  # the flowchart with the ready step marked

    done = client.post(url + "act/", {"action": "complete", "step": "Step_2"}, **HTMX).content.decode()
    assert "办理完成：审查 已记录" in done and 'class="step done"' in done
    returned = client.post(url + "act/", {"action": "return", "step": "Step_3", "reason": "缺少场地证明"},
                           **HTMX).content.decode()
    assert "退回补正：决定 已记录" in returned and "缺少场地证明" in returned and "已中止" in returned
    refused = client.post(url + "act/", {"action": "complete", "step": "Step_3"}, **HTMX)
    assert refused.status_code == 200
    assert "已中止" in refused.content.decode() and 'role="alert"' in refused.content.decode()
    resumed = client.post(url + "act/", {"action": "resume", "reason": "材料已补齐"}, **HTMX).content.decode()
    assert "恢复 已记录" in resumed
    suspended = client.post(url + "act/", {"action": "suspend", "kind": "专家评审", "reason": "请专家论证"},
                            **HTMX).content.decode()
    assert "中止 已记录" in suspended and "专家评审：请专家论证" in suspended
    client.post(url + "act/", {"action": "resume"}, **HTMX)
    actions = list(CaseEvent.objects.filter(case=case, refused=False).order_by("seq").values_list("action", flat=True))
    assert actions == ["accept", "complete", "complete", "return", "resume", "suspend", "resume"]
    assert CaseEvent.objects.filter(case=case, refused=True).count() == 1  # the refused attempt is on the record


def test_refusals_and_bad_input_are_messages_not_errors(licence, users):
    case = cases.open_case(users["clerk"], licence)
    client = client_of(users["clerk"])
    url = f"/office/cases/{case.number}/act/"
    for data, words in [({"action": "return", "step": "Step_2"}, "退回补正须写明原因"),
                        ({"action": "complete", "step": "Step_4"}, "只能沿流程图办理"),
                        ({"action": "extend", "days": "x", "reason": "复杂"}, "延长的天数"),
                        ({"action": "extend", "days": "5", "reason": "复杂"}, "无权批准延长"),
                        ({"action": "dance"}, "应为 complete")]:
        response = client.post(url, data, **HTMX)
        assert response.status_code == 200 and words in response.content.decode()
    plain = client.post(url, {"action": "close"})  # without htmx: back to the page with the message
    assert plain.status_code == 302 and plain["Location"].endswith(f"/office/cases/{case.number}/")
    assert "办结须写明原因" in client.get(plain["Location"]).content.decode()
    assert Case.objects.get(pk=case.pk).status == "open"


def test_reviewer_extends_and_clerk_closes_with_a_result(licence, users):
    case = cases.open_case(users["clerk"], licence)
    reviewer = client_of(users["reviewer"])
    page = reviewer.post(f"/office/cases/{case.number}/act/", {"action": "extend", "days": "5", "reason": "情况复杂"},
                         **HTMX).content.decode()
    assert "延长 已记录" in page and "延长 5个工作日（情况复杂，reviewer1 批准）" in page
    closed = client_of(users["clerk"]).post(f"/office/cases/{case.number}/act/",
                                            {"action": "close", "reason": "申请人撤回"}, **HTMX).content.decode()
    assert "已办结" in closed and "申请人撤回" in closed and "<form" not in closed  # nothing left to do


def test_another_departments_clerk_gets_nothing(licence, users):
    case = cases.open_case(users["clerk"], licence, applicant="张三")
    other = client_of(users["market_clerk"])
    assert other.get(f"/office/cases/{case.number}/").status_code == 404
    assert other.post(f"/office/cases/{case.number}/act/", {"action": "complete", "step": "Step_2"},
                      **HTMX).status_code == 404
    assert other.post(f"/office/cases/{case.number}/attach/", {}).status_code == 404
    assert CaseEvent.objects.filter(case=case).count() == 2  # the opening: accepted, 受理 completed
    inspector = client_of(users["inspector"]).get(f"/office/cases/{case.number}/").content.decode()
    assert "张三" in inspector and "/act/" not in inspector  # inspectors read, and act on nothing
    assert Client().get(f"/office/cases/{case.number}/").status_code == 302  # to the login


def test_clerk_uploads_a_file_and_sees_its_sha256(licence, users):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    case = cases.open_case(users["clerk"], licence)
    client = client_of(users["clerk"])
    data = "场地租赁合同".encode()
    response = client.post(f"/office/cases/{case.number}/attach/",
                           {"file": SimpleUploadedFile("合同.pdf", data, "application/pdf")})
    assert response.status_code == 302
    page = client.get(f"/office/cases/{case.number}/").content.decode()
    assert "合同.pdf" in page and hashlib.sha256(data).hexdigest() in page
    attachment = case.attachments.get()
    download = client.get(f"/office/cases/{case.number}/files/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == data
    other = client_of(users["market_clerk"])
    assert other.get(f"/office/cases/{case.number}/files/{attachment.pk}/").status_code == 404
    missing = client.post(f"/office/cases/{case.number}/attach/", {})
    assert "请选择要上传的文件" in client.get(missing["Location"]).content.decode()


def test_the_admins_case_list_leads_to_the_workbench(licence, users):
    page = client_of(users["clerk"]).get("/admin/operation/case/").content.decode()
    assert 'href="/office/cases/"' in page and "办件工作台" in page
    assert 'href="/office/cases/department/"' in page


def test_clerk_narrows_the_department_list_to_the_cases_they_handled(licence, users, departments, county):
    from powerlist.conftest import make_user

    colleague = make_user("edu_clerk2", "clerk", county, departments["岳塘区教育局"])
    mine = cases.open_case(users["clerk"], licence)
    theirs = cases.open_case(colleague, licence)
    helped = cases.open_case(colleague, licence)
    cases.act(users["clerk"], helped.number, "complete", "审查")
    page = client_of(users["clerk"]).get("/office/cases/?tab=department&mine=1").content.decode()
    assert mine.number in page and helped.number in page and theirs.number not in page
    everything = client_of(users["clerk"]).get("/office/cases/?tab=department").content.decode()
    assert theirs.number in everything


def test_clerk_finds_the_workbench_in_the_back_office_menu(licence, users):
    html = client_of(users["clerk"]).get("/office/cases/").content.decode()
    menu = html[html.find('class="office-menu"'):]
    menu = menu[:menu.find("</nav>")]
    assert 'href="/office/cases/"' in menu and "办件" in menu and 'aria-current="page"' in menu
