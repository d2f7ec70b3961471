"""Small self-report and decision files written by the tests (never a published list)."""

import csv
import io
from pathlib import Path

from django.core.management import call_command

HEADER = ["职权编码", "事项名称", "事项类型", "实施主体", "设定依据"]
DECISION_HEADER = ["职权编码", "决定", "理由", "承接", "合并到"]


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def report_rows(department: str, items: list[tuple[str, str, str]]) -> list[list]:
    """(code, name, category) -> self-report rows with a legal basis."""
    return [[code, name, category, department, "《中华人民共和国行政许可法》第十二条"] for code, name, category in items]


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def approve_legality(campaign) -> None:
    """The legality review approves every decided item of the current round (as an administrator),
    as publication needs (stages.publication_blockers)."""
    from powerlist.cleanup.models import Decision
    from powerlist.cleanup.services import stages
    from powerlist.core.scope import SYSTEM

    codes = sorted(set(Decision.objects.filter(entry__campaign=campaign).values_list("entry__item__code", flat=True)))
    stages.sign_off(SYSTEM, campaign, codes, "legality", "approved")
