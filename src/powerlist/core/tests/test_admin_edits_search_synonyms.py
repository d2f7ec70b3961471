"""An administrator keeps the table of words people type (低保 -> 最低生活保障): adds an entry in
the admin and the very next search uses it, switches one off, and every change is in the audit
log. Nobody else may change it; the shipped table is there from the start and loads idempotently."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from powerlist.catalog import search
from powerlist.catalog.tests.everyday import everyday_items, load_synonyms
from powerlist.core import synonyms
from powerlist.core.errors import InvalidInput, PermissionDenied
from powerlist.core.models import AuditEntry, SearchSynonym
from powerlist.core.scope import SYSTEM
from powerlist.core.services import synonyms as synonym_services


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def items(county, departments):
    return everyday_items(county, departments)


def test_administrator_adds_a_synonym_in_the_admin_and_search_uses_it_at_once(items, users):
    assert search.search("救济").total == 0
    client = login(users["admin"])
    response = client.post("/admin/core/searchsynonym/add/",
                           {"term": "救濟", "expansions": "临时救助\n最低生活保障", "note": "旧称", "active": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = SearchSynonym.objects.get(term_key="救济")  # stored by its simplified key
    assert entry.expansion_list() == ["临时救助", "最低生活保障"]
    assert {i.code for i in search.search("救济").items} == {"430304-MZ-FW-001", "430304-MZ-JF-001",
                                                            "430304-MZ-QR-001"}
    logged = AuditEntry.objects.filter(action="synonym.create").latest("seq")
    assert logged.actor == "admin1" and "救濟" in logged.payload and "临时救助" in logged.payload

    page = client.get("/admin/core/searchsynonym/").content.decode()
    assert "救濟" in page and "低保" in page


def test_switching_a_synonym_off_stops_it_and_is_logged(items, users):
    entry = SearchSynonym.objects.get(term_key="低保")
    client = login(users["admin"])
    response = client.post(f"/admin/core/searchsynonym/{entry.pk}/change/",
                           {"term": "低保", "expansions": entry.expansions, "note": entry.note})  # active unticked
    assert response.status_code == 302
    assert search.search("低保").total == 0
    logged = AuditEntry.objects.filter(action="synonym.update").latest("seq")
    assert '"active":false' in logged.payload and '"active":true' in logged.payload


def test_only_administrators_change_the_table(items, users):
    with pytest.raises(PermissionDenied, match="需要管理员"):
        synonym_services.save_synonym(users["reviewer"], "救济", ["临时救助"])
    client = login(users["reviewer"])
    assert client.post("/admin/core/searchsynonym/add/", {"term": "救济", "expansions": "临时救助"}).status_code == 403
    assert not SearchSynonym.objects.filter(term_key="救济").exists()


def test_bad_entries_are_refused_with_a_reason(items):
    with pytest.raises(InvalidInput, match="至少两个字"):
        synonym_services.save_synonym(SYSTEM, "保", ["最低生活保障"])
    with pytest.raises(InvalidInput, match="已有同义词条目"):
        synonym_services.save_synonym(SYSTEM, "低 保", ["最低生活保障"])
    with pytest.raises(InvalidInput, match="至少填写一个"):
        synonym_services.save_synonym(SYSTEM, "救济", " / ")


def test_the_shipped_table_is_there_and_loads_idempotently(db):
    load_synonyms()
    shipped = synonyms.shipped()
    assert len(shipped) >= 50
    assert SearchSynonym.objects.count() >= len(shipped)
    changed = SearchSynonym.objects.get(term_key="社保")
    synonym_services.save_synonym(SYSTEM, "社保", ["社会保险"], synonym=changed)
    assert synonym_services.load_defaults(SYSTEM) == 0  # nothing added twice, the change kept
    out = StringIO()
    call_command("search", "synonyms", "load", stdout=out)
    assert out.getvalue().startswith("新增同义词 0 条")
    assert SearchSynonym.objects.get(term_key="社保").expansion_list() == ["社会保险"]
    for term in ("低保", "社保", "医保", "营业执照", "身份证", "准生证", "户口", "公积金", "残疾证", "老年证", "驾照",
                 "食品许可", "环评", "施工许可", "房产证"):
        assert synonyms.expand(term), term


def test_a_fresh_install_gets_the_shipped_table_from_its_migration(db):
    from importlib import import_module

    from django.apps import apps

    seed = import_module("powerlist.core.migrations.0004_search_synonyms").seed
    SearchSynonym.objects.all().delete()
    seed(apps, None)
    assert SearchSynonym.objects.count() == len(synonyms.shipped())
    seed(apps, None)  # a second run adds nothing
    assert SearchSynonym.objects.count() == len(synonyms.shipped())
    assert SearchSynonym.objects.get(term_key="低保").expansion_list() == ["最低生活保障"]
