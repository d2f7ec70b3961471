"""In Debian's Chromium (headless, localhost only), on a phone (390 px) and a desktop (1,280 px):
a legal reviewer checks two items of the sign-off queue and approves them in one batch, then
objects to a third with a comment, each swapped in place by htmx; a reviewer shows a pending
public comment and replies to it as adopted. Nothing scrolls sideways."""

import shutil

import pytest

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)")


def _login(browser, live_server, user, path):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    browser.get(live_server.url + path)  # a page of ours, so the cookie can be set
    browser.add_cookie({"name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "path": "/"})
    browser.get(live_server.url + path)


def _fits(browser, width):
    scroll, client_width = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width - 20 <= client_width <= width and scroll <= client_width


def _people_and_campaign(tmp_path):
    from powerlist.cleanup.tests.draft_campaign import EDU, MARKET, draft_campaign
    from powerlist.conftest import make_user
    from powerlist.core.models import Role
    from powerlist.core.scope import SYSTEM
    from powerlist.core.services import jurisdictions, organisations

    jurisdictions.add_jurisdiction(SYSTEM, "43", "湖南省", None)
    jurisdictions.add_jurisdiction(SYSTEM, "4303", "湘潭市", "43")
    county = jurisdictions.add_jurisdiction(SYSTEM, "430304", "岳塘区", "4303")
    edu = organisations.create_organisation(SYSTEM, county, name=EDU)
    market = organisations.create_organisation(SYSTEM, county, name=MARKET)
    people = {"reviewer": make_user("reviewer1", Role.REVIEWER, county),
              "legal": make_user("legal1", Role.LEGAL, county),
              "edu": make_user("edu_clerk", Role.CLERK, county, edu),
              "market": make_user("market_clerk", Role.CLERK, county, market)}
    return people, draft_campaign(people["reviewer"], {EDU: people["edu"], MARKET: people["market"]}, tmp_path)


@pytest.mark.parametrize("width", [390, pytest.param(1280, marks=pytest.mark.slow)])  # the phone in the default run
@pytest.mark.django_db(transaction=True)
def test_legal_reviewer_signs_off_a_batch_in_the_browser(live_server, tmp_path, width):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from powerlist.cleanup.models import Signoff
    from powerlist.testing import chromium

    people, campaign = _people_and_campaign(tmp_path)
    browser = chromium(width)
    try:
        _login(browser, live_server, people["legal"], f"/office/stages/{campaign.pk}/legality/")
        assert "民办学校设立审批" in browser.find_element(By.ID, "queue").text
        _fits(browser, width)
        for code in ("E1", "M1"):
            box = browser.find_element(By.CSS_SELECTOR, f"input[form=batch][value={code}]")
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
            box.click()
        batch = browser.find_element(By.CSS_SELECTOR, "button[form=batch]")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", batch)
        batch.click()
        WebDriverWait(browser, 10, ignored_exceptions=(StaleElementReferenceException,)).until(lambda b: "已签署 2 个事项" in b.find_element(By.ID, "queue").text)
        assert browser.current_url.endswith(f"/office/stages/{campaign.pk}/legality/")  # no page load
        # an objection with its comment on the card of E2 (调整)
        card = next(c for c in browser.find_elements(By.CSS_SELECTOR, "article.card") if "教师资格认定" in c.text)
        card_id = card.get_attribute("id")
        field = card.find_element(By.CSS_SELECTOR, "textarea[name=comment]")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
        field.send_keys("承诺时限压缩依据不足")
        card.find_element(By.CSS_SELECTOR, "button[value=objected]").click()
        WebDriverWait(browser, 10, ignored_exceptions=(StaleElementReferenceException,)).until(lambda b: "承诺时限压缩依据不足" in b.find_element(By.ID, card_id).text)
        _fits(browser, width)
    finally:
        browser.quit()
    assert dict(Signoff.objects.values_list("entry__item__code", "verdict")) == {
        "E1": "approved", "M1": "approved", "E2": "objected"}


@pytest.mark.parametrize("width", [390, pytest.param(1280, marks=pytest.mark.slow)])  # the phone in the default run
@pytest.mark.django_db(transaction=True)
def test_reviewer_moderates_and_replies_in_the_browser(live_server, tmp_path, width):
    import datetime as dt

    from django.utils import timezone
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from powerlist.cleanup.models import Comment
    from powerlist.cleanup.services import consultation
    from powerlist.testing import chromium

    people, campaign = _people_and_campaign(tmp_path)
    today = timezone.localdate()
    consultation.open_consultation(people["reviewer"], campaign, today, today + dt.timedelta(days=10))
    comment = consultation.submit_comment("10.2.0.1", campaign, "E1", "建议公开审批进度<script>x</script>")
    browser = chromium(width)
    try:
        _login(browser, live_server, people["reviewer"], f"/office/stages/{campaign.pk}/comments/")
        section = browser.find_element(By.ID, "comments")
        assert "建议公开审批进度<script>x</script>" in section.text  # shown as text, not run
        _fits(browser, width)
        box = browser.find_element(By.CSS_SELECTOR, f"input[form=moderation][value='{comment.pk}']")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
        box.click()
        button = browser.find_element(By.CSS_SELECTOR, "button[form=moderation][value=show]")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        button.click()
        WebDriverWait(browser, 10, ignored_exceptions=(StaleElementReferenceException,)).until(lambda b: "已审核 1 条意见" in b.find_element(By.ID, "comments").text)
        browser.get(live_server.url + f"/office/stages/{campaign.pk}/comments/?state=shown")
        card = browser.find_element(By.ID, f"comment-{comment.pk}")
        field = card.find_element(By.CSS_SELECTOR, "textarea[name=reply]")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
        field.send_keys("已采纳，将在门户公开办理进度")
        card.find_element(By.CSS_SELECTOR, "button[value=yes]").click()
        WebDriverWait(browser, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
            lambda b: "已采纳，将在门户公开办理进度" in b.find_element(By.ID, f"comment-{comment.pk}").text)
        _fits(browser, width)
    finally:
        browser.quit()
    comment = Comment.objects.get()
    assert (comment.state, comment.adopted) == ("shown", True)
