"""Reading a decision file (CSV or XLSX) within the upload limits, as decision dicts for
services.decisions.decide. Its columns, by header (the English names are accepted too):

- 职权编码 (code): the item's code in the campaign; required;
- 决定 (decision): 保留、取消、下放、转移、整合 or 调整 (keep, cancel, delegate, transfer, merge, amend); required;
- 理由 (reason): for 取消 required, a reason word first (无法律依据、不属于行政权力、已过时、其他);
- 承接 (receiver): for 下放 the level, for 转移 the social or industry body;
- 合并到 (merge into): for 整合 the code of the item in the campaign that takes it over;
- 调整字段 (changed fields): for 调整 the fields that change and their new values, `字段：新值`, one
  per line in the cell or separated by ；, the field as the list's column (事项名称、事项类型、设定依据、
  承诺时限、收费标准 …) or its English name (name, category, promised_limit_days …);
- 意见 (comment): to the department.

Validated by `decisions.decide`: any row refused refuses the file, naming file, row, column and
what is expected."""

import csv
from pathlib import Path

from powerlist.catalog import readers
from powerlist.core import bounded, limits
from powerlist.core.errors import InvalidInput, Problem

COLUMNS = {"职权编码": "code", "事项编码": "code", "决定": "kind", "审核决定": "kind", "理由": "reason",
           "承接": "receiver", "合并到": "merge_into", "意见": "comment", "调整字段": "changes", "调整内容": "changes",
           "修改字段": "changes", "code": "code", "decision": "kind", "reason": "reason", "receiver": "receiver",
           "merge into": "merge_into", "merge_into": "merge_into", "comment": "comment", "changed fields": "changes",
           "changes": "changes"}
HEADER = ["职权编码", "决定", "理由", "承接", "合并到", "调整字段", "意见"]  # the template's headers


def _column(cell: str) -> str | None:
    return COLUMNS.get(cell) or COLUMNS.get(cell.lower()) or COLUMNS.get(cell.rstrip("*＊").strip())


def _table(path: Path):
    fmt = readers.sniff_format(path)
    bounded.check_size(path)
    max_rows = limits.get("POWERLIST_MAX_ROWS")
    if fmt == "csv":
        with path.open(encoding=readers.detect_encoding(path), newline="") as fh:
            for number, row in enumerate(csv.reader(fh), start=1):
                if number > max_rows:
                    raise limits.refusal(path.name, "POWERLIST_MAX_ROWS", f"文件超过 {max_rows} 行", row=number)
                yield number, row
    elif fmt == "xlsx":
        import openpyxl

        readers._scan_xlsx(path)  # refuses zip bombs and oversized parts before opening
        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - whatever a malformed workbook makes openpyxl raise
            raise InvalidInput([Problem(path.name, None, "", "", f"不是有效的 Excel 工作簿（{exc.__class__.__name__}）")]) from None
        try:
            for number, row in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
                if number > max_rows:
                    raise limits.refusal(path.name, "POWERLIST_MAX_ROWS", f"文件超过 {max_rows} 行", row=number)
                yield number, ["" if v is None else str(v) for v in row]
        finally:
            wb.close()
    else:
        raise InvalidInput([Problem(path.name, None, "", fmt, "审核决定文件应为 CSV 或 XLSX")])


def read(path: str | Path) -> list[dict]:
    path = Path(path)
    header, out = None, []
    for number, row in _table(path):
        cells = [str(c).strip() for c in row]
        if header is None:
            if any(_column(c) for c in cells):
                header = {i: _column(c) for i, c in enumerate(cells) if _column(c)}
                missing = {"code", "kind"} - set(header.values())
                if missing:
                    raise InvalidInput([Problem(path.name, number, "", "", "缺少必需的列：职权编码、决定")])
            continue
        if not any(cells):
            continue
        d = {"row": number}
        for i, f in header.items():
            d[f] = cells[i] if i < len(cells) else ""
        out.append(d)
    if header is None:
        raise InvalidInput([Problem(path.name, 1, "", "", "找不到表头：应有 职权编码、决定、理由、承接、合并到、调整字段 等列")])
    return out
