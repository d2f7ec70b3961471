"""A flowchart drawn in bpmn.io, Camunda Modeler or the Flowable designer, uploaded through the
API (multipart or the raw XML body) and read back as BPMN; a clerk's upload for a published item
waits as a change request; hostile XML and script tasks are refused with 422."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from powerlist.operation.models import FlowchartVersion
from powerlist.operation.tests.conftest import DIAGRAMS, diagram
from powerlist.operation.tests.test_attacker_sends_hostile_bpmn import EXTERNAL, LAUGHS

ITEM = "430304-JY-XK-001"


@pytest.mark.parametrize("name", ["bpmnio_licence.bpmn", "camunda_penalty.bpmn", "flowable_benefit.bpmn20.xml"])
def test_a_reviewer_uploads_each_modelers_diagram_and_reads_it_back(client, items, users, token_for, name):
    item = items[ITEM]
    data = (DIAGRAMS / name).read_bytes()
    answer = client.post(f"/api/items/{item.pk}/flowchart", {"file": SimpleUploadedFile(name, data)},
                         **token_for(users["reviewer"]))
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["version"], body["status"], body["change_request"]) == (1, "active", None) and body["steps"]
    read = client.get(f"/api/items/{item.pk}/flowchart")
    assert read.status_code == 200 and read["Content-Type"].startswith("application/xml")
    assert read.content == data and read["X-Flowchart-Version"] == "1"
    assert FlowchartVersion.objects.get(item=item).filename == name


def test_a_clerks_raw_xml_for_a_published_item_becomes_a_change_request(client, items, users, token_for):
    item = items[ITEM]
    data = (DIAGRAMS / "bpmnio_licence.bpmn").read_bytes()
    answer = client.post(f"/api/items/{item.pk}/flowchart?reason=增加补正环节", data, content_type="application/xml",
                         **token_for(users["clerk"]))
    assert answer.status_code == 202, answer.content
    assert answer.json()["status"] == "pending" and answer.json()["change_request"]
    read = client.get(f"/api/items/{item.pk}/flowchart")  # the old chart stays in force until approved
    assert read["X-Flowchart-Source"] == "steps" and read.content != data
    other = client.post(f"/api/items/{items['430304-SC-XK-001'].pk}/flowchart", data,
                        content_type="application/xml", **token_for(users["clerk"]))
    assert other.status_code == 403


@pytest.mark.parametrize("data", [LAUGHS, EXTERNAL, b"not xml at all", b""], ids=["laughs", "xxe", "junk", "empty"])
def test_hostile_or_broken_xml_is_refused_with_422(client, items, users, token_for, data):
    answer = client.post(f"/api/items/{items[ITEM].pk}/flowchart", data, content_type="application/xml",
                         **token_for(users["reviewer"]))
    assert answer.status_code == 422 and answer.json()["detail"]
    assert not FlowchartVersion.objects.exists()


def test_a_script_task_is_refused_naming_it(client, items, users, token_for):
    data = diagram('<bpmn:startEvent id="S" /><bpmn:scriptTask id="Run" name="执行脚本"><bpmn:script>import os'
                   '</bpmn:script></bpmn:scriptTask><bpmn:endEvent id="E" />'
                   '<bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Run" />'
                   '<bpmn:sequenceFlow id="f2" sourceRef="Run" targetRef="E" />')
    answer = client.post(f"/api/items/{items[ITEM].pk}/flowchart", data, content_type="application/xml",
                         **token_for(users["reviewer"]))
    assert answer.status_code == 422 and "Run" in answer.content.decode()


def test_an_unpublished_item_is_not_shown_to_the_public(client, items):
    assert client.get(f"/api/items/{items['430304-JY-XK-009'].pk}/flowchart").status_code == 404


def test_a_diagram_uploaded_without_layout_is_read_back_with_one(client, items, users, token_for):
    """As `flowchart export` writes it: a modeler opens what the API gives with every shape drawn."""
    import xml.etree.ElementTree as ET

    from powerlist.operation.bpmn.xml import BPMNDI
    from powerlist.operation.tests.test_acceptance_tester_runs_the_flowchart_side import GATEWAY

    item = items[ITEM]
    answer = client.post(f"/api/items/{item.pk}/flowchart", diagram(GATEWAY), content_type="application/xml",
                         **token_for(users["reviewer"]))
    assert answer.status_code == 201, answer.content
    root = ET.fromstring(client.get(f"/api/items/{item.pk}/flowchart").content)
    shapes = {s.get("bpmnElement") for s in root.iter(f"{{{BPMNDI}}}BPMNShape")}
    assert {"StartEvent_1", "Task_accept", "Gateway_ok"} <= shapes
