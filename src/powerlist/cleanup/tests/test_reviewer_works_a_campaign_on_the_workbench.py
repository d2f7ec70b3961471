"""The reviewer's workbench at /office/campaigns/: the reviewer filters the items with no legal
basis, cancels them all from the list in one post and sees the progress move; decides one item
beside its text and checks, where a bad merge target is said inline in Chinese and nothing is
stored; the list stays within a fixed number of queries however many items there are."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powerlist.cleanup.models import Decision, Entry
from powerlist.cleanup.services import check_cache, decisions, worklists
from powerlist.cleanup.tests.workbench_campaign import EDU, MARKET, NO_BASIS, open_campaign
from powerlist.conftest import make_user
from powerlist.core.models import Role


@pytest.fixture
def people(users, departments, county):
    return users | {"health_clerk": make_user("health_clerk", Role.CLERK, county, departments["岳塘区卫生健康局"])}


@pytest.fixture
def campaign(people, tmp_path):
    return open_campaign(tmp_path)


@pytest.fixture
def reviewer(people):
    client = Client()
    client.force_login(people["reviewer"])
    return client


def codes_on(page: str, codes) -> list[str]:
    return [c for c in codes if f'data-code="{c}"' in page]


ALL = ["E1", "E2", "E3", "H1", "M1", "M2", "M3"]


def test_reviewer_filters_no_legal_basis_batch_cancels_them_and_sees_progress_move(campaign, reviewer, people):
    base = f"/office/campaigns/{campaign.pk}/"
    page = reviewer.get(base).content.decode()
    assert "2026-12-31" in page and "开始第 2 轮" in page
    assert f"{base}items/?check=no_basis" in page  # the checks' counts link to the items they flag
    assert "<svg" in page and EDU in page
    assert "（打开时运行）" in page  # the slow checks (duplicates, mandate) run when first filtered by

    listed = reviewer.get(f"{base}items/?check=no_basis").content.decode()
    assert codes_on(listed, ALL) == sorted(NO_BASIS)
    response = reviewer.post(f"{base}decide/", {
        "code": NO_BASIS, "kind": "cancel", "cancel_reason": "no_legal_basis", "check": "no_basis",
        "next": f"{base}items/?check=no_basis"})
    assert response.status_code == 302 and response["Location"].endswith("?check=no_basis")
    assert sorted(Decision.objects.filter(kind="cancel", cancel_reason="no_legal_basis")
                  .values_list("entry__item__code", flat=True)) == sorted(NO_BASIS)

    progress = worklists.progress(people["reviewer"], campaign)
    assert {d.name: (d.reported, d.decided) for d in progress.departments} == {
        EDU: (3, 1), MARKET: (3, 1), "岳塘区卫生健康局": (1, 0)}
    page = reviewer.get(base).content.decode()
    assert page.count(">1/3</text>") == 2 and ">0/1</text>" in page  # the chart: decided out of reported
    # the list filtered by decision shows exactly those, with their decision in Chinese
    listed = reviewer.get(f"{base}items/?decision=cancel").content.decode()
    assert codes_on(listed, ALL) == sorted(NO_BASIS) and "取消" in listed
    listed = reviewer.get(f"{base}items/?decision=undecided").content.decode()
    assert codes_on(listed, ALL) == [c for c in ALL if c not in NO_BASIS]
    reviewer.post(f"{base}next-round/")
    campaign.refresh_from_db()
    assert campaign.current_round == 2
    page = reviewer.get(base).content.decode()
    assert ">0/3</text>" in page and "第 2 轮进度" in page  # a new round starts from nothing decided
    page = reviewer.get(base, {"round": 1}).content.decode()  # and the first round's stays to be read
    assert "第 1 轮进度" in page and page.count(">1/3</text>") == 2
    assert reviewer.get(base, {"round": "九"}).status_code == 200
    assert codes_on(reviewer.get(f"{base}items/?decision=undecided").content.decode(), ALL) == ALL


def test_a_batch_without_a_reason_changes_nothing_and_says_why(campaign, reviewer):
    base = f"/office/campaigns/{campaign.pk}/"
    response = reviewer.post(f"{base}decide/", {"code": ["E1", "E2"], "kind": "cancel", "reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "理由" in page and "取消事项必须说明理由" in page and 'role="alert"' in page
    assert 'value="E1"' in page and "checked" in page  # the selection is kept for a second try
    response = reviewer.post(f"{base}decide/", {"kind": "keep"})
    assert response.status_code == 400 and "请至少选择一个事项" in response.content.decode()
    assert not Decision.objects.exists()


def test_reviewer_searches_names_in_simplified_or_traditional(campaign, reviewer):
    base = f"/office/campaigns/{campaign.pk}/items/"
    assert codes_on(reviewer.get(base, {"q": "民辦學校"}).content.decode(), ALL) == ["E1"]
    assert codes_on(reviewer.get(base, {"q": "處罰"}).content.decode(), ALL) == ["E3", "M1", "M2"]
    assert codes_on(reviewer.get(base, {"check": "scope"}).content.decode(), ALL) == ["M3"]
    market = Entry.objects.filter(campaign=campaign, task__organisation__name=MARKET).first().task.organisation_id
    assert codes_on(reviewer.get(base, {"department": market}).content.decode(), ALL) == ["M1", "M2", "M3"]
    # an unknown filter value is dropped, not a 500
    assert reviewer.get(base, {"check": "nonsense", "decision": "<b>", "department": "x"}).status_code == 200


def test_reviewer_decides_one_item_and_a_bad_merge_target_is_said_inline(campaign, reviewer, people):
    url = f"/office/campaigns/{campaign.pk}/items/M2/"
    page = reviewer.get(url).content.decode()
    # side by side: the department's text, the checks with their suggestion, the decision form
    assert "对无证办学的处罚" in page and "没有设定依据或实施依据" in page and "建议取消" in page
    assert 'name="kind" value="merge"' in page
    response = reviewer.post(url + "decide/", {"kind": "merge", "merge_into": "NOPE", "reason": "重复"},
                             HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps the panel in place, with the problem in it
    panel = response.content.decode()
    assert 'id="panel"' in panel and "合并到“NOPE”" in panel and "整合须写明本次清理工作中承接事项的职权编码" in panel
    assert "<html" not in panel
    assert not Decision.objects.exists()
    response = reviewer.post(url + "decide/", {"kind": "merge", "merge_into": "M2"})  # plain form: the page again
    assert response.status_code == 400 and "事项不能整合到自身" in response.content.decode()
    assert not Decision.objects.exists()
    response = reviewer.post(url + "decide/", {"kind": "amend", "changes": "不存在的字段 5"}, HTTP_HX_REQUEST="true")
    assert "每行写一项修改" in response.content.decode() and not Decision.objects.exists()

    response = reviewer.post(url + "decide/", {"kind": "merge", "merge_into": "E3", "reason": "与教育局事项重复",
                                               "comment": "由教育局办理"}, HTTP_HX_REQUEST="true")
    panel = response.content.decode()
    assert "整合" in panel and "E3" in panel and "由教育局办理" in panel
    decision = Decision.objects.get()
    assert (decision.entry.item.code, decision.kind, decision.merge_into.code) == ("M2", "merge", "E3")
    # the legality review's sign-off shows beside the round it signs
    from powerlist.cleanup.services import stages

    stages.sign_off(people["legal"], campaign, ["M2"], "legality", "objected", comment="整合依据不足")
    page = reviewer.get(url).content.decode()
    assert "合法性审查" in page and "整合依据不足" in page
    response = reviewer.post(f"/office/campaigns/{campaign.pk}/items/E2/decide/",
                             {"kind": "amend", "changes": "承诺时限：5", "reason": "压缩时限"})
    assert response.status_code == 302
    assert Decision.objects.get(entry__item__code="E2").changes == {"promised_limit_days": {"before": None, "after": 5}}


@pytest.mark.parametrize("extra", [0, 60])
def test_items_list_reads_a_bounded_number_of_queries(campaign, reviewer, people, tmp_path, extra,
                                                      django_assert_max_num_queries):
    from powerlist.cleanup.services import campaigns
    from powerlist.cleanup.tests.campaign_files import HEADER, write_csv

    if extra:
        rows = [[f"E{100 + n}", f"第{n}号教育事项审批", "01", EDU, "《中华人民共和国教育法》第二十八条"] for n in range(extra)]
        campaigns.self_report(people["clerk"], campaign, write_csv(tmp_path / "more.csv", HEADER, rows))
    decisions.decide(people["reviewer"], campaign, [{"code": "E1", "kind": "保留"}, {"code": "M1", "kind": "保留"}])
    decisions.reply(people["clerk"], campaign, "E1", "accept")
    url = f"/office/campaigns/{campaign.pk}/items/"
    reviewer.get(url)  # the checks are computed once per campaign, then kept while its items are unchanged
    with django_assert_max_num_queries(15):
        page = reviewer.get(url).content.decode()
    assert "同意" in page
    with django_assert_max_num_queries(15):
        reviewer.get(url, {"check": "no_basis", "q": "处罚", "reply": "awaiting"})
    check_cache._cache.clear()
    with django_assert_max_num_queries(40):  # the first look runs the quick checks and the one asked for
        reviewer.get(url, {"check": "duplicate"})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(["check", "department", "decision", "reply", "q", "page"]),
                              st.one_of(st.text(max_size=30), st.sampled_from(["no_basis", "undecided", "awaiting",
                                                                                "99999999999999999999", "0"]))))
def test_whatever_the_reviewer_types_into_the_filters_the_list_answers(campaign, reviewer, params):
    response = reviewer.get(f"/office/campaigns/{campaign.pk}/items/", params)
    assert response.status_code == 200


def test_reviewer_filters_what_the_city_list_does_not_have(people, county, tmp_path):
    from powerlist.catalog.services.items import create_item
    from powerlist.cleanup.services import campaigns
    from powerlist.cleanup.tests.campaign_files import HEADER, write_csv
    from powerlist.conftest import item_document
    from powerlist.core.models import Jurisdiction
    from powerlist.core.scope import SYSTEM
    from powerlist.core.services import organisations

    city = Jurisdiction.objects.get(code="4303")
    organisations.create_organisation(SYSTEM, city, name="湘潭市教育局")
    for code, name in (("XT-1", "民办学校设立审批"), ("XT-2", "教師資格認定（市级）")):
        create_item(SYSTEM, city, item_document(code=code, name=name, organisation="湘潭市教育局", status="published"))
    campaign = campaigns.open_campaign(people["reviewer"], county, title="对照市级清单", deadline="2026-12-31",
                                       reference=city)
    rows = [["E1", "民办学校设立审批", "01", EDU, ""], ["E2", "教师资格认定", "01", EDU, ""],
            ["E3", "对违规办学的处罚", "02", EDU, ""]]
    campaigns.self_report(people["clerk"], campaign, write_csv(tmp_path / "edu.csv", HEADER, rows))
    client = Client()
    client.force_login(people["reviewer"])
    base = f"/office/campaigns/{campaign.pk}/"
    assert f"{base}items/?check=only_ours" in client.get(base).content.decode()
    assert codes_on(client.get(base + "items/", {"check": "only_ours"}).content.decode(), ALL) == ["E3"]
    page = client.get(base + "items/E2/").content.decode()
    assert "XT-2" in page and "对照上级清单" in page
    assert "湘潭市" in client.get(base + "items/E3/").content.decode()  # 湘潭市…中没有对应事项


def test_reviewer_finds_the_campaign_from_the_list_and_strangers_do_not(campaign, reviewer, people):
    page = reviewer.get("/office/campaigns/").content.decode()
    assert f'href="/office/campaigns/{campaign.pk}/"' in page and "2026年权责清单清理" in page
    assert "/office/campaigns/" in reviewer.get("/admin/cleanup/campaign/").content.decode()
    anonymous = Client()
    assert anonymous.get(f"/office/campaigns/{campaign.pk}/").status_code == 302  # to the sign-in page
    inspector = Client()
    inspector.force_login(people["inspector"])  # reads everything, decides nothing
    page = inspector.get(f"/office/campaigns/{campaign.pk}/items/E3/").content.decode()
    assert "对违规办学的处罚" in page and 'name="kind"' not in page and 'name="reply"' not in page
    assert Client().get("/office/campaigns/999999/").status_code == 302
    assert reviewer.get("/office/campaigns/999999/").status_code == 404


def test_reviewer_reads_the_duplicate_groups_and_the_duties_no_item_carries(people, departments, tmp_path):
    from powerlist.catalog.services.responsibilities import save_responsibility
    from powerlist.core.scope import SYSTEM

    save_responsibility(SYSTEM, departments[MARKET], {"kind": "duty", "title": "计量监督管理",
                                                      "content": "负责计量器具的监督管理"})
    reports = {EDU: [("E1", "对无证办学的处罚", "02", "")], MARKET: [("M1", "对無證辦學的處罰", "02", "")]}
    campaign = open_campaign(tmp_path, clerks=(("edu_clerk", EDU), ("market_clerk", MARKET)), reports=reports)
    client = Client()
    client.force_login(people["reviewer"])
    base = f"/office/campaigns/{campaign.pk}/"
    assert f"{base}checks/" in client.get(base).content.decode()
    page = client.get(base + "checks/").content.decode()
    assert "跨部门重复" in page and f"{base}items/E1/" in page and f"{base}items/M1/" in page
    assert "计量监督管理" in page
    # opened once, the duplicates are counted on the campaign page and flag the items in the list
    page = client.get(base).content.decode()
    assert "（打开时运行）" not in page.split("疑似重复")[1][:80]
    listed = client.get(base + "items/", {"check": "duplicate"}).content.decode()
    assert codes_on(listed, ["E1", "M1"]) == ["E1", "M1"]
    clerk = Client()
    clerk.force_login(people["clerk"])
    assert clerk.get(base + "checks/").status_code == 404
