"""Reading a discretion table as departments keep it: one sheet per law, a title row, a header
row (序号, 违法行为, 法律依据, 类别, 裁量情节, 裁量标准, 备注; 职权编码 too where they have it), then rows,
with merged cells spanning a violation's rows (its number, name and basis are written once).

openpyxl exposes merged ranges only when it loads a workbook whole, so every part of the file is
measured first against the smaller limit for parts read whole; tables of thousands of rows are
far below it."""

from dataclasses import dataclass
from pathlib import Path

from powerlist.core import bounded, limits
from powerlist.core.errors import InvalidInput, Problem

# header text (normalised: no spaces) -> field
HEADERS = {
    "序号": "number", "编号": "number", "职权编码": "code", "事项编码": "code", "权力编码": "code",
    "违法行为": "violation", "违法行为名称": "violation", "违法事实": "violation",
    "法律依据": "basis", "处罚依据": "basis", "违法依据": "basis", "依据": "basis",
    "类别": "grade", "裁量等级": "grade", "违法程度": "grade", "档次": "grade", "等级": "grade",
    "裁量情节": "circumstances", "情节": "circumstances", "适用情形": "circumstances", "具体情形": "circumstances",
    "裁量标准": "standard", "处罚标准": "standard", "裁量基准": "standard", "处罚裁量标准": "standard",
    "备注": "note",
}
REQUIRED = ("violation", "standard")
FIELD_NAMES = {"number": "序号", "code": "职权编码", "violation": "违法行为", "basis": "法律依据", "grade": "类别",
               "circumstances": "裁量情节", "standard": "裁量标准", "note": "备注"}
HEADER_SEARCH_ROWS = 10
# a violation's number, name and basis are written once for all its grades (merged, or left blank)
CARRIED = ("number", "code", "violation", "basis")


@dataclass
class TableRow:
    sheet: str
    row: int
    fields: dict


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header(cells: list) -> dict[int, str]:
    found = {}
    for i, value in enumerate(cells):
        key = "".join(_text(value).split()).replace("（", "(").split("(")[0]
        if key in HEADERS and HEADERS[key] not in found.values():
            found[i] = HEADERS[key]
    return found


def read(path: Path) -> list[TableRow]:
    """Every data row of every sheet that has the table's header; InvalidInput naming the sheet
    (as the field) and row when the file cannot be read as such a table."""
    import openpyxl

    name = path.name
    bounded.check_size(path)
    bounded.scan_zip(path, lambda part: "POWERLIST_MAX_XLSX_META_MB")
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - whatever a malformed workbook makes openpyxl raise
        raise InvalidInput([Problem(name, None, "", "", f"不是有效的 Excel 工作簿（{exc.__class__.__name__}）")]) from None
    max_rows, max_cell = limits.get("POWERLIST_MAX_ROWS"), limits.get("POWERLIST_MAX_CELL_CHARS")
    rows: list[TableRow] = []
    problems: list[Problem] = []
    sheets_with_table = 0
    for ws in wb.worksheets:
        if ws.max_row > max_rows:
            raise limits.refusal(name, "POWERLIST_MAX_ROWS", f"工作表“{ws.title}”有 {ws.max_row} 行", field=ws.title)
        if ws.max_column > limits.get("POWERLIST_MAX_COLUMNS"):
            raise limits.refusal(name, "POWERLIST_MAX_COLUMNS", f"工作表“{ws.title}”有 {ws.max_column} 列",
                                 field=ws.title)
        # a merged range's value sits in its top-left cell: give it to every cell of the range
        merged = {}
        for rng in ws.merged_cells.ranges:
            value = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    merged[(r, c)] = value
        grid = [[merged.get((r, c), cell.value) for c, cell in enumerate(line, start=1)]
                for r, line in enumerate(ws.iter_rows(), start=1)]
        header_at, columns = None, {}
        for i, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
            found = _header(cells)
            if all(f in found.values() for f in REQUIRED):
                header_at, columns = i, found
                break
        if header_at is None:
            continue  # a notes sheet, a cover page: not part of the table
        sheets_with_table += 1
        title = next((_text(v) for line in grid[:header_at] for v in line if _text(v)), "")
        law = title or ws.title
        carried: dict[str, str] = {}
        for number, cells in enumerate(grid[header_at + 1:], start=header_at + 2):
            fields = {field: _text(cells[i]) if i < len(cells) else "" for i, field in columns.items()}
            if not any(fields.values()):
                carried = {}
                continue
            for field, value in fields.items():
                if len(value) > max_cell:
                    problems.append(Problem(name, number, f"{ws.title}/{FIELD_NAMES[field]}", value[:60],
                                            f"单元格超过{limits.describe('POWERLIST_MAX_CELL_CHARS')}"))
            if fields.get("violation") and fields["violation"] != carried.get("violation"):
                carried = {}  # a new violation: nothing of the one above carries over
            for field in CARRIED:
                if field not in fields:
                    continue
                if fields[field]:
                    carried[field] = fields[field]
                else:
                    fields[field] = carried.get(field, "")
            fields["law"] = law
            rows.append(TableRow(ws.title, number, fields))
    wb.close()
    if not sheets_with_table:
        problems.append(Problem(name, None, "表头", "", "没有找到裁量基准表：表头应包含 序号、违法行为、法律依据、类别、"
                                                     "裁量情节、裁量标准、备注（至少 违法行为 和 裁量标准）"))
    if problems:
        raise InvalidInput(problems)
    return rows
