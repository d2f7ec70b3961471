"""In Debian's Chromium (headless, localhost only): an inspector opens the supervision dashboard on
a phone (390 px) and on a desktop (1,280 px), reads the counts and charts without scrolling
sideways, and upholds a clerk's appeal; htmx swaps the card in place."""

import shutil

import pytest

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)")


@pytest.mark.parametrize("width", [390, pytest.param(1280, marks=pytest.mark.slow)])  # the phone in the default run
@pytest.mark.django_db(transaction=True)
def test_inspector_upholds_an_appeal_in_the_browser(live_server, width, county, departments, users):
    from django.conf import settings
    from django.test import Client
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from powerlist.core.scope import SYSTEM
    from powerlist.supervision.models import Alert, Card
    from powerlist.supervision.services import cards, sweeps
    from powerlist.supervision.tests.cards_scene import small
    from powerlist.testing import chromium

    # a committing test before this one flushed the tables, the migration's built-in rules too
    import importlib

    from django.apps import apps
    importlib.import_module("powerlist.supervision.migrations.0002_builtin_rules").load(apps, None)
    scene = small(county, departments, users)
    sweeps.sweep(SYSTEM, "430304")
    card = Card.objects.filter(case=scene["cases"]["overdue"]).first()
    cards.appeal(users["clerk"], card.pk, "专家评审期间应中止计时")

    client = Client()
    client.force_login(users["inspector"])
    browser = chromium(width)
    try:
        browser.get(live_server.url + "/office/supervision/")
        browser.add_cookie({"name": settings.SESSION_COOKIE_NAME,
                            "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "path": "/"})
        browser.get(live_server.url + "/office/supervision/")
        # (live evaluation, on in this committing test, also found what the cases' replayed history raised)
        assert browser.find_element(By.ID, "total-alerts").text == str(Alert.objects.count())
        assert len(browser.find_elements(By.CSS_SELECTOR, ".chart-box svg")) == 2
        scroll, client_width = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width - 20 <= client_width <= width and scroll <= client_width  # nothing scrolls sideways
        article = browser.find_element(By.ID, f"card-{card.pk}")
        assert "专家评审期间应中止计时" in article.text
        browser.execute_script("arguments[0].scrollIntoView()", article)
        article.find_element(By.TAG_NAME, "textarea").send_keys("中止未经批准，超期属实")
        article.find_element(By.CSS_SELECTOR, "button[value=uphold]").click()
        WebDriverWait(browser, 10).until(
            lambda b: b.execute_script(f"return document.getElementById('card-{card.pk}').dataset.state") == "upheld")
        assert browser.current_url.endswith("/office/supervision/")  # swapped in place, no page load
        browser.save_screenshot(f"/tmp/w2a_dashboard_{width}.png")
    finally:
        browser.quit()
    assert Card.objects.get(pk=card.pk).state == "upheld"
