"""In Debian's Chromium at 390 and 1,280 px: a citizen opens a county's published clean-up
campaign from the county's page and reads its statistics: nothing scrolls sideways, the charts
fit, every department is in the chart and the table, and the downloads are offered."""

import shutil

import pytest

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="Debian's chromium and chromium-driver are not "
                                "installed (.ci/run installs them)")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [390, pytest.param(1280, marks=pytest.mark.slow)])  # the phone in the default run
def test_citizen_reads_campaign_statistics_on_a_phone(live_server, tmp_path, width):
    from selenium.webdriver.common.by import By

    from powerlist.cleanup.services import campaigns, decisions, publication
    from powerlist.cleanup.tests.campaign_files import HEADER, approve_legality, report_rows, write_csv
    from powerlist.core.scope import SYSTEM
    from powerlist.core.services import jurisdictions, organisations
    from powerlist.testing import chromium

    jurisdictions.add_jurisdiction(SYSTEM, "43", "湖南省", None)
    jurisdictions.add_jurisdiction(SYSTEM, "4303", "湘潭市", "43")
    county = jurisdictions.add_jurisdiction(SYSTEM, "430304", "岳塘区", "4303")
    names = [f"岳塘区第{n}综合行政执法和公共服务管理局" for n in range(1, 13)]  # long names
    rows = []
    for n, name in enumerate(names):
        organisations.create_organisation(SYSTEM, county, name=name)
        rows += report_rows(name, [(f"D{n}-{k}", f"事项{n}-{k}", "02" if k else "01") for k in range(n % 3 + 2)])
    campaign = campaigns.open_campaign(SYSTEM, county, title="岳塘区2026年权责清单清理", deadline="2026-12-31")
    campaigns.self_report(SYSTEM, campaign, write_csv(tmp_path / "r.csv", HEADER, rows))
    decisions.decide(SYSTEM, campaign, [{"code": r[0], "kind": "取消" if r[0].endswith("-1") else "保留",
                                         "reason": "无法律依据"} for r in rows])
    approve_legality(campaign)
    publication.publish(SYSTEM, campaign, title="岳塘区权力清单（2026）")

    browser = chromium(width)
    try:
        browser.get(live_server.url + "/j/430304/")
        browser.find_element(By.PARTIAL_LINK_TEXT, "岳塘区2026年权责清单清理").click()
        assert "/campaigns/" in browser.current_url
        scroll, client = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll <= client
        charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
        assert len(charts) == 3 and all(c.size["width"] <= client for c in charts)
        assert browser.find_element(By.CSS_SELECTOR, "ul.figures").text.count("\n") >= 6
        tables = browser.find_elements(By.CSS_SELECTOR, ".table-scroll table")
        assert len(tables[1].find_elements(By.CSS_SELECTOR, "tbody tr")) == 12
        # the category and department names are read across, not one character a line: each name cell
        # is at least eight characters wide, and the page still does not scroll sideways
        for table in tables:
            size = browser.execute_script(
                "const td = arguments[0].querySelector('tbody td');"
                "return [td.getBoundingClientRect().width, parseFloat(getComputedStyle(td).fontSize)]", table)
            assert size[0] >= 8 * size[1]
        assert browser.execute_script("return document.documentElement.scrollWidth") <= client
        links = [a.get_dom_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a[download]")]
        assert [h.rsplit(".", 1)[1] for h in links] == ["xlsx", "csv", "json"]
    finally:
        browser.quit()
