"""Reading a BPMN file without trusting it: defusedxml refuses DTDs (so entity expansion and
external entities never happen), and the element count and nesting depth are counted while the
file streams, within `powerlist.core.limits`."""

from powerlist.core import safexml
from powerlist.core.safexml import split  # noqa: F401 - the BPMN modules read tags through here

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
POWERLIST = "https://powerlist.org/bpmn"  # our own attributes: a step's time limit
VENDORS = {
    "http://camunda.org/schema/1.0/bpmn": "camunda",
    "http://activiti.org/bpmn": "activiti",
    "http://flowable.org/bpmn": "flowable",
    "http://www.bpmn.io/schema/bpmn": "bioc",
    POWERLIST: "powerlist",
}


def read(data: bytes, filename: str):
    """The root element of a BPMN document, or InvalidInput naming why it was refused."""
    return safexml.read(data, filename, f"{{{BPMN}}}definitions", "BPMN 2.0 文件")
