"""Loading the national division codes (统计用区划代码) and adding communities."""

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from powerlist.core import scope
from powerlist.core.errors import InvalidInput, Problem
from powerlist.core.models import Jurisdiction, Level, short_code
from powerlist.core.services import audit

LEVEL_BY_LENGTH = {2: Level.PROVINCE, 4: Level.CITY, 6: Level.COUNTY, 9: Level.TOWNSHIP, 12: Level.COMMUNITY}
# the column naming the parent, nearest level first; streets.csv puts areaCode before the others
PARENT_COLUMNS = ("parentCode", "villageParent", "streetCode", "areaCode", "cityCode", "provinceCode")
KNOWN_FILES = ("provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv", "communities.csv")


@dataclass
class LoadReport:
    files: list[str] = field(default_factory=list)
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self):
        return (f"read {self.read} divisions from {len(self.files)} file(s): "
                f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged")


def _read_rows(path: Path, problems: list[Problem]) -> list[tuple[str, str, str | None, int]]:
    rows = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            for needed in ("code", "name"):
                if needed not in header:
                    problems.append(Problem(path.name, 1, needed, ",".join(header), f"缺少列 {needed}"))
            if problems:
                return rows
            parent_col = next((c for c in PARENT_COLUMNS if c in header), None)
            for lineno, rec in enumerate(reader, start=2):
                code, name = (rec.get("code") or "").strip(), (rec.get("name") or "").strip()
                parent = (rec.get(parent_col) or "").strip() if parent_col else ""
                if not code.isdigit() or len(code) not in LEVEL_BY_LENGTH:
                    problems.append(Problem(path.name, lineno, "code", code, "应为2、4、6、9或12位数字的区划代码"))
                    continue
                if not name:
                    problems.append(Problem(path.name, lineno, "name", name, "名称不能为空"))
                    continue
                if len(code) > 2 and not parent:
                    problems.append(Problem(path.name, lineno, parent_col or "parent", "", "缺少上级区划代码"))
                    continue
                rows.append((code, name, parent or None, lineno))
    except UnicodeDecodeError as exc:
        problems.append(Problem(path.name, None, "", "", f"不是 UTF-8 编码的 CSV 文件（{exc.reason}）"))
    return rows


def load_divisions(actor, path: str | Path) -> LoadReport:
    """Load or refresh divisions from a folder of CSV files (provinces, cities, areas, streets,
    villages/communities) or from one such file. Idempotent: a second run changes nothing."""
    scope.require_admin(actor, "导入行政区划")
    path = Path(path)
    if path.is_dir():
        files = [path / n for n in KNOWN_FILES if (path / n).exists()]
        if not files:
            raise InvalidInput([Problem(str(path), None, "", "", "目录中没有 provinces/cities/areas/streets/villages.csv")])
    elif path.is_file():
        files = [path]
    else:
        raise InvalidInput([Problem(str(path), None, "", "", "文件或目录不存在")])

    problems: list[Problem] = []
    report = LoadReport(files=[f.name for f in files])
    rows: dict[str, tuple[str, str | None, str, int]] = {}
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.read_bytes())
        for code, name, parent, lineno in _read_rows(f, problems):
            rows[code] = (name, parent, f.name, lineno)
    report.read = len(rows)

    with transaction.atomic():
        existing = {code: (pk, name, parent_id) for code, pk, name, parent_id
                    in Jurisdiction.objects.values_list("code", "id", "name", "parent_id")}
        ids = {code: v[0] for code, v in existing.items()}
        to_update = []
        for length in sorted(LEVEL_BY_LENGTH):
            batch = []
            for code, (name, parent, fname, lineno) in rows.items():
                if len(code) != length:
                    continue
                parent_id = None
                if parent:
                    parent_id = ids.get(parent)
                    if parent_id is None:
                        problems.append(Problem(fname, lineno, "parent", parent, "上级区划不存在（既不在文件中也不在数据库中）"))
                        continue
                if code in existing:
                    pk, old_name, old_parent = existing[code]
                    if (old_name, old_parent) != (name, parent_id):
                        to_update.append(Jurisdiction(id=pk, code=code, name=name, parent_id=parent_id))
                    else:
                        report.unchanged += 1
                else:
                    batch.append(Jurisdiction(code=code, name=name, level=LEVEL_BY_LENGTH[length],
                                              parent_id=parent_id, source=fname))
            if problems:
                continue
            created = Jurisdiction.objects.bulk_create(batch, batch_size=2000)
            if created and created[0].pk is None:  # a backend that returns no ids
                ids.update(Jurisdiction.objects.filter(code__in=[j.code for j in batch]).values_list("code", "id"))
            else:
                ids.update((j.code, j.pk) for j in created)
            report.created += len(batch)
        if problems:
            raise InvalidInput(problems)
        Jurisdiction.objects.bulk_update(to_update, ["name", "parent"], batch_size=2000)
        report.updated = len(to_update)
        if report.created or report.updated:
            audit.append(actor, "jurisdictions.load", str(path), {
                "files": report.files, "sha256": digest.hexdigest(), "created": report.created,
                "updated": report.updated})
    return report


def add_jurisdiction(actor, code: str, name: str, parent_code: str | None) -> Jurisdiction:
    """Add one division, typically a community (社区) or village (村) under a township."""
    code, name = short_code(code or ""), (name or "").strip()
    parent_code = short_code(parent_code) if parent_code else parent_code
    problems = []
    if not code.isdigit() or len(code) not in LEVEL_BY_LENGTH:
        problems.append(Problem("", None, "code", code, "应为2、4、6、9或12位数字的区划代码"))
    if not name:
        problems.append(Problem("", None, "name", name, "名称不能为空"))
    parent = None
    if parent_code:
        parent = Jurisdiction.objects.filter(code=parent_code).first()
        if parent is None:
            problems.append(Problem("", None, "parent", parent_code, "上级区划不存在"))
    if problems:
        raise InvalidInput(problems)
    if parent is not None:
        scope.require_jurisdiction(actor, parent, "添加下级区划到")
    else:
        scope.require_admin(actor, "添加省级区划")
    if Jurisdiction.objects.filter(code=code).exists():
        raise InvalidInput([Problem("", None, "code", code, "该区划代码已存在")])
    with transaction.atomic():
        j = Jurisdiction.objects.create(code=code, name=name, level=LEVEL_BY_LENGTH[len(code)], parent=parent,
                                        source="manual")
        audit.append(actor, "jurisdiction.add", code, {"name": name, "parent": parent_code})
    return j
