"""A department adds a legal basis to its item in its reply on the workbench: the new basis is
verified against the law corpus as it is saved, so the item page shows the verdict, never
“依据尚未核验：请先运行 powerlist laws check” (a console command a reviewer on the web cannot run)."""

import pytest
from django.test import Client

from powerlist.catalog.models import Citation, PowerItem
from powerlist.cleanup.checks import legal_basis_findings
from powerlist.cleanup.services import decisions
from powerlist.cleanup.tests.workbench_campaign import BASIS, EDU, MARKET, open_campaign

pytestmark = pytest.mark.django_db
NEW_BASIS = "《中华人民共和国民办教育促进法》第十二条"


def test_department_adds_a_basis_on_the_workbench_and_the_item_page_shows_its_verdict(users, tmp_path):
    campaign = open_campaign(tmp_path, clerks=(("edu_clerk", EDU), ("market_clerk", MARKET)))
    decisions.decide(users["reviewer"], campaign, [{"code": "E1", "kind": "调整", "changes": "承诺时限：10",
                                                    "comment": "请补充依据"}])
    clerk = Client()
    clerk.force_login(users["clerk"])
    url = f"/office/campaigns/{campaign.pk}/items/E1/"
    response = clerk.post(url + "reply/", {"reply": "revise", "reply_text": "补充设定依据",
                                           "f_citations.setting": f"{BASIS}\n{NEW_BASIS}"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "已修改" in response.content.decode()
    added = Citation.objects.get(item__code="E1", raw_text=NEW_BASIS)
    assert added.checked_at is not None
    items = PowerItem.objects.filter(code="E1")
    assert all(f.problem != "unchecked" for f in legal_basis_findings(items))
    for reader in (clerk, _reviewer(users)):
        page = reader.get(url).content.decode()
        assert "powerlist laws check" not in page and "尚未核验" not in page


def _reviewer(users):
    client = Client()
    client.force_login(users["reviewer"])
    return client
