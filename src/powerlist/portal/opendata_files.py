"""The files of a published version, each format written from the masked feed of opendata.py:
the items (权力清单) and the departments' responsibility lists (责任清单) as recorded at
publication. A department's files hold its items and its own responsibility list."""

import json
from urllib.parse import quote

from django.template.loader import render_to_string
from django.utils import timezone, translation

from powerlist.catalog import exports
from powerlist.catalog.documents import EXPORT_HEADERS, document_to_row
from powerlist.catalog.models import CATEGORY_NAMES
from powerlist.core import masking
from powerlist.portal import opendata

# the kinds of a department's responsibility list as official lists head them
DUTY_KIND_NAMES = {"duty": "部门职责", "supervision": "事中事后监管制度", "boundary": "职责边界",
                   "public_service": "公共服务事项"}
DUTY_HEADERS = ["部门", "类别", "序号", "标题", "内容", "依据", "相关部门"]
NOT_RECORDED = "本版本公布时未记录部门责任清单"


def _version_head(version) -> dict:
    return {"number": version.number, "title": opendata.version_title(version),
            "document": masking.mask_text(version.document), "sha256": version.sha256,
            "published_at": timezone.localtime(version.published_at).isoformat(),
            "published_on": timezone.localdate(version.published_at).isoformat()}


def _duty(entry: dict, position: int) -> dict:
    return {"kind": entry["kind"], "kind_name": DUTY_KIND_NAMES.get(entry["kind"], entry["kind"]),
            "position": position, "title": entry["title"], "content": entry["content"], "basis": entry["basis"],
            "related_organisations": entry["related_organisations"]}


def _numbered(entries: list[dict]) -> list[dict]:
    """Entries numbered within their kind, as the department page and the PDF number them."""
    seen: dict[str, int] = {}
    out = []
    for e in entries:
        seen[e["kind"]] = seen.get(e["kind"], 0) + 1
        out.append(_duty(e, seen[e["kind"]]))
    return out


def _json(version, target, docs, duties, whole: bool) -> None:
    j = version.jurisdiction
    head = {"format": exports.JSON_FORMAT, "jurisdiction": {"code": j.code, "name": j.full_name()},
            "version": _version_head(version), **({} if whole else {"department": duties[0]["name"]}),
            "exported_at": timezone.localtime().isoformat()}
    with target.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "items": [\n')
        for n, doc in enumerate(docs):
            fh.write(("," if n else "") + json.dumps(doc, ensure_ascii=False) + "\n")
        departments = [{"name": d["name"], "responsibilities": None if d["responsibilities"] is None
                        else _numbered(d["responsibilities"])} for d in duties]
        fh.write('], "departments": ' + json.dumps(departments, ensure_ascii=False) + "}\n")


def _xlsx(version, target, docs, duties) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)

    def text_row(ws, values):
        row = []
        for value in values:
            cell = WriteOnlyCell(ws, value=exports.guard(value or ""))
            cell.data_type = "s"  # text, never a formula
            row.append(cell)
        ws.append(row)

    items = wb.create_sheet(title="权力清单")
    items.append(EXPORT_HEADERS)
    for doc in docs:
        text_row(items, document_to_row(doc))
    sheet = wb.create_sheet(title="责任清单")
    sheet.append(DUTY_HEADERS)
    for d in duties:
        if d["responsibilities"] is None:
            text_row(sheet, [d["name"], "", "", NOT_RECORDED, "", "", ""])
            continue
        for e in _numbered(d["responsibilities"]):
            text_row(sheet, [d["name"], e["kind_name"], str(e["position"]), e["title"], e["content"], e["basis"],
                             "、".join(e["related_organisations"])])
    with target.open("wb") as fh:
        wb.save(fh)


def _organisation_id(j, name: str) -> str:
    return f"urn:powerlist:organisation:{j.code}:{quote(name, safe='')}"


def _jsonld(version, target, docs, duties) -> None:
    """Items as cpsv:PublicService (opendata.jsonld_item); each department as the
    cv:PublicOrganisation its items name as competent authority, carrying its responsibility list
    in our terms (pl:responsibilityList of pl:DepartmentResponsibility)."""
    j = version.jurisdiction
    graph = [opendata.jsonld_item(d, j) for d in docs]
    for d in duties:
        # dct:identifier: the department's number in the portal (/j/CODE/dept/N/)
        node = {"@id": _organisation_id(j, d["name"]), "@type": "cv:PublicOrganisation",
                "dct:identifier": str(d["id"]) if d["id"] is not None else d["name"],
                "skos:prefLabel": {"@value": d["name"], "@language": "zh-Hans"},
                "cv:spatial": f"urn:powerlist:jurisdiction:{j.code}"}
        if d["responsibilities"] is not None:
            node["pl:responsibilityList"] = [{
                "@type": "pl:DepartmentResponsibility", "pl:dutyKind": e["kind"], "pl:dutyKindName": e["kind_name"],
                "pl:position": e["position"], "dct:title": {"@value": e["title"], "@language": "zh-Hans"},
                "dct:description": {"@value": e["content"], "@language": "zh-Hans"}, "pl:basis": e["basis"],
                "pl:relatedOrganisation": [{"@id": _organisation_id(j, r)} for r in e["related_organisations"]],
            } for e in _numbered(d["responsibilities"])]
        graph.append(node)
    target.write_text(json.dumps({"@context": opendata.CONTEXT, "@graph": graph}, ensure_ascii=False),
                      encoding="utf-8")


def render_pdf(version, docs, duties, whole: bool = True) -> bytes:
    """The official publication: 一、权力清单 (each department's items, 设定依据 and 实施依据 in
    their own columns), 二、责任清单 (each department's duties, supervision rules, boundaries with
    the departments named, public services)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango/GObject libraries not installed
        raise opendata.PdfUnavailable(str(exc)) from None
    groups: dict[str, list] = {}
    for d in docs:
        basis = {kind: [c["text"] for c in d["citations"] if c["kind"] == kind] for kind in ("setting", "implementing")}
        groups.setdefault(d["organisation"], []).append(
            d | opendata.pdf_limits(d) | {"category_name": CATEGORY_NAMES[d["category"]], "basis": basis})
    lists = []
    for d in duties:
        if d["responsibilities"] is None:
            lists.append({"name": d["name"], "kinds": None})
            continue
        numbered = _numbered(d["responsibilities"])
        kinds = [(name, [e for e in numbered if e["kind"] == kind]) for kind, name in DUTY_KIND_NAMES.items()]
        lists.append({"name": d["name"], "kinds": [(name, entries) for name, entries in kinds if entries]})
    with translation.override("zh-hans"):
        html = render_to_string("portal/pdf.html", {
            "version": version, "j": version.jurisdiction, "heading": opendata.version_title(version),
            "department": None if whole else duties[0]["name"], "item_count": sum(len(g) for g in groups.values()),
            "groups": sorted(groups.items()), "duty_lists": lists, "not_recorded": NOT_RECORDED,
            "published_on": timezone.localdate(version.published_at), "generated": timezone.localtime()})
    return HTML(string=masking.mask_text(html)).write_pdf()  # the version's title and document too


def write(version, fmt: str, target, docs, duties: list[dict], whole: bool = True) -> None:
    if fmt == "csv":  # one table: the items (the responsibility lists are in XLSX, JSON, JSON-LD, PDF)
        exports._csv(version.jurisdiction, docs, target)
    elif fmt == "xlsx":
        _xlsx(version, target, docs, duties)
    elif fmt == "json":
        _json(version, target, docs, duties, whole)
    elif fmt == "jsonld":
        _jsonld(version, target, docs, duties)
    elif fmt == "pdf":
        target.write_bytes(render_pdf(version, docs, duties, whole))
