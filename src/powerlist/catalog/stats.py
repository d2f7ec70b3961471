"""Counts of a jurisdiction's list: by category x status and by department."""

from django.db.models import Count

from powerlist.catalog.models import CATEGORY_NAMES, STATUS_NAMES, PowerItem


def jurisdiction_stats(jurisdiction, published_only: bool = False) -> dict:
    """Counts for the back office (every status) or, with published_only, for the public."""
    items = PowerItem.objects.filter(jurisdiction=jurisdiction)
    if published_only:
        items = items.filter(status="published")
    by_cat: dict[str, dict[str, int]] = {}
    statuses: set[str] = set()
    for row in items.values("category", "status").annotate(n=Count("id")).order_by():
        by_cat.setdefault(row["category"], {})[row["status"]] = row["n"]
        statuses.add(row["status"])
    departments: dict[int, dict] = {}
    for row in items.values("organisation_id", "organisation__name", "category").annotate(n=Count("id")).order_by():
        d = departments.setdefault(row["organisation_id"], {"organisation": row["organisation__name"], "total": 0,
                                                           "by_category": {}})
        d["by_category"][row["category"]] = row["n"]
        d["total"] += row["n"]
    status_order = [s for s in STATUS_NAMES if s in statuses]
    return {
        "jurisdiction": {"code": jurisdiction.code, "name": jurisdiction.full_name()},
        "total": sum(sum(v.values()) for v in by_cat.values()),
        "statuses": status_order,
        "by_category": [{"category": c, "name": CATEGORY_NAMES[c], "total": sum(by_cat[c].values()),
                         "by_status": {s: by_cat[c].get(s, 0) for s in status_order}}
                        for c in CATEGORY_NAMES if c in by_cat],
        "by_department": sorted(departments.values(), key=lambda d: (-d["total"], d["organisation"])),
    }
