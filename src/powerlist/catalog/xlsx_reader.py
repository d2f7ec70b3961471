"""The XLSX reading process of an import (see readers._xlsx_rows). It imports nothing of
Django, so a freshly spawned interpreter starts it quickly and holds no database connection."""

_BATCH = 500


def read_sheet(path: str, sheet: int, first_row: int, queue) -> None:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        batch = []
        for number, row in enumerate(wb.worksheets[sheet].iter_rows(min_row=first_row, values_only=True),
                                     start=first_row):
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
