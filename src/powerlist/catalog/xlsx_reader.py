"""The XLSX reading process of an import (see readers._xlsx_rows). It imports nothing of
Django, so a freshly spawned interpreter starts it quickly and holds no database connection."""

from defusedxml.ElementTree import iterparse
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

_BATCH = 500


def _size_from_the_top(self) -> None:
    """openpyxl (3.1) opens a read-only sheet by looking for its <dimension>; in a sheet without
    one (openpyxl's own write-only files, many exports) that look reads the whole sheet, and an
    import would read 100,000 rows once for nothing. The element, when present, precedes
    <sheetData>, so the look stops there; without it the sheet simply has no known size, as
    before."""
    source = self._get_source()
    try:
        for _event, element in iterparse(source, events=("start",)):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "dimension" and element.get("ref"):
                self._min_column, self._min_row, self._max_column, self._max_row = range_boundaries(element.get("ref"))
                return
            if tag == "sheetData":
                return
    finally:
        source.close()


ReadOnlyWorksheet._get_size = _size_from_the_top


def read_sheet(path: str, sheet: int, first_row: int, queue, bounds: tuple[int, int] = (10**9, 16384)) -> None:
    """Rows from `first_row` on, in batches; `bounds` are the most rows and columns to accept
    (the limits of powerlist.core.limits, passed in: this process has no settings)."""
    import openpyxl

    max_rows, max_columns = bounds
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        batch = []
        for number, row in enumerate(wb.worksheets[sheet].iter_rows(min_row=first_row, values_only=True),
                                     start=first_row):
            if number > max_rows:
                queue.put(("limit", ("POWERLIST_MAX_ROWS", f"工作表超过 {max_rows} 行", number)))
                wb.close()
                return
            if len(row) > max_columns:
                queue.put(("limit", ("POWERLIST_MAX_COLUMNS", f"这一行有 {len(row)} 列", number)))
                wb.close()
                return
            if any(v not in (None, "") for v in row):
                batch.append((number, row))
                if len(batch) >= _BATCH:
                    queue.put(("rows", batch))
                    batch = []
        queue.put(("rows", batch))
        queue.put(("end", None))
        wb.close()
    except Exception as exc:  # noqa: BLE001 - reported to the importer as a refusal of the file
        queue.put(("error", f"{exc.__class__.__name__}: {exc}"))
