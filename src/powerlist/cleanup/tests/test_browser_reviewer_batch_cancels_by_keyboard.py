"""In Debian's Chromium (headless, localhost only), on a phone (390 px) and on a desk (1,280 px):
the reviewer opens the items with no legal basis, selects them with the keyboard (j, x), chooses
取消 with 2, types the reason and presses Enter; both are cancelled in one decision, the campaign
page shows the progress, and nothing on either page scrolls sideways."""

import shutil

import pytest

from powerlist.testing import no_sideways_scroll

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)")


@pytest.mark.parametrize("width", [390, pytest.param(1280, marks=pytest.mark.slow)])  # the phone in the default run
@pytest.mark.django_db(transaction=True)
def test_reviewer_batch_cancels_the_items_without_basis_by_keyboard(live_server, users, tmp_path, width):
    from django.conf import settings
    from django.test import Client
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    from powerlist.cleanup.models import Decision
    from powerlist.cleanup.tests.workbench_campaign import EDU, MARKET, NO_BASIS, open_campaign
    from powerlist.testing import chromium

    campaign = open_campaign(tmp_path, clerks=(("edu_clerk", EDU), ("market_clerk", MARKET)))
    client = Client()
    client.force_login(users["reviewer"])
    base = f"{live_server.url}/office/campaigns/{campaign.pk}/"
    browser = chromium(width)
    try:
        browser.get(base)
        browser.add_cookie({"name": settings.SESSION_COOKIE_NAME,
                            "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "path": "/"})
        browser.get(base + "items/?check=no_basis")
        rows = browser.find_elements(By.CSS_SELECTOR, "#items tbody tr[data-code]")
        assert sorted(r.get_attribute("data-code") for r in rows) == sorted(NO_BASIS)
        assert "键盘操作" in browser.page_source
        no_sideways_scroll(browser, width)

        keys = ActionChains(browser)
        keys.send_keys("j").send_keys("x").send_keys("j").send_keys("x").send_keys("2").perform()
        boxes = browser.find_elements(By.CSS_SELECTOR, "#items tbody input[name=code]")
        assert all(b.is_selected() for b in boxes)
        assert browser.find_element(By.CSS_SELECTOR, "input[name=kind][value=cancel]").is_selected()
        assert browser.switch_to.active_element.get_attribute("name") == "reason"
        ActionChains(browser).send_keys("法无授权不可为").send_keys(Keys.ENTER).perform()
        WebDriverWait(browser, 10).until(lambda b: "已对 2 个事项作出“取消”决定" in b.page_source)
        assert browser.current_url.endswith("/items/?check=no_basis")

        browser.get(base)
        table = browser.find_element(By.CSS_SELECTOR, "table.progress")
        assert EDU in table.text and MARKET in table.text
        assert browser.find_element(By.CSS_SELECTOR, "figure.chart svg").is_displayed()
        no_sideways_scroll(browser, width)

        browser.get(base + f"items/{NO_BASIS[0]}/")
        assert "无法律依据" in browser.find_element(By.ID, "panel").text
        no_sideways_scroll(browser, width)

        # one item decided beside its text: htmx swaps the panel in place, a bad target said in it
        browser.get(base + "items/E1/")
        browser.find_element(By.CSS_SELECTOR, "#panel input[name=kind][value=merge]").click()
        browser.find_element(By.CSS_SELECTOR, "#panel input[name=merge_into]").send_keys("NOPE")
        browser.find_element(By.CSS_SELECTOR, "#panel form.decide button[type=submit]").click()
        swapped = WebDriverWait(browser, 10, ignored_exceptions=[StaleElementReferenceException])
        swapped.until(lambda b: "整合须写明" in b.find_element(By.ID, "panel").text)
        browser.find_element(By.CSS_SELECTOR, "#panel input[name=kind][value=keep]").click()
        browser.find_element(By.CSS_SELECTOR, "#panel form.decide button[type=submit]").click()
        swapped.until(lambda b: "已作出“保留”决定" in b.find_element(By.ID, "panel").text)
        assert browser.current_url.endswith("/items/E1/")
    finally:
        browser.quit()
    decided = Decision.objects.filter(kind="cancel").order_by("entry__item__code")
    assert [(d.entry.item.code, d.cancel_reason, d.reason) for d in decided] == [
        (c, "no_legal_basis", "法无授权不可为") for c in sorted(NO_BASIS)]
    assert Decision.objects.get(entry__item__code="E1").kind == "keep"
