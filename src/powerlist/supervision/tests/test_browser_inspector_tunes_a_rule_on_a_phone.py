"""In Debian's Chromium (headless, localhost only): an inspector opens 监察规则 on a phone (390 px)
and on a desktop (1,280 px), reads the rules without scrolling sideways, and changes a rule's
parameter with a reason; htmx swaps the rule in place with its new version and its history."""

import shutil

import pytest

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)")


@pytest.mark.parametrize("width", [390, pytest.param(1280, marks=pytest.mark.slow)])  # the phone in the default run
@pytest.mark.django_db(transaction=True)
def test_inspector_changes_a_rule_in_the_browser(live_server, width, county, users):
    import importlib

    from django.apps import apps
    from django.conf import settings
    from django.test import Client
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from powerlist.supervision.models import Rule
    from powerlist.testing import chromium

    # a committing test before this one flushed the tables, the migration's built-in rules too
    if not Rule.objects.exists():
        importlib.import_module("powerlist.supervision.migrations.0002_builtin_rules").load(apps, None)
    client = Client()
    client.force_login(users["inspector"])
    browser = chromium(width)
    try:
        browser.get(live_server.url + "/office/supervision/rules/")
        browser.add_cookie({"name": settings.SESSION_COOKIE_NAME,
                            "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "path": "/"})
        browser.get(live_server.url + "/office/supervision/rules/")
        assert len(browser.find_elements(By.CSS_SELECTOR, "article.rule")) == Rule.objects.count()
        scroll, client_width = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width - 20 <= client_width <= width and scroll <= client_width  # nothing scrolls sideways
        article = browser.find_element(By.ID, "rule-repeated-return")
        assert "多次退回补正" in article.text and "第 1 版" in article.text
        browser.execute_script("arguments[0].scrollIntoView()", article)
        field = article.find_element(By.NAME, "param-max_returns")
        field.clear()
        field.send_keys("2")
        article.find_element(By.NAME, "reason").send_keys("本县试行两次补正")
        article.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(browser, 10).until(lambda b: b.execute_script(
            "return document.getElementById('rule-repeated-return').dataset.version") == "2")
        assert browser.current_url.endswith("/office/supervision/rules/")  # swapped in place, no page load
        article = browser.find_element(By.ID, "rule-repeated-return")
        assert "已保存：现为第 2 版" in article.text
        article.find_element(By.TAG_NAME, "summary").click()
        assert "本县试行两次补正" in article.find_element(By.CLASS_NAME, "history").text
        scroll, client_width = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll <= client_width
        browser.save_screenshot(f"/tmp/c3_rules_{width}.png")
    finally:
        browser.quit()
    assert Rule.objects.get(code="repeated-return").params["max_returns"] == 2
