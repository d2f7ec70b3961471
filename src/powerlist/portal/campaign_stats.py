"""The statistics of a published clean-up campaign as governments report them, for the portal's
page and its downloads: the same numbers as `powerlist campaign stats --json` (the statistics
frozen at publication), as rows of a table, a CSV and an XLSX. Only published campaigns; the
numbers and department names hold nothing personal."""

import csv
import io

from django.core.cache import cache

from powerlist.catalog.documents import changed_fields, field_label, with_added_fields
from powerlist.catalog.exports import guard
from powerlist.catalog.models import CATEGORY_NAMES, ListVersionEntry
from powerlist.cleanup.models import Campaign
from powerlist.cleanup.services.publication import KEYS, TAKEN_OVER, difference

# the columns of every table and file: the stats key and its heading
COLUMNS = [(k, h) for k, h in zip((*KEYS, TAKEN_OVER, "cut_ratio"),
                                  ("自报事项", "保留", "取消", "下放", "转移", "整合", "承接上级下放", "精简比例"), strict=True)]
HEADER = ["分组", "代码", "名称", *(h for _k, h in COLUMNS)]
TOTAL, BY_CATEGORY, BY_DEPARTMENT = "合计", "按类别", "按部门"


def published(jurisdiction, campaign_id: int) -> Campaign | None:
    return (Campaign.objects.select_related("version", "jurisdiction", "reference")
            .filter(pk=campaign_id, jurisdiction=jurisdiction, state=Campaign.State.PUBLISHED,
                    version__isnull=False, statistics__isnull=False).first())


def values(counts: dict) -> list:
    # statistics frozen before taken_over existed lack it: none were taken over then
    return [counts.get(k, 0) for k, _h in COLUMNS]


def rows(stats: dict) -> list[list]:
    """[group, code, name, *numbers] for the total, each category and each department."""
    out = [[TOTAL, "", TOTAL, *values(stats)]]
    out += [[BY_CATEGORY, code, CATEGORY_NAMES.get(code, code), *values(c)]
            for code, c in stats.get("by_category", {}).items()]
    out += [[BY_DEPARTMENT, "", name, *values(c)] for name, c in stats.get("by_department", {}).items()]
    return out


def version_difference(campaign: Campaign) -> dict:
    """publication.difference of the campaign's version, with the names of the items and, for each
    item changed, the fields changed as people read them (事项名称, 设定和实施依据, …): a version
    never changes, so it is worked out once."""
    key = f"portal:campaign-diff:v2:{campaign.version_id}"
    found = cache.get(key)
    if found is None:
        diff = difference(campaign.version)
        names = dict(ListVersionEntry.objects.filter(version_id=campaign.version_id,
                                                     code__in=diff["added"] + diff["changed"])
                     .values_list("code", "data__name"))
        fields: dict[str, list[str]] = {}
        if diff["previous"] is not None:
            earlier = ListVersionEntry.objects.filter(version__jurisdiction=campaign.jurisdiction,
                                                      version__number=diff["previous"])
            if diff["removed"]:
                names |= dict(earlier.filter(code__in=diff["removed"]).values_list("code", "data__name"))
            if diff["changed"]:
                now = dict(ListVersionEntry.objects.filter(version_id=campaign.version_id, code__in=diff["changed"])
                           .values_list("code", "data"))
                before = dict(earlier.filter(code__in=diff["changed"]).values_list("code", "data"))
                for code in diff["changed"]:
                    labels = []
                    for f in changed_fields(with_added_fields(before.get(code) or {}),
                                            with_added_fields(now.get(code) or {})):
                        label = field_label(f)
                        if label not in labels:
                            labels.append(label)
                    fields[code] = labels
        found = diff | {"names": names, "fields": fields}
        cache.set(key, found, 24 * 3600)
    return found


def as_csv(stats: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows(stats):
        writer.writerow([guard(v) if isinstance(v, str) else v for v in row])
    return out.getvalue().encode("utf-8-sig")  # Excel and WPS open it as UTF-8


def as_xlsx(campaign: Campaign, stats: dict, diff: dict) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "清理统计"
    ws.append([guard(f"{campaign.jurisdiction.full_name()} {campaign.title}")])
    ws.append([guard(f"第{campaign.version.number}版 {campaign.version.title}"), "sha256", campaign.version.sha256])
    ws.append([])
    ws.append(HEADER)
    for row in rows(stats):
        ws.append([guard(v) if isinstance(v, str) else v for v in row])
        ws.cell(ws.max_row, len(HEADER)).number_format = "0.00%"
    changes = wb.create_sheet("与上一版本相比")
    previous = diff["previous"]
    changes.append([f"与第{previous}版相比" if previous is not None else "此前没有公布的版本"])
    changes.append(["变化", "职权编码", "事项名称", "修改的字段"])
    for label, key in (("新增", "added"), ("删除", "removed"), ("修改", "changed")):
        for code in diff[key]:
            changes.append([label, guard(code), guard(diff["names"].get(code) or ""),
                            guard("、".join(diff.get("fields", {}).get(code, [])))])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
