"""A county list named as lists name things (最低生活保障, 社会保险, 市场主体登记), for the tests of
search with the words people type (低保, 社保, 营业执照)."""

from powerlist.catalog.services.items import create_item
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM
from powerlist.core.services import organisations as org_services
from powerlist.core.services import synonyms as synonym_services

CIVIL = "岳塘区民政局"
HRSS = "岳塘区人力资源和社会保障局"
MARKET = "岳塘区市场监督管理局"

ITEMS = [
    ("430304-MZ-JF-001", "城乡最低生活保障金给付", "05", CIVIL),
    ("430304-MZ-QR-001", "最低生活保障家庭经济状况核对", "07", CIVIL),
    ("430304-MZ-FW-001", "临时救助", "20", CIVIL),
    ("430304-RS-CF-001", "对用人单位不办理社会保险登记的处罚", "02", HRSS),
    ("430304-RS-JF-001", "就业困难人员社会保险补贴", "05", HRSS),
    ("430304-SC-DJ-001", "市场主体登记注册", "10", MARKET),
    ("430304-SC-CF-002", "对市场主体未按规定公示营业执照的处罚", "02", MARKET),
    ("430304-SC-XK-001", "食品经营许可", "01", MARKET),
    ("430304-SC-XK-002", "食品生产许可", "01", MARKET),
    ("430304-SC-FW-001", "营业执照", "20", MARKET),
]


def load_synonyms() -> None:
    """The shipped table: migration 0004 put it there, but a test that flushed the database may
    have emptied it; loading is idempotent."""
    synonym_services.load_defaults(SYSTEM)


def everyday_items(county, departments) -> dict:
    for name in (CIVIL, HRSS):
        if org_services.find(county, name) is None:
            org_services.create_organisation(SYSTEM, county, name=name)
    load_synonyms()
    return {code: create_item(SYSTEM, county, item_document(code=code, name=name, category=category,
                                                             organisation=org, status="published"))
            for code, name, category, org in ITEMS}
