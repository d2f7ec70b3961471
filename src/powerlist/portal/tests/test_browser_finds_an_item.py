"""In Debian's Chromium (headless, localhost only): a citizen searches in traditional
characters, opens the item and sees its flowchart."""

import shutil

import pytest

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)")


@pytest.fixture
def browser():
    from powerlist.testing import chromium

    driver = chromium(390)  # a phone's viewport
    yield driver
    driver.quit()


@pytest.mark.django_db(transaction=True)
def test_citizen_searches_in_traditional_characters_and_sees_the_flowchart(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from powerlist.catalog.services.items import create_item
    from powerlist.catalog.services.versions import publish_version
    from powerlist.conftest import item_document
    from powerlist.core.scope import SYSTEM
    from powerlist.core.services import jurisdictions, organisations

    jurisdictions.add_jurisdiction(SYSTEM, "43", "湖南省", None)
    jurisdictions.add_jurisdiction(SYSTEM, "4303", "湘潭市", "43")
    county = jurisdictions.add_jurisdiction(SYSTEM, "430304", "岳塘区", "4303")
    organisations.create_organisation(SYSTEM, county, name="岳塘区卫生健康局")
    create_item(SYSTEM, county, item_document(code="430304-WJ-FW-001", name="权力清单公开查询服务", category="20",
                                              organisation="岳塘区卫生健康局", status="published",
                                              flowchart="申请 → 受理 → 办理 → 办结"))
    publish_version(SYSTEM, county, title="岳塘区权力清单")

    browser.get(live_server.url + "/")
    box = browser.find_element(By.ID, "site-q")
    box.send_keys("權力清單")
    box.send_keys(Keys.ENTER)
    link = browser.find_element(By.LINK_TEXT, "权力清单公开查询服务")
    link.click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "权力清单公开查询服务"
    chart = browser.find_element(By.CSS_SELECTOR, "svg.flowchart")
    assert chart.is_displayed() and "受理" in chart.get_attribute("innerHTML")
    width = browser.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[1] == 390 and width[0] <= width[1]  # fits a phone: nothing scrolls sideways
