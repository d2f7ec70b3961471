"""A department's self-report arrives with its legal bases already verified against the law
corpus, so the reviewer's check (a) judges every item from the start (no “依据尚未核验”)."""

import pytest

from powerlist.catalog.models import Citation, PowerItem
from powerlist.cleanup.checks import legal_basis_findings
from powerlist.cleanup.tests.campaign_files import HEADER, run, write_csv

pytestmark = pytest.mark.django_db
EDU = "岳塘区教育局"


def test_self_reported_items_come_with_verdicts(users, departments, tmp_path):
    campaign_id = run("campaign", "open", "--jurisdiction", "430304", "--title", "清理", "--deadline", "2026-12-31",
                      "--as", "reviewer1").splitlines()[-1]
    path = write_csv(tmp_path / "edu.csv", HEADER, [
        ["E1", "民办学校设立审批", "01", EDU, "《中华人民共和国民办教育促进法》第十二条"],
        ["E2", "教育收费检查", "06", EDU, "《中华人民共和国不存在法》第三条"],
    ])
    run("import", str(path), "--jurisdiction", "430304", "--campaign", campaign_id, "--as", "edu_clerk")
    assert not Citation.objects.filter(item__code__in=["E1", "E2"], checked_at__isnull=True).exists()
    items = PowerItem.objects.filter(campaign_entries__campaign_id=campaign_id)
    problems = {f.code: f.problem for f in legal_basis_findings(items)}
    assert "E1" not in problems or problems["E1"] != "unchecked"
    assert problems.get("E2") not in (None, "unchecked")  # an unknown law is judged, not left unchecked
