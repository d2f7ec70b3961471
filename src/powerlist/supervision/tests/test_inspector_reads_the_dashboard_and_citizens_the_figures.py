"""The inspector's dashboard: counts by rule and severity, charts, filters, an alert's drill-down
with the case's events, the appeals queue where the inspector decides in place (htmx); the clerk
appeals from 我的预警与黄红牌 and sees only their own cards; the citizen's page has aggregates
only: no names, no case numbers. A warning lifted (已解除) because its case was finished on time
counts in no figure and no score: the dashboard lists it apart, labelled, the public page says how
many were lifted."""

import pytest
from django.test import Client

from powerlist.core.scope import SYSTEM
from powerlist.supervision.models import Alert, Card
from powerlist.supervision.services import cards, sweeps
from powerlist.supervision.tests.cards_scene import small
from powerlist.supervision.tests.scene import walk


@pytest.fixture
def scene(county, departments, users):
    scene = small(county, departments, users)
    sweeps.sweep(SYSTEM, "430304")
    return scene


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def test_inspector_reads_the_dashboard_and_filters_it(scene):
    inspector = client_of(scene["users"]["inspector"])
    page = inspector.get("/office/supervision/").content.decode()
    assert '<dd id="total-alerts">5</dd>' in page and "超期办理" in page and "<svg" in page
    assert "效能得分 = 100" in page and "= 59" in page
    red = inspector.get("/office/supervision/?severity=red&rule=overdue").content.decode()
    assert '<dd id="total-alerts">2</dd>' in red
    assert '<dd id="total-alerts">0</dd>' in inspector.get("/office/supervision/?state=revoked").content.decode()
    assert inspector.get("/office/supervision/?period=2025-13&organisation=x").status_code == 200  # ignored


def test_inspector_drills_down_to_the_case_and_its_events(scene):
    alert = Alert.objects.get(case=scene["cases"]["skip"])
    page = client_of(scene["users"]["inspector"]).get(f"/office/supervision/alerts/{alert.pk}/").content.decode()
    number = scene["cases"]["skip"].number
    assert f'href="/office/cases/{number}/"' in page and alert.detail in page
    assert page.count("<tr>") >= 3 and "edu_clerk2" in page


def test_inspector_decides_an_appeal_in_place(scene):
    people = scene["users"]
    card = Card.objects.get(case=scene["cases"]["overdue"])
    cards.appeal(people["clerk"], card.pk, "专家评审期间应中止计时")
    inspector = client_of(people["inspector"])
    assert f'id="card-{card.pk}"' in inspector.get("/office/supervision/").content.decode()
    answer = inspector.post(f"/office/supervision/cards/{card.pk}/decide/", {"outcome": "uphold", "reason": ""},
                            HTTP_HX_REQUEST="true").content.decode()
    assert "请写明理由" in answer and Card.objects.get(pk=card.pk).state == "appealed"
    answer = inspector.post(f"/office/supervision/cards/{card.pk}/decide/", {"outcome": "uphold", "reason": "属实"},
                            HTTP_HX_REQUEST="true").content.decode()
    assert "维持" in answer and Card.objects.get(pk=card.pk).state == "upheld"
    inspector.post(f"/office/supervision/cards/{card.pk}/escalate/", {"reason": "移交督办"}, HTTP_HX_REQUEST="true")
    assert Card.objects.get(pk=card.pk).state == "escalated"


def test_clerk_appeals_from_their_page_and_sees_only_their_cards(scene):
    people = scene["users"]
    clerk = client_of(people["clerk"])
    page = clerk.get("/office/supervision/mine/").content.decode()
    mine = set(Card.objects.filter(person="edu_clerk").values_list("pk", flat=True))
    assert mine and all(f'id="card-{pk}"' in page for pk in mine)
    other = Card.objects.get(person="edu_clerk2")
    assert f'id="card-{other.pk}"' not in page
    card = Card.objects.get(case=scene["cases"]["overdue"])
    answer = clerk.post(f"/office/supervision/cards/{card.pk}/appeal/", {"reason": "已中止计时"},
                        HTTP_HX_REQUEST="true").content.decode()
    assert "申诉中" in answer and Card.objects.get(pk=card.pk).state == "appealed"
    assert clerk.get("/office/supervision/").status_code == 403  # the dashboard is the inspectors'
    market = client_of(people["market_clerk"])
    assert market.get(f"/office/supervision/alerts/{card.alert_id}/").status_code == 404
    assert market.post(f"/office/supervision/cards/{card.pk}/decide/", {"outcome": "revoke", "reason": "x"},
                       HTTP_HX_REQUEST="true").status_code == 404
    assert Card.objects.get(pk=card.pk).state == "appealed"


def test_the_public_page_has_aggregates_and_no_names_or_case_numbers(scene, client):
    page = client.get("/supervision/430304/").content.decode()
    assert "岳塘区教育局" in page and "效能得分 = 100" in page and "59" in page and "<svg" in page
    assert "5 " in page or "5条" in page or ">5<" in page
    for case in scene["cases"].values():
        assert case.number not in page
    for name in ("edu_clerk", "market_clerk", "张三丰", "李四光", "13912345678", "inspector1"):
        assert name not in page
    assert client.get("/supervision/").status_code == 200
    assert "岳塘区" in client.get("/supervision/").content.decode()
    assert client.get("/supervision/999999/").status_code == 404


def _finish_the_warned_case_on_time(scene):
    people = scene["users"]
    walk(scene["cases"]["warn"], ["受理", "审查", "决定", "送达"],
         [people["clerk"], people["edu_clerk2"], people["edu_clerk2"], people["clerk"]])
    sweeps.sweep(SYSTEM, "430304")
    lifted = Alert.objects.get(case=scene["cases"]["warn"])
    assert lifted.withdrawn_at is not None
    return lifted


def test_inspector_reads_a_lifted_warning_apart_from_the_live_figures(scene):
    lifted = _finish_the_warned_case_on_time(scene)
    inspector = client_of(scene["users"]["inspector"])
    page = inspector.get("/office/supervision/").content.decode()
    assert '<dd id="total-alerts">4</dd>' in page and '<a href="#withdrawn">1</a>' in page
    assert "临近办理期限" not in page.split('id="by-rule"')[1].split("</table>")[0]
    live, apart = page.split('<section class="card" id="withdrawn">')
    number = scene["cases"]["warn"].number
    assert number not in live and number in apart and "已解除" in apart and "不计入" in apart
    assert "撤销的牌和已解除预警的牌不扣分" in page
    yellow = inspector.get("/office/supervision/?severity=yellow").content.decode()
    assert '<dd id="total-alerts">1</dd>' in yellow  # the quiet-day inspection only
    assert inspector.get(f"/office/supervision/alerts/{lifted.pk}/").status_code == 200


def test_citizens_read_figures_without_the_lifted_warning(scene, client):
    _finish_the_warned_case_on_time(scene)
    page = client.get("/supervision/430304/").content.decode()
    assert "预警 4 条，黄红牌 4 张" in page and 'id="withdrawn"' in page and "1 条预警" in page
    assert "撤销的牌和已解除预警的牌不扣分" in page
    assert "预警 4 条" in client.get("/supervision/").content.decode()
