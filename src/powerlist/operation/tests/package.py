"""A county's 企业开办 package across four departments (渝北: 工商 leads; 公安, 质监, 税务 in
parallel), with a service hall clerk and a clerk for each department, for the one-window tests."""

from powerlist.catalog.services.items import create_item
from powerlist.conftest import item_document, make_user
from powerlist.core.models import Role
from powerlist.core.scope import SYSTEM
from powerlist.core.services import organisations

APPLICANT, PHONE, ID_NUMBER = "李秀英", "13907315678", "430304198001011234"
PACKAGE = [  # code, name, department
    ("430304-SJ-XK-001", "企业设立登记（营业执照）", "岳塘区市场监督管理局"),
    ("430304-ZJ-XK-002", "组织机构代码证核发", "岳塘区质量技术监督局"),
    ("430304-SW-QT-003", "税务登记证核发", "岳塘区税务局"),
    ("430304-GA-XK-004", "刻章许可（公章刻制）", "岳塘区公安分局"),
]


def business_package(county, departments) -> dict:
    """The four published items, a hall clerk and each department's clerk."""
    orgs = dict(departments)
    for name in ("岳塘区质量技术监督局", "岳塘区税务局", "岳塘区公安分局"):
        orgs[name] = organisations.create_organisation(SYSTEM, county, name=name)
    items = [create_item(SYSTEM, county, item_document(code=code, name=name, organisation=org, status="published",
                                                       promised_limit_days=3))
             for code, name, org in PACKAGE]
    clerks = {org: make_user(f"clerk{i}", Role.CLERK, county, orgs[org]) for i, (_c, _n, org) in enumerate(PACKAGE)}
    return {"items": items, "codes": [c for c, _n, _o in PACKAGE], "clerks": clerks, "orgs": orgs,
            "hall": make_user("hall1", Role.HALL, county)}
