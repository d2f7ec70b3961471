"""People write a division's code in whichever official form they have at hand: GB/T 2260's six
digits (440000 广东省, 440700 江门市), the NBS 2/4/6/9/12 digits (44, 4407, 440703, 440703002,
440703002001) or the 12-digit zero-padded form. Every form finds the same jurisdiction, in the
console, the API and the portal."""

import json

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from powerlist.core.models import Jurisdiction, short_code
from powerlist.core.scope import SYSTEM
from powerlist.core.services import jurisdictions as jurisdiction_services

FORMS = [
    ("44", "44"), ("440000", "44"), ("440000000000", "44"),
    ("4407", "4407"), ("440700", "4407"), ("440700000000", "4407"),
    ("440703", "440703"), ("440703000000", "440703"),
    ("440703002", "440703002"), ("440703002000", "440703002"),
    ("440703002001", "440703002001"), ("４４０７００", "4407"), (" 440703 ", "440703"),
]


@pytest.mark.parametrize(("written", "stored"), FORMS)
def test_every_official_form_of_a_code_gives_the_stored_one(written, stored):
    assert short_code(written) == stored


def nbs_codes():
    """Stored codes of any level: each level's own digits end in a non-zero group."""
    group = {2: st.integers(11, 91), 4: st.integers(1, 99), 6: st.integers(1, 99), 9: st.integers(1, 999),
             12: st.integers(1, 999)}
    width = {2: 2, 4: 2, 6: 2, 9: 3, 12: 3}
    return st.sampled_from([2, 4, 6, 9, 12]).flatmap(lambda n: st.tuples(
        *[group[k].map(lambda v, k=k: f"{v:0{width[k]}d}") for k in (2, 4, 6, 9, 12) if k <= n]).map("".join))


@given(nbs_codes())
def test_a_code_padded_to_any_longer_official_length_reads_back(code):
    assert short_code(code) == code
    for length in (6, 9, 12):
        if length >= len(code):
            assert short_code(code.ljust(length, "0")) == code


@pytest.fixture
def guangdong(db):
    for code, name, parent in [("44", "广东省", None), ("4407", "江门市", "44"), ("440703", "蓬江区", "4407"),
                               ("440703002", "白沙街道", "440703")]:
        jurisdiction_services.add_jurisdiction(SYSTEM, code, name, parent)
    # a community added by its parent's GB/T-style padded code
    jurisdiction_services.add_jurisdiction(SYSTEM, "440703002001", "示例社区居委会", "440703002000")
    return Jurisdiction.objects.by_code("440000")


def test_lookup_by_every_form(guangdong):
    assert guangdong.name == "广东省"
    for written, stored in FORMS[:11]:
        assert Jurisdiction.objects.by_code(written).code == stored
    assert Jurisdiction.objects.by_code("440703002001").parent.code == "440703002"


def test_a_province_added_by_its_gbt_code_is_stored_by_its_nbs_code(db):
    j = jurisdiction_services.add_jurisdiction(SYSTEM, "450000", "广西壮族自治区", None)
    assert (j.code, j.level) == ("45", 1)


def test_console_takes_the_gbt_code_of_a_city(guangdong, capsys):
    call_command("jurisdictions", "show", "440700")
    assert "江门市" in capsys.readouterr().out
    call_command("stats", "--jurisdiction", "440000", "--json")
    assert json.loads(capsys.readouterr().out)


def test_api_takes_every_form(guangdong):
    client = Client()
    assert client.get("/api/jurisdictions/440700").json()["code"] == "4407"
    assert client.get("/api/jurisdictions/440000000000").json()["name"] == "广东省"
    assert [j["code"] for j in client.get("/api/jurisdictions", {"parent": "440700"}).json()["results"]] == ["440703"]
    assert "4407" in [j["code"] for j in client.get("/api/jurisdictions", {"q": "440700"}).json()["results"]]
    assert client.get("/api/items", {"jurisdiction": "440700"}).status_code == 200


def test_portal_address_with_the_gbt_code_redirects_to_the_canonical_one(guangdong):
    client = Client()
    response = client.get("/j/440700/")
    assert (response.status_code, response["Location"]) == (301, "/j/4407/")
    response = client.get("/j/440703000000/stats/?lang=zh")
    assert (response.status_code, response["Location"]) == (301, "/j/440703/stats/?lang=zh")
    assert client.get("/j/4407/").status_code == 200
    assert client.get("/j/4407/", follow=True).status_code == 200
