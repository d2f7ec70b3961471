"""In Debian's Chromium (headless, localhost only): the service hall clerk, on a phone (390 px) and
at a desk (1,280 px), finds an item by typing part of its name (htmx puts the matches under the
box), adds it and a package, fills in the applicant, accepts, and gets the receipt to print; the
applicant then looks the progress up at home. Nothing scrolls sideways."""

import shutil

import pytest

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)")


def no_sideways_scroll(browser, width):
    scroll, client_width = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width - 20 <= client_width <= width and scroll <= client_width


@pytest.mark.parametrize("width", [390, pytest.param(1280, marks=pytest.mark.slow)])  # the phone in the default run
@pytest.mark.django_db(transaction=True)
def test_hall_clerk_opens_an_application_in_the_browser(live_server, width):
    from django.conf import settings
    from django.test import Client
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from powerlist.core.scope import SYSTEM
    from powerlist.core.services import jurisdictions, organisations
    from powerlist.operation.models import Application, Case
    from powerlist.operation.tests.package import APPLICANT, PHONE, business_package
    from powerlist.testing import chromium

    jurisdictions.add_jurisdiction(SYSTEM, "43", "湖南省", None)
    jurisdictions.add_jurisdiction(SYSTEM, "4303", "湘潭市", "43")
    county = jurisdictions.add_jurisdiction(SYSTEM, "430304", "岳塘区", "4303")
    departments = {n: organisations.create_organisation(SYSTEM, county, name=n)
                   for n in ("岳塘区教育局", "岳塘区市场监督管理局", "岳塘区卫生健康局")}
    package = business_package(county, departments)

    client = Client()
    client.force_login(package["hall"])
    browser = chromium(width)
    try:
        browser.get(live_server.url + "/office/hall/")
        browser.add_cookie({"name": settings.SESSION_COOKIE_NAME,
                            "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "path": "/"})
        browser.get(live_server.url + "/office/hall/new/")
        wait = WebDriverWait(browser, 10)
        browser.find_element(By.ID, "item-q").send_keys("稅務")  # traditional characters
        found = wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "#found li button"))
        assert "税务登记证核发" in browser.find_element(By.ID, "found").text
        found[0].click()
        wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#chosen input[name=items]")) == 1)
        browser.find_element(By.XPATH, "//button[starts-with(normalize-space(), '企业开办')]").click()
        wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#chosen input[name=items]")) >= 4)
        no_sideways_scroll(browser, width)
        browser.find_element(By.NAME, "applicant").send_keys(APPLICANT)
        browser.find_element(By.NAME, "phone").send_keys(PHONE)
        browser.find_element(By.CSS_SELECTOR, "form.apply button[type=submit]").click()
        wait.until(lambda b: "/receipt/" in b.current_url)
        application = Application.objects.get()
        assert Case.objects.filter(application=application).count() == 4  # the package and the search agree
        text = browser.find_element(By.ID, "content-main").text
        assert application.number in text and "税务登记证核发" in text and "岳塘区公安分局" in text
        no_sideways_scroll(browser, width)

        browser.delete_all_cookies()  # the applicant at home, not signed in
        browser.get(live_server.url + "/progress/")
        browser.find_element(By.NAME, "number").send_keys(application.number)
        browser.find_element(By.NAME, "last4").send_keys(PHONE[-4:])
        browser.find_element(By.CSS_SELECTOR, "form.lookup button").click()
        result = wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "article.result"))[0].text
        assert "税务登记证核发" in result and "岳塘区公安分局" in result and APPLICANT not in browser.page_source
        no_sideways_scroll(browser, width)
    finally:
        browser.quit()
