"""Exporting a jurisdiction's list as XLSX, CSV or JSON. The files import again unchanged:
import -> export -> import gives identical items."""

import csv
import json
import sys
from contextlib import contextmanager
from pathlib import Path

from django.utils import timezone

from powerlist.catalog.documents import EXPORT_HEADERS, PREFETCH, document_of, document_to_row
from powerlist.catalog.models import PowerItem
from powerlist.catalog.readers import FORMULA_STARTS

FORMATS = ("xlsx", "csv", "json")
JSON_FORMAT = "powerlist.items/1"


def guard(value: str) -> str:
    """Spreadsheet formula injection: a cell starting with = + - @ (or tab/CR) is written with a
    leading apostrophe, so Excel and WPS show it as text instead of evaluating it."""
    if value and value[0] in FORMULA_STARTS:
        return "'" + value
    return value


def iter_documents(jurisdiction, queryset=None, chunk: int = 2000):
    """Item documents of a jurisdiction in code order, fetched in chunks to keep memory flat."""
    qs = queryset if queryset is not None else PowerItem.objects.filter(jurisdiction=jurisdiction)
    qs = qs.order_by("code", "pk")
    last = None
    while True:
        page = qs if last is None else qs.filter(code__gt=last)
        batch = list(page.select_related("organisation").prefetch_related(*PREFETCH)[:chunk])
        if not batch:
            return
        for item in batch:
            yield document_of(item)
        last = batch[-1].code


@contextmanager
def _open(out, binary: bool):
    if out in ("-", None):
        yield sys.stdout.buffer if binary else sys.stdout
        return
    mode = "wb" if binary else "w"
    kwargs = {} if binary else {"encoding": "utf-8-sig" if str(out).endswith(".csv") else "utf-8", "newline": ""}
    with Path(out).open(mode, **kwargs) as fh:
        yield fh


def export(jurisdiction, fmt: str, out, queryset=None) -> int:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    docs = iter_documents(jurisdiction, queryset)
    return {"csv": _csv, "xlsx": _xlsx, "json": _json}[fmt](jurisdiction, docs, out)


def _csv(jurisdiction, docs, out) -> int:
    n = 0
    with _open(out, binary=False) as fh:
        writer = csv.writer(fh)
        writer.writerow(EXPORT_HEADERS)
        for doc in docs:
            writer.writerow([guard(v) for v in document_to_row(doc)])
            n += 1
    return n


def _xlsx(jurisdiction, docs, out) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title="权力清单")
    ws.append(EXPORT_HEADERS)
    n = 0
    for doc in docs:
        row = []
        for value in document_to_row(doc):
            cell = WriteOnlyCell(ws, value=guard(value))
            cell.data_type = "s"  # text, never a formula
            row.append(cell)
        ws.append(row)
        n += 1
    with _open(out, binary=True) as fh:
        wb.save(fh)
    return n


def _json(jurisdiction, docs, out) -> int:
    n = 0
    with _open(out, binary=False) as fh:
        head = {"format": JSON_FORMAT, "jurisdiction": {"code": jurisdiction.code, "name": jurisdiction.full_name()},
                "exported_at": timezone.localtime().isoformat()}  # Beijing time, as every date we write
        fh.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "items": [\n')
        for doc in docs:
            fh.write(("," if n else "") + json.dumps(doc, ensure_ascii=False) + "\n")
            n += 1
        fh.write("]}\n")
    return n
