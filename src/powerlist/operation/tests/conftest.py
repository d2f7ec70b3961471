from pathlib import Path

import pytest

from powerlist.catalog.services.items import create_item
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM

DIAGRAMS = Path(__file__).parent / "diagrams"
HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:flowable="http://flowable.org/bpmn" '
        'id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">\n')


def diagram(body: str, process_id: str = "Process_1") -> bytes:
    """A small diagram as bpmn.io saves one, without the layout."""
    return (HEAD + f'<bpmn:process id="{process_id}" isExecutable="true">\n{body}\n</bpmn:process>\n'
            '</bpmn:definitions>\n').encode()


def line(*names: str) -> str:
    """start -> the tasks named -> end, as XML."""
    ids = ["StartEvent_1"] + [f"Task_{i + 1}" for i in range(len(names))] + ["EndEvent_1"]
    out = ['<bpmn:startEvent id="StartEvent_1" />']
    out += [f'<bpmn:userTask id="Task_{i + 1}" name="{n}" />' for i, n in enumerate(names)]
    out.append('<bpmn:endEvent id="EndEvent_1" />')
    out += [f'<bpmn:sequenceFlow id="Flow_{i}" sourceRef="{a}" targetRef="{b}" />'
            for i, (a, b) in enumerate(zip(ids, ids[1:]))]
    return "\n".join(out)


@pytest.fixture
def licence(county, departments):
    """A published licensing item of 岳塘区教育局 with a risk point at 审查环节."""
    return create_item(SYSTEM, county, item_document(status="published"))


@pytest.fixture
def draft(county, departments):
    return create_item(SYSTEM, county, item_document(code="430304-JY-XK-002", name="教师资格认定", category="07"))
