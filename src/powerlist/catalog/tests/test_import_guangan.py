"""A real county's catalogue (四川省广安市广安区, 1,135 items, 34 departments) imported with header
mappings only."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from powerlist.catalog.models import PowerItem
from powerlist.core.models import Organisation
from powerlist.core.scope import SYSTEM
from powerlist.core.services import jurisdictions

MAPS = ["--map", "code=item_code", "--map", "name=item_name", "--map", "category=task_type_code",
        "--map", "organisation=department", "--map", "main_item=main_item"]


@pytest.fixture
def guangan(db, shared_data):
    jurisdictions.add_jurisdiction(SYSTEM, "51", "四川省", None)
    jurisdictions.add_jurisdiction(SYSTEM, "5116", "广安市", "51")
    j = jurisdictions.add_jurisdiction(SYSTEM, "511602", "广安区", "5116")
    return j, shared_data / "power_lists" / "guangan_511602_items.csv"


def test_reform_office_imports_guangan_list_with_header_mappings(guangan, capsys):
    j, path = guangan
    call_command("import", str(path), "--jurisdiction", "511602000000", "--create-organisations", *MAPS)
    out = capsys.readouterr().out
    assert "新建 1135 项" in out
    assert PowerItem.objects.filter(jurisdiction=j).count() == 1135
    assert Organisation.objects.filter(jurisdiction=j).count() == 34
    counts = Counter(PowerItem.objects.filter(jurisdiction=j).values_list("category", flat=True))
    # task_type_code 1/5/7/8/9/10/20 normalised to the national two-digit codes
    assert counts == {"01": 536, "20": 348, "10": 182, "07": 50, "05": 9, "09": 8, "08": 2}
    item = PowerItem.objects.get(jurisdiction=j, code__startswith="511A0138000000-")
    assert item.name == "适龄儿童、少年因身体状况需要延缓入学或者休学审批"
    assert item.organisation.name == "区教科体局" and item.changes.count() == 1


def test_unknown_departments_are_listed_and_nothing_is_imported(guangan):
    _j, path = guangan
    with pytest.raises(CommandError) as err:
        call_command("import", str(path), "--jurisdiction", "511602", *MAPS)
    assert "发现 1135 处问题，未导入任何事项" in str(err.value) and "区经信局" in str(err.value)
    assert "--create-organisations" in str(err.value)
    assert PowerItem.objects.count() == 0 and Organisation.objects.count() == 0


def test_without_mappings_the_file_is_refused_with_a_hint(guangan):
    _j, path = guangan
    with pytest.raises(CommandError, match="--map"):
        call_command("import", str(path), "--jurisdiction", "511602")
