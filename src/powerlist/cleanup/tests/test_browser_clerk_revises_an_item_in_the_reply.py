"""In Debian's Chromium (headless, localhost only), on a phone (390 px) and on a desk (1,280 px): a
department's clerk opens an item the reviewer asked to amend, chooses 已修改, opens the revision
form, changes the legal basis and the promised time limit under their Chinese names and sends it;
the panel swaps in place with the round's history reading old → new, first with a value refused
beside the form, and nothing on the page scrolls sideways."""

import shutil

import pytest

from powerlist.testing import no_sideways_scroll

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)")


@pytest.mark.parametrize("width", [390, pytest.param(1280, marks=pytest.mark.slow)])  # the phone in the default run
@pytest.mark.django_db(transaction=True)
def test_clerk_revises_basis_and_limit_in_the_reply(live_server, users, tmp_path, width):
    from django.conf import settings
    from django.test import Client
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from powerlist.catalog.models import PowerItem
    from powerlist.cleanup.services import decisions
    from powerlist.cleanup.tests.workbench_campaign import EDU, MARKET, open_campaign
    from powerlist.testing import chromium

    campaign = open_campaign(tmp_path, clerks=(("edu_clerk", EDU), ("market_clerk", MARKET)))
    decisions.decide(users["reviewer"], campaign, [{"code": "E1", "kind": "调整", "reason": "补充依据，缩短时限"}])
    client = Client()
    client.force_login(users["clerk"])
    base = f"{live_server.url}/office/campaigns/{campaign.pk}/"
    browser = chromium(width)
    try:
        browser.get(base)
        browser.add_cookie({"name": settings.SESSION_COOKIE_NAME,
                            "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "path": "/"})
        browser.get(base + "items/E1/")
        browser.find_element(By.CSS_SELECTOR, "#panel input[name=reply][value=revise]").click()
        browser.find_element(By.CSS_SELECTOR, "#panel details.revise summary").click()
        panel = browser.find_element(By.ID, "panel")
        assert "设定依据" in panel.text and "承诺时限（工作日）" in panel.text and "事项类型" in panel.text
        no_sideways_scroll(browser, width)

        limit = browser.find_element(By.CSS_SELECTOR, "#panel input[name=promised_limit_days], "
                                                      "#panel input[name=f_promised_limit_days]")
        limit.clear()
        limit.send_keys("99999")
        browser.find_element(By.CSS_SELECTOR, "#panel form.reply-form button[type=submit]").click()
        swapped = WebDriverWait(browser, 10, ignored_exceptions=[StaleElementReferenceException])
        swapped.until(lambda b: "99999" in b.find_element(By.CSS_SELECTOR, "#panel .error").text)
        no_sideways_scroll(browser, width)

        browser.find_element(By.CSS_SELECTOR, "#panel input[name=reply][value=revise]").click()
        limit = browser.find_element(By.CSS_SELECTOR, "#panel input[name=f_promised_limit_days]")
        limit.clear()
        limit.send_keys("7")
        basis = browser.find_element(By.CSS_SELECTOR, "#panel textarea[name='f_citations.setting']")
        basis.send_keys("\n《民办教育促进法》第十二条")
        browser.find_element(By.CSS_SELECTOR, "#panel form.reply-form button[type=submit]").click()
        swapped.until(lambda b: "部门修改" in b.find_element(By.ID, "panel").text)
        history = browser.find_element(By.CSS_SELECTOR, "#panel .revision").text
        assert "承诺时限（工作日）：— → 7" in history and "《民办教育促进法》第十二条" in history
        no_sideways_scroll(browser, width)
    finally:
        browser.quit()
    item = PowerItem.objects.get(code="E1")
    assert item.promised_limit_days == 7 and len(item.citations.all()) == 2
