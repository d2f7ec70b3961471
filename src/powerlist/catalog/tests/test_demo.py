"""`powerlist demo --no-serve`: the demo county with every element, deterministic."""

from collections import Counter

import pytest
from django.core.management import call_command

from powerlist.catalog.exports import iter_documents
from powerlist.catalog.models import DepartmentResponsibility, ListVersion, PowerItem
from powerlist.core.models import Jurisdiction, Organisation, User
from powerlist.core.services import audit


@pytest.fixture
def demo(db, capsys):
    call_command("demo", "--no-serve")
    return capsys.readouterr().out


def test_demo_builds_the_county_with_every_element(demo):
    county = Jurisdiction.objects.get(code="430304")
    assert county.full_name() == "湖南省湘潭市岳塘区"
    items = PowerItem.objects.filter(jurisdiction=county)
    assert items.count() >= 1400
    assert Organisation.objects.filter(jurisdiction=county).count() >= 29
    categories = Counter(items.values_list("category", flat=True))
    assert set(categories) >= {"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "20"}
    assert categories["02"] > categories["01"]  # penalties dominate a district's list, as in real ones
    for element in ("citations", "responsibilities", "accountability", "risk_points"):
        assert items.filter(**{f"{element}__isnull": True}).count() == 0, element
    penalties = items.filter(category="02")
    assert penalties.filter(discretion__isnull=False).distinct().count() > penalties.count() / 2
    assert items.filter(citations__raw_text__contains="《中华人民共和国食品安全法》第一百二十二条").exists()
    services = items.filter(category__in=("01", "20"))
    assert not services.filter(office_address="").exists() and not services.filter(onsite_visits=None).exists()
    assert items.filter(promised_limit_unit="instant").exists()  # 即办, as catalogues write it
    kinds = set(DepartmentResponsibility.objects.values_list("kind", flat=True))
    assert kinds == {"duty", "supervision", "boundary", "public_service"}
    version = ListVersion.objects.get(jurisdiction=county)
    assert version.item_count == items.count() and len(version.sha256) == 64
    assert audit.verify().ok


def test_demo_prints_the_admin_login_that_works(demo):
    line = next(line for line in demo.splitlines() if "admin login" in line)
    password = line.rsplit(" ", 1)[-1]
    assert User.objects.get(username="admin").check_password(password)
    assert User.objects.get(username="clerk").organisation.name == "岳塘区教育局"


def test_demo_is_deterministic_and_rerunning_keeps_the_data(demo, capsys):
    county = Jurisdiction.objects.get(code="430304")
    first = list(iter_documents(county))
    call_command("demo", "--no-serve")
    assert "已有事项：保留不动" in capsys.readouterr().out
    assert list(iter_documents(county)) == first
    from powerlist.catalog import demo as demo_data

    assert sorted(d["code"] for d in demo_data.items()) == [d["code"] for d in first]
    assert demo_data.items() == demo_data.items()
