"""An item's flowchart as BPMN 2.0 through the API: read the one in force (anyone, for a published
item; within the caller's scope otherwise), and upload a diagram drawn in bpmn.io, Camunda Modeler
or the Activiti/Flowable designers, as a multipart file or as the raw XML body. The upload goes
through the same import as `powerlist flowchart import`: checked (script tasks, unsafe gateway
conditions and hostile XML are refused with 422 naming the element), stored as the item's next
version; a clerk's upload for a published item becomes a change request (202) that a reviewer
approves."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from ninja import Path, Router, Schema, Status

from powerlist.api.auth import OPTIONAL_TOKEN, token_auth, viewer
from powerlist.api.reading import load_item
from powerlist.api.schemas import MAX_ID, ErrorOut
from powerlist.core import limits
from powerlist.core.errors import InvalidInput, Problem
from powerlist.operation.bpmn import graph
from powerlist.operation.services import flowcharts

router = Router(tags=["flowcharts"])

ItemId = Path(..., ge=1, le=MAX_ID)
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut, 422: ErrorOut}
UPLOAD_BODY = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary", "description": "the .bpmn file"},
        "reason": {"type": "string", "description": "why the flowchart changes"}}}},
    "application/xml": {"schema": {"type": "string", "description": "the BPMN 2.0 XML itself"}}}}}
XML_ANSWER = {"responses": {200: {"description": "the BPMN 2.0 XML of the flowchart in force (headers "
                                                 "X-Flowchart-Version and X-Flowchart-Source)",
                                  "content": {"application/xml": {"schema": {"type": "string"}}}}}}


class FlowchartOut(Schema):
    item: int
    code: str
    version: int
    status: str
    item_version: int | None
    change_request: int | None
    steps: list[str]


@router.get("/items/{item_id}/flowchart", response={404: ErrorOut, 422: ErrorOut},
            openapi_extra={**OPTIONAL_TOKEN, **XML_ANSWER},
            summary="The item's flowchart in force as BPMN 2.0 XML (an imported version, with a computed "
                    "layout when drawn without one; else the one built from its steps or its category's template)")
def get_flowchart(request, item_id: int = ItemId):
    item = load_item(viewer(request), item_id)
    chart = flowcharts.flowchart(item)
    # as `flowchart export` writes it: a diagram imported without layout gets the computed one (bpmndi)
    response = HttpResponse(flowcharts.exported(item).encode("utf-8"), content_type="application/xml; charset=utf-8")
    response["X-Flowchart-Version"] = "" if chart["version"] is None else str(chart["version"])
    response["X-Flowchart-Source"] = chart["source"]
    response["Content-Disposition"] = f'inline; filename="{item.pk}.bpmn"'
    return response


def _upload(request) -> tuple[bytes, str, str]:
    """(data, file name, reason) from a multipart upload or the raw body, within the upload limit."""
    limit = limits.in_bytes("POWERLIST_MAX_UPLOAD_MB")
    content_type = request.content_type or ""
    try:
        if content_type.startswith("multipart/"):
            upload = request.FILES.get("file") or next(iter(request.FILES.values()), None)
            reason = str(request.POST.get("reason", ""))[:500]
            if upload is None:
                raise InvalidInput([Problem("", None, "file", "", "请以 multipart 字段 file 上传 .bpmn 文件")])
            if upload.size > limit:
                raise limits.refusal(upload.name, "POWERLIST_MAX_UPLOAD_MB", f"文件有 {upload.size / limits.MB:.1f}MB")
            return upload.read(), upload.name or "flowchart.bpmn", reason
        data = request.body
    except RequestDataTooBig:
        raise limits.refusal("", "POWERLIST_MAX_UPLOAD_MB", "请求体过大") from None
    if not data.strip():
        raise InvalidInput([Problem("", None, "body", "", "请求体应为 BPMN 2.0 XML，或以 multipart 字段 file 上传")])
    if len(data) > limit:
        raise limits.refusal("", "POWERLIST_MAX_UPLOAD_MB", f"请求体有 {len(data) / limits.MB:.1f}MB")
    return data, "flowchart.bpmn", str(request.GET.get("reason", ""))[:500]


@router.post("/items/{item_id}/flowchart", auth=token_auth,
             response={201: FlowchartOut, 202: FlowchartOut, **ERRORS}, openapi_extra=UPLOAD_BODY,
             summary="Upload a BPMN 2.0 flowchart for the item (201 in force; 202 a clerk's change request for "
                     "a published item, in force once a reviewer approves)")
def upload_flowchart(request, item_id: int = ItemId):
    item = load_item(request.auth, item_id, for_write=True)
    data, filename, reason = _upload(request)
    version = flowcharts.import_flowchart(request.auth, item, data, filename=filename[:255], reason=reason,
                                          via="api")
    body = {"item": item.pk, "code": item.code, "version": version.number, "status": version.status,
            "item_version": version.item_version, "change_request": version.change_request_id,
            "steps": [s["name"] for s in graph.steps(version.parsed)["steps"]]}
    return Status(202 if version.status == "pending" else 201, body)
