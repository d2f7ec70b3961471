"""In Debian's Chromium at 390 px: a citizen reads the statistics of a county with many
departments: nothing scrolls sideways, the labels are legible, every department is there and its
bar leads to the department's page."""

import shutil

import pytest

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="Debian's chromium and chromium-driver are not "
                                "installed (.ci/run installs them)")


@pytest.mark.django_db(transaction=True)
def test_citizen_reads_statistics_on_a_phone_and_opens_a_department(live_server):
    from selenium.webdriver.common.by import By

    from powerlist.catalog.services.items import create_item
    from powerlist.catalog.services.versions import publish_version
    from powerlist.conftest import item_document
    from powerlist.core.scope import SYSTEM
    from powerlist.core.services import jurisdictions, organisations
    from powerlist.testing import chromium

    jurisdictions.add_jurisdiction(SYSTEM, "43", "湖南省", None)
    jurisdictions.add_jurisdiction(SYSTEM, "4303", "湘潭市", "43")
    county = jurisdictions.add_jurisdiction(SYSTEM, "430304", "岳塘区", "4303")
    names = [f"岳塘区第{n}综合行政执法和公共服务管理局" for n in range(1, 31)]  # long names, more than 25
    for n, name in enumerate(names):
        organisations.create_organisation(SYSTEM, county, name=name)
        for k in range(n % 3 + 1):
            create_item(SYSTEM, county, item_document(code=f"D{n}-{k}", name=f"事项{n}-{k}", organisation=name,
                                                      status="published"))
    publish_version(SYSTEM, county, title="岳塘区权力清单")

    browser = chromium(390)
    try:
        browser.get(live_server.url + "/j/430304/stats/")
        scroll, width = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width == 390 and scroll <= width
        links = browser.find_elements(By.CSS_SELECTOR, "svg.chart a.bar")
        hrefs = {a.get_dom_attribute("href") for a in links}
        assert len([h for h in hrefs if "/dept/" in h]) == 30  # every department, not a top 25
        label = browser.find_elements(By.CSS_SELECTOR, "svg.chart a.bar text")[0]
        assert label.size["height"] >= 11  # drawn near its own size, not shrunk to fit
        target = next(a for a in links if "/dept/" in a.get_dom_attribute("href"))
        browser.execute_script("arguments[0].scrollIntoView()", target)
        browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", target)
        assert "/dept/" in browser.current_url and "局" in browser.find_element(By.TAG_NAME, "h1").text
    finally:
        browser.quit()
