"""Open data for each published list version: CSV, XLSX, JSON, JSON-LD (CPSV-AP) and a PDF for
official publication, plus a DCAT catalogue listing the downloads with their sha256.

A published version never changes, so each file is made once from the version's snapshot and
kept under POWERLIST_DATA_DIR, personal data masked (powerlist.core.masking); its hash is then stable and can be printed on a notice.
Each file is made at publication (portal/tasks.py), for the whole list and for each department;
the version's items and its departments' responsibility lists (责任清单, recorded at publication)
come from the one masked feed here. The formats themselves are written in opendata_files.py."""

import os
from urllib.parse import quote
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from powerlist.catalog.limits import format_limit, working_days
from powerlist.catalog.models import CATEGORY_NAMES, PHASE_NAMES, ListVersion
from powerlist.catalog.services.versions import published_departments
from powerlist.core import masking
from powerlist.core.models import Organisation
from powerlist.core.files import sha256_file

FORMATS = {  # format: (file name, media type)
    "csv": ("list.csv", "text/csv"),
    "xlsx": ("list.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("list.json", "application/json"),
    "jsonld": ("list.jsonld", "application/ld+json"),
    "pdf": ("list.pdf", "application/pdf"),
}
TERMS = "urn:powerlist:terms:"
CONTEXT = {
    "cpsv": "http://purl.org/vocab/cpsv#", "cv": "http://data.europa.eu/m8g/", "dct": "http://purl.org/dc/terms/",
    "eli": "http://data.europa.eu/eli/ontology#", "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcat": "http://www.w3.org/ns/dcat#", "spdx": "http://spdx.org/rdf/terms#", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "pl": TERMS,
}


# what the files hold: part of their folder's name, so a file made before the responsibility
# lists were added to it is never served
LAYOUT = "duties1"


class PdfUnavailable(Exception):
    """WeasyPrint or the system libraries it needs (Pango) are missing on this server."""


def data_dir() -> Path:
    return Path(settings.POWERLIST_DATA_DIR) / "open-data"


def _documents(version: ListVersion, department: dict | None = None):
    """The version's items as published, personal data masked: every format is made from here.
    With a department (an element of departments()), its items only."""
    entries = version.entries.order_by("code")
    if department is not None:
        entries = entries.filter(data__organisation=department["as_stored"])
    for doc in entries.values_list("data", flat=True).iterator(chunk_size=2000):
        yield masking.mask_data(doc)


def departments(version: ListVersion) -> list[dict]:
    """The version's departments by name ({"id", "name", "responsibilities"}), each with its
    responsibility list as recorded at publication, masked. A version published before they were
    recorded has responsibilities None (its files say so; today's lists are not theirs): its
    departments are those of its items, found by name."""
    recorded = published_departments(version)
    if recorded is not None:  # as_stored: the name the items carry, to find them (never written out)
        return [masking.mask_data(d) | {"as_stored": d["name"]} for d in recorded]
    names = sorted(set(version.entries.values_list("data__organisation", flat=True)))
    ids = dict(Organisation.objects.filter(jurisdiction=version.jurisdiction, name__in=names)
               .values_list("name", "pk"))
    return [{"id": ids.get(n), "name": masking.mask_text(n), "as_stored": n, "responsibilities": None}
            for n in names]


def department(version: ListVersion, org_id: int) -> dict | None:
    return next((d for d in departments(version) if d["id"] == org_id), None)


def version_title(version: ListVersion) -> str:
    """The title of a version as printed: the jurisdiction's full name, then the title without
    the part of the name it already starts with (湖南省湘潭市岳塘区 + 湘潭市岳塘区权力清单…
    is 湖南省湘潭市岳塘区权力清单…, never the name twice)."""
    full, title = version.jurisdiction.full_name(), masking.mask_text(version.title)
    names, node = [], version.jurisdiction
    while node is not None and len(names) < 6:
        names.append(node.name)
        node = node.parent
    # the ways the title may already name the jurisdiction: its full name, or the names of the
    # levels from some ancestor down (湘潭市岳塘区, 岳塘区)
    for tail in [full] + ["".join(reversed(names[:k])) for k in range(len(names), 0, -1)]:
        if tail and title.startswith(tail):
            return full + title[len(tail):]
    return full + title


def _duration(number, unit) -> str | None:
    """xsd:duration of a time limit. Working days have no xsd form: they are written as days, as
    before, and the unit beside them (pl:promisedTimeLimit) says how they count."""
    if unit == "instant":
        return "P0D"
    if number is None or unit == "none":
        return None
    return f"P{number}M" if unit == "month" else f"P{number}D"


def _limit(doc: dict, kind: str) -> dict:
    number, unit = doc.get(f"{kind}_limit_days"), doc.get(f"{kind}_limit_unit") or "working_day"
    return {"pl:value": number, "pl:unit": unit, "pl:asWritten": format_limit(number, unit),
            "pl:workingDays": working_days(number, unit) if unit in ("working_day", "instant") else None}


def _channels(doc: dict, authority: dict) -> list[dict]:
    """CPSV-AP channels: the office (where and when) and the online service."""
    owner = {"@id": authority["@id"]}
    channels = []
    if doc.get("office_address") or doc.get("office_hours"):
        channels.append({"@type": "cv:Channel", "dct:type": {"@id": "pl:InPerson"}, "cv:ownedBy": owner,
                         "pl:officeAddress": doc.get("office_address", ""),
                         **({"cv:openingHours": {"@value": doc["office_hours"], "@language": "zh-Hans"}}
                            if doc.get("office_hours") else {})})
    url = (doc.get("online_url") or "").strip()
    if url:
        online = {"@type": "cv:Channel", "dct:type": {"@id": "pl:Online"}, "cv:ownedBy": owner,
                  "pl:onlineAddress": url}
        if url.lower().startswith(("https://", "http://")) and " " not in url:
            online["@id"] = url
        channels.append(online)
    return channels


def jsonld_item(doc: dict, jurisdiction) -> dict:
    """One item as a CPSV-AP PublicService, with our own terms for the Chinese elements."""
    kind = "promised" if doc["promised_limit_days"] is not None else "statutory"  # 即办 is 0
    duration = _duration(doc[f"{kind}_limit_days"], doc.get(f"{kind}_limit_unit") or "working_day")
    authority = {"@id": f"urn:powerlist:organisation:{jurisdiction.code}:{quote(doc['organisation'], safe='')}",
                 "@type": "cv:PublicOrganisation",
                 "skos:prefLabel": {"@value": doc["organisation"], "@language": "zh-Hans"},
                 "cv:spatial": f"urn:powerlist:jurisdiction:{jurisdiction.code}"}
    contact = {"@type": "cv:ContactPoint", "cv:telephone": doc.get("enquiry_phone"),
               **({"cv:openingHours": {"@value": doc["office_hours"], "@language": "zh-Hans"}}
                  if doc.get("office_hours") else {})}
    return {
        "@id": f"urn:powerlist:item:{jurisdiction.code}:{doc['code']}",
        "@type": "cpsv:PublicService",
        "dct:identifier": doc["code"],
        "dct:title": {"@value": doc["name"], "@language": "zh-Hans"},
        "dct:description": {"@value": doc["plain_name"] or doc["name"], "@language": "zh-Hans"},
        "cv:hasCompetentAuthority": authority,
        "cv:hasChannel": _channels(doc, authority),
        **({"cv:hasContactPoint": contact} if doc.get("enquiry_phone") else {}),
        "cv:hasLegalResource": [{"@type": "eli:LegalResource", "dct:title": c["text"], "pl:basisKind": c["kind"]}
                                for c in doc["citations"]],
        **({"cv:processingTime": {"@value": duration, "@type": "xsd:duration"}} if duration else {}),
        "pl:category": doc["category"],
        "pl:categoryName": CATEGORY_NAMES[doc["category"]],
        "pl:listKind": doc["list_kind"],
        "pl:handlingOffice": doc["handling_office"],
        "pl:exerciseLevels": doc["exercise_levels"],
        "pl:powerSource": doc["power_source"],
        "pl:statutoryTimeLimit": _limit(doc, "statutory"),
        "pl:promisedTimeLimit": _limit(doc, "promised"),
        # exact working days only (a calendar period has none: see pl:statutoryTimeLimit)
        "pl:statutoryTimeLimitWorkingDays": _limit(doc, "statutory")["pl:workingDays"],
        "pl:promisedTimeLimitWorkingDays": _limit(doc, "promised")["pl:workingDays"],
        "pl:feeBasis": doc["fee_basis"],
        "pl:feeStandard": doc["fee_standard"],
        "pl:conditions": doc["conditions"],
        "pl:materials": doc["materials"],
        "pl:resultDocuments": doc["result_documents"],
        "pl:responsibilityItem": [{"pl:phase": PHASE_NAMES[r["phase"]], "pl:stage": r["stage"],
                                   "pl:content": r["content"]} for r in doc["responsibilities"]],
        "pl:accountabilitySituation": doc["accountability"],
        "pl:riskPoint": [{"pl:level": p["level"], "pl:step": p["step"], "pl:risk": p["description"],
                          "pl:preventionMeasure": p["prevention"]} for p in doc["risk_points"]],
        "pl:discretionBenchmark": doc["discretion"],
        "pl:flowchart": doc["flowchart"],
        "pl:supervisionPhone": doc["supervision_phone"],
        "pl:visitsInPerson": doc.get("onsite_visits"),
        "pl:serviceRecipients": doc.get("service_recipients", ""),
    }


def _write(version: ListVersion, fmt: str, target: Path, department: dict | None = None) -> None:
    from powerlist.portal import opendata_files

    docs = _documents(version, department)
    duties = departments(version) if department is None else [department]
    opendata_files.write(version, fmt, target, docs, duties, whole=department is None)


def render_pdf(version: ListVersion, department: dict | None = None) -> bytes:
    from powerlist.portal import opendata_files

    duties = departments(version) if department is None else [department]
    return opendata_files.render_pdf(version, _documents(version, department), duties, whole=department is None)


def pdf_limits(doc: dict) -> dict:
    return {f"{k}_limit": format_limit(doc.get(f"{k}_limit_days"), doc.get(f"{k}_limit_unit") or "working_day",
                                       bare_working_days=False) for k in ("statutory", "promised")}


def artefact_folder(version: ListVersion) -> Path:
    # the masking policy is part of the name: a file made under an older policy is never served
    return (data_dir() / "opendata" / version.jurisdiction.code
            / f"v{version.number}-{version.sha256[:12]}-{masking.POLICY}-{LAYOUT}")


def artefact(version: ListVersion, fmt: str, department: dict | None = None) -> Path:
    """The file of a version in a format (a department's part of it: an element of departments()),
    made at publication or, when not ready yet, on its first request; written atomically."""
    name, _media = FORMATS[fmt]
    folder = artefact_folder(version)
    if department is not None:
        folder = folder / f"department-{department['id']}"
    path = folder / name
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".tmp-{os.getpid()}-{name}"  # keeps the suffix: CSV gets its BOM
        try:
            _write(version, fmt, tmp, department)
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)
    return path


sha256_of = sha256_file


def catalogue(base_url: str, include_pdf: bool = True) -> dict:
    """A DCAT catalogue: one dataset per published version, one distribution per format."""
    datasets = []
    for version in ListVersion.objects.select_related("jurisdiction").order_by("jurisdiction__code", "number"):
        distributions = []
        for fmt, (_name, media) in FORMATS.items():
            if fmt == "pdf" and not include_pdf:
                continue
            try:
                path = artefact(version, fmt)
            except PdfUnavailable:
                continue
            distributions.append({
                "@type": "dcat:Distribution", "dct:format": fmt.upper(), "dcat:mediaType": media,
                "dcat:downloadURL": {"@id": f"{base_url}/j/{version.jurisdiction.code}/v/{version.number}/{fmt}/"},
                "dcat:byteSize": {"@value": path.stat().st_size, "@type": "xsd:nonNegativeInteger"},
                "spdx:checksum": {"@type": "spdx:Checksum", "spdx:algorithm": "spdx:checksumAlgorithm_sha256",
                                  "spdx:checksumValue": sha256_of(path)}})
        datasets.append({
            "@type": "dcat:Dataset", "@id": f"urn:powerlist:list:{version.jurisdiction.code}:v{version.number}",
            "dct:title": {"@value": version_title(version), "@language": "zh-Hans"},
            # the date of publication in Beijing, as the portal shows it (never UTC's day)
            "dct:issued": {"@value": timezone.localdate(version.published_at).isoformat(), "@type": "xsd:date"},
            "dct:spatial": f"urn:powerlist:jurisdiction:{version.jurisdiction.code}",
            "pl:itemCount": version.item_count, "pl:listSha256": version.sha256, "pl:approvingDocument": version.document,
            "dcat:distribution": distributions})
    return {"@context": CONTEXT, "@type": "dcat:Catalog", "dct:title": "权力清单开放数据", "dcat:dataset": datasets}
