"""The published list of a campaign as a file for the upper platform (录入省平台): JSON or XLSX.

The items are the campaign's published version as frozen (ListVersionEntry.data), in code
order, in the catalog exporter's columns (catalog.documents.EXPORT_HEADERS: 职权编码, 事项名称,
事项类型, 实施主体, 设定依据, 实施依据, 法定/承诺时限, 责任事项, 追责情形, … 状态), which are the
columns of the provincial templates the importer already reads; the JSON is the exporter's
`powerlist.items/1` with the version and the statistics in its head. Both files import again
unchanged (`powerlist import`). Reads only."""

import json
from pathlib import Path

from django.utils import timezone

from powerlist.catalog.documents import EXPORT_HEADERS, document_to_row
from powerlist.catalog.exports import JSON_FORMAT, guard
from powerlist.cleanup.models import Campaign
from powerlist.core.errors import InvalidInput, Problem

FORMATS = ("json", "xlsx")


def _version(campaign: Campaign):
    if campaign.state != Campaign.State.PUBLISHED or campaign.version_id is None:
        raise InvalidInput([Problem("", None, "campaign", str(campaign.pk), "该清理工作尚未公布，没有可报送的清单")])
    return campaign.version


def head(campaign: Campaign) -> dict:
    version = _version(campaign)
    j = campaign.jurisdiction
    return {"format": JSON_FORMAT,
            "jurisdiction": {"code": j.code, "name": j.full_name()},
            "version": {"number": version.number, "title": version.title, "document": version.document,
                        "sha256": version.sha256, "items": version.item_count,
                        "published_at": timezone.localtime(version.published_at).isoformat()},
            "campaign": {"id": campaign.pk, "title": campaign.title,
                         "reference": campaign.reference.code if campaign.reference_id else None},
            "statistics": campaign.statistics,
            "exported_at": timezone.localtime().isoformat()}


def documents(campaign: Campaign):
    entries = _version(campaign).entries.order_by("code").values_list("data", flat=True)
    yield from entries.iterator(chunk_size=2000)


def export(campaign: Campaign, fmt: str, out: str | Path) -> int:
    """Write the file; the number of items written."""
    if fmt not in FORMATS:
        raise InvalidInput([Problem("", None, "format", fmt, "格式应为 json 或 xlsx")])
    meta = head(campaign)
    return {"json": _json, "xlsx": _xlsx}[fmt](meta, documents(campaign), Path(out))


def _json(meta: dict, docs, out: Path) -> int:
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps(meta, ensure_ascii=False)[:-1] + ', "items": [\n')
        for doc in docs:
            fh.write(("," if n else "") + json.dumps(doc, ensure_ascii=False) + "\n")
            n += 1
        fh.write("]}\n")
    return n


def _xlsx(meta: dict, docs, out: Path) -> int:
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
    about = wb.create_sheet(title="版本信息")
    v, j = meta["version"], meta["jurisdiction"]
    for label, value in (("行政区划", f"{j['name']}（{j['code']}）"), ("版本号", v["number"]), ("标题", v["title"]),
                         ("公布文号", v["document"]), ("公布时间", v["published_at"]), ("事项数", v["items"]),
                         ("sha256", v["sha256"]), ("导出时间", meta["exported_at"])):
        about.append([label, guard(str(value)) if isinstance(value, str) else value])
    wb.save(out)
    return n
