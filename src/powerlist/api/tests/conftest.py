"""A county's list as a developer finds it: published and draft items of three departments."""

import pytest
from django.test import Client

from powerlist.api import services as token_services
from powerlist.catalog.services.items import create_item
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def items(county, departments):
    docs = [
        item_document(code="430304-JY-XK-001", name="民办学校设立审批", status="published",
                      conditions="举办者联系人张三，手机13812345678，身份证430302199001011234"),
        item_document(code="430304-JY-QR-001", name="教师资格认定", category="07", status="published"),
        item_document(code="430304-JY-XK-009", name="草稿中的教育许可"),
        item_document(code="430304-SC-CF-001", name="对未取得食品经营许可从事食品经营活动的处罚", category="02",
                      organisation="岳塘区市场监督管理局", status="published",
                      citations=[{"kind": "setting", "text": "《中华人民共和国食品安全法》第一百二十二条"}],
                      discretion=[{"grade": "一般", "circumstance": "首次违法且货值较小",
                                   "penalty": "没收违法所得，并处五万元以上十万元以下罚款",
                                   "min_fine": "50000", "max_fine": "100000"}]),
        item_document(code="430304-SC-XK-001", name="食品经营许可", organisation="岳塘区市场监督管理局",
                      status="published"),
        item_document(code="430304-SC-XK-009", name="草稿中的市场许可", organisation="岳塘区市场监督管理局"),
        item_document(code="430304-WJ-GG-001", name="预防接种服务", category="20", organisation="岳塘区卫生健康局",
                      status="published"),
    ]
    return {d["code"]: create_item(SYSTEM, county, d) for d in docs}


@pytest.fixture
def token_for():
    def make(user, name="test"):
        _token, key = token_services.create_token(SYSTEM, user, name)
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    return make
