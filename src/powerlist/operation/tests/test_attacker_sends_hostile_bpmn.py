"""Entity expansion, external entities and nesting bombs are refused before anything is
expanded, fetched or recursed into."""

import pytest

from powerlist.core.errors import InvalidInput
from powerlist.operation.bpmn.parse import parse

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="P">
<bpmn:userTask id="T" name="&lol3;" /></bpmn:process></bpmn:definitions>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="P">
<bpmn:userTask id="T" name="&xxe;" /></bpmn:process></bpmn:definitions>"""
PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" />"""


@pytest.mark.parametrize("data", [LAUGHS, EXTERNAL, PARAMETER], ids=["billion-laughs", "external", "parameter"])
def test_dtds_and_entities_are_refused(data):
    with pytest.raises(InvalidInput) as refused:
        parse(data, "evil.bpmn")
    assert "DTD" in refused.value.summary()


def test_deep_nesting_is_refused_at_the_limit(settings):
    settings.POWERLIST_MAX_XML_DEPTH = 20
    data = (b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">' + b"<a>" * 50
            + b"</a>" * 50 + b"</bpmn:definitions>")
    with pytest.raises(InvalidInput, match="POWERLIST_MAX_XML_DEPTH"):
        parse(data, "deep.bpmn")


def test_not_bpmn_and_not_xml_are_refused():
    with pytest.raises(InvalidInput, match="不是 BPMN 2.0"):
        parse(b"<html><body/></html>", "page.html")
    with pytest.raises(InvalidInput, match="格式正确的 XML"):
        parse(b"\xff\xfe<<<", "junk.bpmn")
