"""The REST API (django-ninja), mounted at /api/: OpenAPI at /api/openapi.json, documentation at
/api/docs. Reads are public; writes need `Authorization: Bearer <token>`.

Every error is JSON `{"detail": "...", "problems": [...]}`: 401 without a valid token, 403 outside
the caller's role or scope, 404 for unknown ids and codes, 409 when a change request can no longer
be applied, 412 when an If-Match header names an older version of the item, 422 for invalid
parameters or bodies (each problem names the field)."""

import json

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from powerlist.api import docs, messages
from powerlist.api.items import router as items_router
from powerlist.api.op_applications import router as applications_router
from powerlist.api.op_cases import router as cases_router
from powerlist.api.op_events import router as events_router
from powerlist.api.public import router as public_router
from powerlist.api.requests import router as requests_router
from powerlist.core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied


class UnicodeJSONRenderer(JSONRenderer):
    """Chinese text as UTF-8, not \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="powerlist API", version="1", urls_namespace="api", docs_url="/docs", openapi_url="/openapi.json",
    docs=docs.LocalSwagger(), renderer=UnicodeJSONRenderer(),
    description="权力清单和责任清单 (power and responsibility lists) of Chinese local government. "
                "Reads are public (published items only); with `Authorization: Bearer <token>` a user reads "
                "within their scope and writes through the same checks as the back office.",
)
api.add_router("", public_router)
api.add_router("", items_router)
api.add_router("", requests_router)
api.add_router("", applications_router)
api.add_router("", cases_router)
api.add_router("", events_router)
api.add_router("", "powerlist.api.op_flowcharts.router")


@api.get("/docs/assets/{name}", include_in_schema=False, url_name="docs-asset")
def docs_asset(request, name: str):
    return docs.asset(request, name)


def _error(request, status: int, detail: str, problems=(), headers=None):
    response = api.create_response(request, {"detail": detail, "problems": list(problems)}, status=status)
    for k, v in (headers or {}).items():
        response[k] = v
    return response


@api.exception_handler(InvalidInput)
def invalid_input(request, exc: InvalidInput):
    return _error(request, 422, exc.summary(limit=20), [p.as_dict() for p in exc.problems])


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return _error(request, 403, str(exc))


@api.exception_handler(NotFound)
def not_found(request, exc):
    return _error(request, 404, str(exc))


@api.exception_handler(Conflict)
def conflict(request, exc: Conflict):
    """A stale If-Match is a failed precondition (412); other conflicts (a change request whose
    fields were changed meanwhile) are 409."""
    return _error(request, 412 if "If-Match" in request.headers else 409, str(exc))


@api.exception_handler(DomainError)
def domain_error(request, exc):
    return _error(request, 422, str(exc))


@api.exception_handler(Http404)
def http_404(request, exc):
    return _error(request, 404, "未找到 Not Found")


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return _error(request, 401, "需要有效的 API 令牌：Authorization: Bearer <token>",
                  headers={"WWW-Authenticate": 'Bearer realm="powerlist"'})


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return _error(request, exc.status_code, str(exc))


def _problem(error: dict) -> dict:
    loc = [str(p) for p in error.get("loc", ())]
    where = loc[0] if loc else ""
    field = ".".join(loc[1:]) if len(loc) > 1 else where
    value = error.get("input", "")
    if not isinstance(value, str):
        try:
            value = json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            value = repr(value)
    return {"file": where, "row": None, "field": field, "value": value[:200], "expected": messages.expected(error),
            "label": messages.label(field)}


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    problems = [_problem(e) for e in exc.errors]
    detail = "；".join(f"{p['label'] or p['file']}: {p['expected']}" for p in problems[:5]) or "参数无效"
    return _error(request, 422, detail, problems)
