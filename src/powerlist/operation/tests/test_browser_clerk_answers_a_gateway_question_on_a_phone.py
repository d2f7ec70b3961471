"""In Debian's Chromium (headless, localhost only): on a phone (390 px) and a desktop (1,280 px), a
clerk opens a case on the bpmn.io sample whose 审查 is followed by the gateway 材料齐全？, reads the
yes/no question labelled with the field and the flows, first completes without answering (a
Chinese message naming the field, no engine English), then answers 否 and completes: the case goes
back to 受理, swapped in place, without scrolling sideways."""

import shutil

import pytest

from powerlist.operation.tests.test_browser_clerk_completes_a_step_on_a_phone import no_sideways_scroll

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER), reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)")


def case_work(browser) -> str:
    return browser.execute_script("return document.querySelector('#case-work').textContent")


@pytest.mark.parametrize("width", [390, pytest.param(1280, marks=pytest.mark.slow)])  # the phone in the default run
@pytest.mark.django_db(transaction=True)
def test_clerk_answers_the_gateway_question_in_the_browser(live_server, width):
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    from powerlist.catalog.services.items import create_item
    from powerlist.conftest import item_document, make_user
    from powerlist.core.scope import SYSTEM
    from powerlist.core.services import jurisdictions, organisations
    from powerlist.operation.services import cases
    from powerlist.operation.tests.conftest import DIAGRAMS
    from powerlist.testing import chromium

    jurisdictions.add_jurisdiction(SYSTEM, "43", "湖南省", None)
    jurisdictions.add_jurisdiction(SYSTEM, "4303", "湘潭市", "43")
    county = jurisdictions.add_jurisdiction(SYSTEM, "430304", "岳塘区", "4303")
    edu = organisations.create_organisation(SYSTEM, county, name="岳塘区教育局")
    clerk = make_user("edu_clerk", "clerk", county, edu)
    make_user("reviewer1", "reviewer", county)
    item = create_item(SYSTEM, county, item_document(status="published"))
    call_command("flowchart", "import", str(DIAGRAMS / "bpmnio_licence.bpmn"), "--item", item.code,
                 "--jurisdiction", "430304", "--as", "reviewer1", "--reason", "按新流程办理")
    case = cases.open_case(clerk, item)
    # opening the case accepted it (受理): 审查 is ready

    client = Client()
    client.force_login(clerk)
    browser = chromium(width)
    try:
        browser.get(live_server.url + "/office/cases/")  # a page of ours, so the cookie can be set
        browser.add_cookie({"name": settings.SESSION_COOKIE_NAME,
                            "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "path": "/"})
        browser.get(live_server.url + f"/office/cases/{case.number}/")
        field = browser.find_element(By.CSS_SELECTOR, ".ready-step .case-field")
        assert "materials_complete" in field.text and "材料齐全？→齐全" in field.text
        no_sideways_scroll(browser, width)
        browser.find_element(By.CSS_SELECTOR, ".ready-step button[value=complete]").click()
        WebDriverWait(browser, 10).until(lambda b: "请填写" in case_work(b))
        text = case_work(browser)
        assert "materials_complete（是/否）" in text and "Error" not in text
        Select(browser.find_element(By.NAME, "data.materials_complete")).select_by_value("否")
        browser.find_element(By.CSS_SELECTOR, ".ready-step button[value=complete]").click()
        WebDriverWait(browser, 10).until(lambda b: "已记录" in case_work(b))
        ready = browser.execute_script("return document.querySelector('.ready-step').dataset.step")
        assert ready == "受理"
        assert browser.current_url.endswith(f"/office/cases/{case.number}/")  # swapped in place
        no_sideways_scroll(browser, width)
    finally:
        browser.quit()
