"""In Debian's Chromium (headless, localhost only): a reviewer opens the review page on a phone
(390 px) and on a desktop (1,280 px), reads the request without scrolling sideways, and
approves it; htmx (served from our static files) swaps the card in place."""

import shutil

import pytest

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)")


@pytest.mark.parametrize("width", [390, pytest.param(1280, marks=pytest.mark.slow)])  # the phone in the default run
@pytest.mark.django_db(transaction=True)
def test_reviewer_approves_a_change_request_in_the_browser(live_server, width):
    from django.conf import settings
    from django.test import Client
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from powerlist.catalog.models import PowerItem
    from powerlist.catalog.services import requests as request_services
    from powerlist.catalog.services.items import create_item
    from powerlist.conftest import item_document, make_user
    from powerlist.core.scope import SYSTEM
    from powerlist.core.services import jurisdictions, organisations
    from powerlist.testing import chromium

    jurisdictions.add_jurisdiction(SYSTEM, "43", "湖南省", None)
    jurisdictions.add_jurisdiction(SYSTEM, "4303", "湘潭市", "43")
    county = jurisdictions.add_jurisdiction(SYSTEM, "430304", "岳塘区", "4303")
    edu = organisations.create_organisation(SYSTEM, county, name="岳塘区教育局")
    clerk = make_user("edu_clerk", "clerk", county, edu)
    reviewer = make_user("reviewer1", "reviewer", county)
    item = create_item(SYSTEM, county, item_document(status="published", conditions="申请人应当具备相应条件" * 20))
    request_services.submit(clerk, "amend", item=item, changes={"promised_limit_days": 5,
                                                                "conditions": "新的申请条件" * 30},
                            reason="窗口提速，承诺时限压缩一半", basis="岳政办发〔2026〕3号")

    client = Client()
    client.force_login(reviewer)
    browser = chromium(width)
    try:
        browser.get(live_server.url + "/office/requests/")  # a page of ours, so the cookie can be set
        browser.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                            "path": "/"})
        browser.get(live_server.url + "/office/requests/")
        card = browser.find_element(By.CSS_SELECTOR, "article.card")
        assert "承诺时限（工作日）" in card.text and "窗口提速" in card.text
        scroll, client_width = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        # the viewport is the width asked for, less a vertical scroll bar when the page is tall
        assert width - 20 <= client_width <= width and scroll <= client_width  # nothing scrolls sideways
        card.find_element(By.CSS_SELECTOR, "button[value=approve]").click()
        WebDriverWait(browser, 10).until(
            lambda b: "已批准" in b.find_element(By.CSS_SELECTOR, "article.card").text)
        assert browser.current_url.endswith("/office/requests/")  # swapped in place, no page load
    finally:
        browser.quit()
    assert PowerItem.objects.get(pk=item.pk).promised_limit_days == 5
