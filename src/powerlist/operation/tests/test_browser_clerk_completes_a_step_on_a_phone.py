"""In Debian's Chromium (headless, localhost only): a clerk opens the workbench on a phone (390 px)
and on a desktop (1,280 px), reads the ready step with its risk point and its due date in words
without scrolling sideways, opens the case and completes the step; htmx swaps the case's working
part in place and the event appears in the timeline."""

import shutil

import pytest

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER), reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)")


def no_sideways_scroll(browser, width):
    scroll, client_width = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    # the viewport is the width asked for, less a vertical scroll bar when the page is tall
    assert width - 20 <= client_width <= width and scroll <= client_width


@pytest.mark.parametrize("width", [390, pytest.param(1280, marks=pytest.mark.slow)])  # the phone in the default run
@pytest.mark.django_db(transaction=True)
def test_clerk_completes_a_step_in_the_browser(live_server, width):
    from django.conf import settings
    from django.test import Client
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from powerlist.catalog.services.items import create_item
    from powerlist.conftest import item_document, make_user
    from powerlist.core.scope import SYSTEM
    from powerlist.core.services import jurisdictions, organisations
    from powerlist.operation.models import CaseEvent
    from powerlist.operation.services import cases
    from powerlist.testing import chromium

    jurisdictions.add_jurisdiction(SYSTEM, "43", "湖南省", None)
    jurisdictions.add_jurisdiction(SYSTEM, "4303", "湘潭市", "43")
    county = jurisdictions.add_jurisdiction(SYSTEM, "430304", "岳塘区", "4303")
    edu = organisations.create_organisation(SYSTEM, county, name="岳塘区教育局")
    clerk = make_user("edu_clerk", "clerk", county, edu)
    item = create_item(SYSTEM, county, item_document(status="published"))
    case = cases.open_case(clerk, item, applicant="湘潭市岳塘区启明培训学校", phone="0731-58221001")
    # opening the case accepted it (受理): 审查 is the clerk's first step

    client = Client()
    client.force_login(clerk)
    browser = chromium(width)
    try:
        browser.get(live_server.url + "/office/cases/")  # a page of ours, so the cookie can be set
        browser.add_cookie({"name": settings.SESSION_COOKIE_NAME,
                            "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "path": "/"})
        browser.get(live_server.url + "/office/cases/")
        card = browser.find_element(By.CSS_SELECTOR, "article.todo")
        assert "审查" in card.text and "降低标准违规审批" in card.text and "剩 10 个工作日" in card.text
        no_sideways_scroll(browser, width)
        card.find_element(By.LINK_TEXT, case.number).click()
        WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".ready-step"))
        no_sideways_scroll(browser, width)
        step = browser.find_element(By.CSS_SELECTOR, ".ready-step")
        assert step.get_attribute("data-step") == "审查"
        step.find_element(By.CSS_SELECTOR, "button[value=complete]").click()
        # read in one script, so an element swapped by htmx meanwhile is never held
        WebDriverWait(browser, 10).until(lambda b: "已记录" in b.execute_script(
            "return document.querySelector('#case-work').textContent"))
        ready, timeline = browser.execute_script(
            "return [document.querySelector('.ready-step').dataset.step,"
            " document.querySelector('ol.timeline').innerText]")
        assert ready == "决定" and "办理完成 · 审查" in timeline
        assert browser.current_url.endswith(f"/office/cases/{case.number}/")  # swapped in place
        no_sideways_scroll(browser, width)
    finally:
        browser.quit()
    assert list(CaseEvent.objects.filter(case=case).values_list("step", flat=True)) == ["", "受理", "审查"]
