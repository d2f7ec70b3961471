"""After signing in, each person finds the task pages of their role in the back office's menu,
on the admin's pages and on the task pages alike."""

import pytest

from powerlist.conftest import make_user
from powerlist.core.models import Role

pytestmark = pytest.mark.django_db


def _menu(client, user, url="/admin/") -> str:
    client.force_login(user)
    html = client.get(url).content.decode()
    start = html.find('class="office-menu"')
    assert start != -1, "no menu"
    return html[start:html.find("</nav>", start)]


def test_a_clerk_sees_requests_campaigns_and_cases_but_not_publication(client, users):
    menu = _menu(client, users["clerk"])
    for label in ("动态调整申请", "清理工作", "办件", "部门效能", "我的预警与黄红牌"):
        assert label in menu
    assert "发布清单" not in menu and "综合窗口" not in menu


def test_a_reviewer_sees_publication_and_the_review_stages(client, users):
    menu = _menu(client, users["reviewer"], "/office/requests/")
    assert "发布清单" in menu and "合法性审查" in menu
    assert 'aria-current="page"' in menu  # the page the reviewer is on


def test_the_service_hall_sees_its_window(client, county):
    menu = _menu(client, make_user("hall1", Role.HALL, county))
    assert "综合窗口" in menu and "发布清单" not in menu


def test_the_portal_leads_citizens_to_the_progress_look_up_and_public_comment(client, county):
    html = client.get("/").content.decode()
    assert "/progress/" in html and "/consultation/" in html


def test_only_the_page_one_is_on_is_marked(client, users):
    menu = _menu(client, users["clerk"], "/office/cases/department/")
    assert menu.count('aria-current="page"') == 1
    marked = menu[menu.index('aria-current="page"'):]
    assert marked.index("部门效能") < marked.index("</a>")
