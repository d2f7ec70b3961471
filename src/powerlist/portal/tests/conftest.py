import pytest

from powerlist.catalog.services.items import create_item
from powerlist.catalog.services.versions import publish_version
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM


@pytest.fixture
def published_list(county, departments):
    """A small published list: two versions, the second with one item changed and one added."""
    items = {
        "licence": create_item(SYSTEM, county, item_document(
            code="430304-JY-XK-001", name="民办学校设立审批", status="published",
            conditions="申请人：张三，身份证430302199001011234，手机13812345678")),
        "penalty": create_item(SYSTEM, county, item_document(
            code="430304-SC-CF-001", name="对未取得食品经营许可从事食品经营活动的处罚", category="02",
            organisation="岳塘区市场监督管理局", status="published",
            citations=[{"kind": "setting", "text": "《中华人民共和国食品安全法》第一百二十二条"}],
            discretion=[{"grade": "一般", "circumstance": "货值不足一万元", "penalty": "处5万元以上10万元以下罚款",
                         "min_fine": "50000", "max_fine": "100000"}])),
        "service": create_item(SYSTEM, county, item_document(
            code="430304-WJ-FW-001", name="权力清单公开查询服务", category="20", organisation="岳塘区卫生健康局",
            status="published", flowchart="申请 → 受理 → 办理 → 办结")),
        "draft": create_item(SYSTEM, county, item_document(code="430304-WJ-XK-009", name="仍在起草的许可",
                                                           organisation="岳塘区卫生健康局")),
    }
    first = publish_version(SYSTEM, county, title="岳塘区权力清单（2024年版）", document="岳政发〔2024〕1号")
    from powerlist.catalog.services.items import update_item

    update_item(SYSTEM, items["licence"], {"promised_limit_days": 5}, reason="压缩时限")
    items["new"] = create_item(SYSTEM, county, item_document(code="430304-JY-QR-001", name="教师资格认定",
                                                             category="07", status="published"))
    second = publish_version(SYSTEM, county, title="岳塘区权力清单（2025年版）")
    return {"items": items, "versions": (first, second), "county": county}
