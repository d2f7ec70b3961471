"""An inspector opens 监察规则 from the dashboard and the back-office menu, reads every rule with its
basis, version and last change, changes one with a reason (htmx: the rule comes back in place with
its new version and its change history), is told what a bad parameter expects, and sets the county's
quiet days. Reviewers read the page without the forms; clerks cannot open it. A warning withdrawn
because its condition ended reads 已解除 on the dashboard."""

import pytest
from django.test import Client
from django.utils import timezone

from powerlist.core.scope import SYSTEM
from powerlist.operation.services import cases
from powerlist.supervision.models import Alert, QuietDays, Rule
from powerlist.supervision.services import sweeps
from powerlist.supervision.tests.scene import items

HTMX = {"HTTP_HX_REQUEST": "true"}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_inspector_reads_and_changes_a_rule_in_place(users):
    client = _client(users["inspector"])
    dashboard = client.get("/office/supervision/").content.decode()
    assert 'href="/office/supervision/rules/"' in dashboard
    page = client.get("/office/supervision/rules/").content.decode()
    assert page.count('class="card rule"') == Rule.objects.count()
    assert "多次退回补正" in page and "《行政许可法》第三十二条" in page and "max_returns = 1" in page
    assert "收费标准尚未结构化" in page  # why the fee rule is off

    answer = client.post("/office/supervision/rules/repeated-return/",
                         {"enabled": "1", "severity": "red", "param-max_returns": "2", "reason": "本县试行两次补正"},
                         **HTMX).content.decode()
    assert answer.startswith("\n<article") or "<article" in answer[:200]
    assert 'data-version="2"' in answer and "本县试行两次补正" in answer and "max_returns = 2" in answer
    rule = Rule.objects.get(code="repeated-return")
    assert (rule.version, rule.severity, rule.params["max_returns"]) == (2, "red", 2)

    bad = client.post("/office/supervision/rules/repeated-return/",
                      {"enabled": "1", "severity": "red", "param-max_returns": "两次"}, **HTMX).content.decode()
    assert "params.max_returns：应为 0 至 3650 的整数" in bad and 'data-version="2"' in bad
    off = client.post("/office/supervision/rules/skipped-step/", {"enabled": "0"}, **HTMX).content.decode()
    assert "停用规则须写明原因" in off and Rule.objects.get(code="skipped-step").enabled
    client.post("/office/supervision/rules/skipped-step/", {"enabled": "0", "reason": "试运行期间暂停"}, **HTMX)
    assert Rule.objects.get(code="skipped-step").disabled_reason == "试运行期间暂停"
    # without JavaScript: back to the page at the rule
    plain = client.post("/office/supervision/rules/overdue/", {"enabled": "1", "severity": "yellow"})
    assert plain.status_code == 302 and plain["Location"].endswith("/office/supervision/rules/#rule-overdue")
    assert Rule.objects.get(code="overdue").severity == "yellow"


def test_inspector_sets_the_quiet_days_and_others_may_not(county, users):
    client = _client(users["inspector"])
    answer = client.post("/office/supervision/rules/quiet-days/",
                         {"jurisdiction": "430304", "first_day": "1", "last_day": "20"}, **HTMX).content.decode()
    assert "岳塘区（430304）" in answer
    assert (QuietDays.objects.get(jurisdiction=county).last_day) == 20
    bad = client.post("/office/supervision/rules/quiet-days/",
                      {"jurisdiction": "430304", "first_day": "x", "last_day": "20"}, **HTMX).content.decode()
    assert 'role="alert"' in bad and QuietDays.objects.get(jurisdiction=county).first_day == 1

    reviewer = _client(users["reviewer"]).get("/office/supervision/rules/").content.decode()
    assert "多次退回补正" in reviewer and "<form" not in reviewer.split('id="content-main"')[1]
    assert _client(users["reviewer"]).post("/office/supervision/rules/overdue/",
                                           {"severity": "yellow"}).status_code == 403
    assert _client(users["clerk"]).get("/office/supervision/rules/").status_code == 403
    assert Rule.objects.get(code="overdue").severity == "red"


def test_an_inspector_sets_on_the_page_only_the_quiet_days_their_jurisdiction_covers(county, other_county, users):
    from powerlist.conftest import make_user
    from powerlist.core.models import Role

    client = _client(make_user("inspector_yt", Role.INSPECTOR, county))
    answer = client.post("/office/supervision/rules/quiet-days/",
                         {"jurisdiction": "430302", "first_day": "1", "last_day": "20"}, **HTMX).content.decode()
    assert 'role="alert"' in answer and "无权设置雨湖区（430302）的宁静日" in answer
    assert not QuietDays.objects.filter(jurisdiction=other_county).exists()
    plain = client.post("/office/supervision/rules/quiet-days/",
                        {"jurisdiction": "430302", "first_day": "1", "last_day": "20"}, follow=True)
    assert "无权设置雨湖区（430302）的宁静日" in plain.content.decode()
    client.post("/office/supervision/rules/quiet-days/", {"jurisdiction": "430304", "first_day": "1", "last_day": "19"},
                **HTMX)
    assert QuietDays.objects.get(jurisdiction=county).last_day == 19
    _client(users["admin"]).post("/office/supervision/rules/quiet-days/",
                                 {"jurisdiction": "430302", "first_day": "1", "last_day": "21"}, **HTMX)
    assert QuietDays.objects.get(jurisdiction=other_county).last_day == 21


@pytest.mark.parametrize("who,shown", [("inspector", True), ("clerk", False)])
def test_the_menu_links_the_rules_page_for_inspectors(users, who, shown):
    page = _client(users[who]).get("/office/supervision/mine/" if who == "clerk" else "/office/supervision/")
    assert ('href="/office/supervision/rules/"' in page.content.decode()) is shown


def test_a_withdrawn_warning_reads_withdrawn_on_the_dashboard(county, departments, users):
    case = cases.open_case(users["clerk"], items(county, departments)["quick"])
    sweeps.sweep(SYSTEM, "430304")
    warning = Alert.objects.get(case=case, rule="deadline-warning")
    Alert.objects.filter(pk=warning.pk).update(withdrawn_at=timezone.now())
    client = _client(users["inspector"])
    assert "已解除" in client.get("/office/supervision/").content.decode()
    assert "已解除" in client.get(f"/office/supervision/alerts/{warning.pk}/").content.decode()
