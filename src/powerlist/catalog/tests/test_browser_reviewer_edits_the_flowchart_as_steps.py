"""In Debian's Chromium at 1,280 px: a reviewer opens an item with a long history in the back
office, reads the ledger without scrolling sideways, and edits the flowchart as rows of steps
(add a step with its role and time limit, move it up) instead of raw JSON."""

import shutil

import pytest

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="Debian's chromium and chromium-driver are not "
                                "installed (.ci/run installs them)")


@pytest.mark.django_db(transaction=True)
def test_reviewer_reads_the_ledger_and_edits_the_flowchart_as_steps(live_server):
    from django.conf import settings
    from django.test import Client
    from selenium.webdriver.common.by import By

    from powerlist.catalog.models import PowerItem
    from powerlist.catalog.services.items import create_item, update_item
    from powerlist.conftest import item_document, make_user
    from powerlist.core.scope import SYSTEM
    from powerlist.core.services import jurisdictions, organisations
    from powerlist.testing import chromium

    jurisdictions.add_jurisdiction(SYSTEM, "43", "湖南省", None)
    jurisdictions.add_jurisdiction(SYSTEM, "4303", "湘潭市", "43")
    county = jurisdictions.add_jurisdiction(SYSTEM, "430304", "岳塘区", "4303")
    organisations.create_organisation(SYSTEM, county, name="岳塘区教育局")
    reviewer = make_user("reviewer1", "reviewer", county)
    item = create_item(SYSTEM, county, item_document(conditions="申请人应当具备相应条件，" * 40))
    update_item(SYSTEM, item, {"conditions": "申请人应当具备新的条件，且材料齐全" * 40, "promised_limit_days": 5,
                               "materials": "1.申请书；2.身份证明；3.场地证明" * 20}, reason="按新规调整申请条件" * 5)

    client = Client()
    client.force_login(reviewer)
    browser = chromium(1280)
    try:
        browser.get(live_server.url + "/admin/login/")
        browser.add_cookie({"name": settings.SESSION_COOKIE_NAME,
                            "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "path": "/"})
        browser.get(f"{live_server.url}/admin/catalog/poweritem/{item.pk}/change/")
        ledger = browser.find_element(By.ID, "changes-group")
        assert "申请条件" in ledger.text and "conditions" not in ledger.text
        scroll, width = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll <= width  # the ledger and the elements wrap: nothing scrolls sideways

        rows = browser.find_elements(By.CSS_SELECTOR, ".flowchart-rows tbody tr")
        assert [r.find_element(By.TAG_NAME, "input").get_attribute("value") for r in rows] == ["受理", "审查", "决定",
                                                                                              "送达"]
        assert not browser.find_element(By.NAME, "flowchart").is_displayed()  # the JSON/lines textarea is hidden
        browser.find_element(By.CSS_SELECTOR, ".flowchart-add").click()
        new = browser.find_elements(By.CSS_SELECTOR, ".flowchart-rows tbody tr")[-1]
        name, role, limit = new.find_elements(By.TAG_NAME, "input")
        name.send_keys("公示")
        role.send_keys("综合窗口")
        limit.send_keys("5")
        up, _down, _remove = new.find_elements(By.TAG_NAME, "button")
        assert up.get_attribute("title") == "上移"
        up.click()  # before 送达
        browser.find_element(By.NAME, "change_reason").send_keys("增加公示环节")
        browser.find_element(By.NAME, "_continue").click()
        assert "changed successfully" in browser.page_source or "成功" in browser.page_source
    finally:
        browser.quit()
    chart = PowerItem.objects.get(pk=item.pk).flowchart
    assert [s["name"] for s in chart["steps"]] == ["受理", "审查", "决定", "公示", "送达"]
    assert chart["steps"][3]["role"] == "综合窗口" and chart["steps"][3]["time_limit_days"] == 5
    assert chart["flows"][-1] == ["s4", "s5"]
