"""Reading a decision file (CSV or XLSX with 职权编码, 决定, 理由, 承接, 合并到) within the
upload limits, as decision dicts for services.decisions.decide."""

import csv
from pathlib import Path

from powerlist.catalog import readers
from powerlist.core import bounded, limits
from powerlist.core.errors import InvalidInput, Problem

COLUMNS = {"职权编码": "code", "事项编码": "code", "决定": "kind", "审核决定": "kind", "理由": "reason",
           "承接": "receiver", "合并到": "merge_into", "意见": "comment"}


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
            if any(c in COLUMNS for c in cells):
                header = {i: COLUMNS[c] for i, c in enumerate(cells) if c in COLUMNS}
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
        raise InvalidInput([Problem(path.name, 1, "", "", "找不到表头：应有 职权编码、决定、理由、承接、合并到 等列")])
    return out
