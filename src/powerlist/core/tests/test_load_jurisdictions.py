import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from powerlist.core.errors import InvalidInput
from powerlist.core.models import Jurisdiction, Level
from powerlist.core.scope import SYSTEM
from powerlist.core.services import jurisdictions


@pytest.mark.django_db
def test_admin_loads_national_divisions_and_reload_changes_nothing(shared_data):
    report = jurisdictions.load_divisions(SYSTEM, shared_data / "divisions")
    assert report.created == 31 + 342 + 2978 + 41352
    counts = {lvl: Jurisdiction.objects.filter(level=lvl).count() for lvl in Level}
    assert counts[Level.PROVINCE] == 31 and counts[Level.CITY] == 342
    assert counts[Level.COUNTY] == 2978 and counts[Level.TOWNSHIP] == 41352
    # streets.csv puts areaCode before provinceCode and cityCode: the parent must be the county
    street = Jurisdiction.objects.get(code="110101001")
    assert street.name == "东华门街道" and street.parent.code == "110101"
    assert Jurisdiction.objects.by_code("430304000000").full_name() == "湖南省湘潭市岳塘区"

    again = jurisdictions.load_divisions(SYSTEM, shared_data / "divisions")
    assert (again.created, again.updated, again.unchanged) == (0, 0, report.created)


@pytest.mark.django_db
def test_communities_are_added_by_import_under_their_township(county, tmp_path):
    jurisdictions.add_jurisdiction(SYSTEM, "430304002", "书院路街道", "430304")
    (tmp_path / "villages.csv").write_text(
        "code,name,streetCode,provinceCode,cityCode,areaCode\n"
        "430304002001,书院路社区居委会,430304002,43,4303,430304\n"
        "430304002002,和平社区居委会,430304002,43,4303,430304\n", encoding="utf-8")
    report = jurisdictions.load_divisions(SYSTEM, tmp_path)
    assert report.created == 2
    community = Jurisdiction.objects.get(code="430304002001")
    assert community.level == Level.COMMUNITY and community.parent.name == "书院路街道"


@pytest.mark.django_db
def test_bad_division_file_names_row_and_field_and_loads_nothing(county, tmp_path):
    (tmp_path / "streets.csv").write_text(
        "code,name,areaCode,provinceCode,cityCode\n"
        "430304001,书院路街道,430304,43,4303\n"
        "43030400X,坏代码,430304,43,4303\n"
        "430399001,孤儿街道,430399,43,4303\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        jurisdictions.load_divisions(SYSTEM, tmp_path)
    problems = {(p.row, p.field) for p in err.value.problems}
    assert problems == {(3, "code"), (4, "parent")}
    assert not Jurisdiction.objects.filter(code="430304001").exists()


@pytest.mark.django_db
def test_cli_load_reports_missing_directory(tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        call_command("jurisdictions", "load", str(tmp_path / "nowhere"))
