"""Reading an XML file without trusting it (BPMN flowcharts, DMN decision tables): defusedxml
refuses DTDs (so entity expansion and external entities never happen), and the element count and
nesting depth are counted while the file streams, within `powerlist.core.limits`."""

import io
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from powerlist.core import limits
from powerlist.core.errors import InvalidInput, Problem


def split(tag: str) -> tuple[str, str]:
    """`{ns}local` -> (ns, local)."""
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def read(data: bytes, filename: str, root_tag: str, what: str):
    """The root element, which must be `root_tag` (`{ns}local`), or InvalidInput naming why the
    file was refused; `what` names the kind of file for the message (“BPMN 2.0 文件”)."""
    if len(data) > limits.in_bytes("POWERLIST_MAX_UPLOAD_MB"):
        raise limits.refusal(filename, "POWERLIST_MAX_UPLOAD_MB", f"文件有 {len(data) / limits.MB:.1f}MB")
    max_elements, max_depth = limits.get("POWERLIST_MAX_XML_ELEMENTS"), limits.get("POWERLIST_MAX_XML_DEPTH")
    count = depth = 0
    root = None
    try:
        for event, element in iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True,
                                        forbid_entities=True, forbid_external=True):
            if event == "end":
                depth -= 1
                continue
            root = element if root is None else root
            count += 1
            depth += 1
            if count > max_elements:
                raise limits.refusal(filename, "POWERLIST_MAX_XML_ELEMENTS", f"超过 {max_elements} 个元素")
            if depth > max_depth:
                raise limits.refusal(filename, "POWERLIST_MAX_XML_DEPTH", f"嵌套超过 {max_depth} 层",
                                     field=split(element.tag)[1])
    except DefusedXmlException as exc:
        raise InvalidInput([Problem(filename, None, "DOCTYPE", "", "文件含有文档类型定义（DTD）或实体声明，"
                                    f"可能是恶意构造的 XML，已拒绝（{type(exc).__name__}）")]) from None
    except ParseError as exc:
        raise InvalidInput([Problem(filename, exc.position[0] if exc.position else None, "", "",
                                    f"不是格式正确的 XML：{exc}")]) from None
    if root is None or root.tag != root_tag:
        ns, local = split(root_tag)
        raise InvalidInput([Problem(filename, None, root.tag if root is not None else "", "",
                                    f"不是 {what}：根元素应为 {local}（{ns}）")])
    return root
