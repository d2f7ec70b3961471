"""Opening a campaign from the console says in Chinese what happened and what is missing: a
county with no department yet is told how its departments join (they self-report with
--create-organisations), a reference level with no
published list is pointed out (nothing is delegated from it), and a clerk whose department is not
taking part is told so, not that the campaign does not exist. Messages people read, in Chinese."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from powerlist.cleanup.models import Campaign
from powerlist.cleanup.tests.campaign_files import HEADER, report_rows, run, write_csv

pytestmark = pytest.mark.django_db


def test_a_county_without_departments_is_told_how_they_join(users, other_county):
    out, err = io.StringIO(), io.StringIO()
    call_command("campaign", "open", "--jurisdiction", "430302", "--title", "清理", "--deadline", "2026-12-31",
                 stdout=out, stderr=err)
    campaign = Campaign.objects.get()
    assert out.getvalue().splitlines()[-1] == str(campaign.pk)
    assert "雨湖区还没有部门" in err.getvalue() and "--create-organisations" in err.getvalue()
    assert f"--campaign {campaign.pk}" in err.getvalue()


def test_a_reference_without_a_published_list_is_pointed_out(users):
    out, err = io.StringIO(), io.StringIO()
    call_command("campaign", "open", "--jurisdiction", "430304", "--title", "清理", "--deadline", "2026-12-31",
                 "--reference", "4303", "--as", "reviewer1", stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    assert lines[-1] == str(Campaign.objects.get().pk)  # the id alone on the last line, as before
    assert "已为岳塘区开启清理工作“清理”：3 个部门参加" in lines[0]
    assert "湘潭市" in err.getvalue() and "还没有发布清单" in err.getvalue()


def test_clerk_of_a_department_not_taking_part_is_told_so(users, tmp_path):
    campaign_id = run("campaign", "open", "--jurisdiction", "430304", "--title", "市场专项清理", "--deadline",
                      "2026-12-31", "--department", "岳塘区市场监督管理局", "--as", "reviewer1").splitlines()[-1]
    path = write_csv(tmp_path / "edu.csv", HEADER, report_rows("岳塘区教育局", [("E1", "民办学校设立审批", "01")]))
    with pytest.raises(CommandError) as err:
        run("import", str(path), "--jurisdiction", "430304", "--campaign", campaign_id, "--as", "edu_clerk")
    assert "岳塘区教育局不是清理工作“市场专项清理”" in str(err.value) and "参与部门" in str(err.value)
    assert "不存在" not in str(err.value)


def test_the_back_office_names_the_discretion_table_imports_in_chinese():
    from powerlist.discretion.models import TableImport

    with translation.override("zh-hans"):
        assert str(TableImport._meta.verbose_name_plural) == "裁量基准表导入"
        assert str(TableImport._meta.get_field("needs_person").verbose_name) == "需人工整理的行数"
