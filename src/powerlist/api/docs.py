"""The interactive documentation (Swagger UI) with its scripts and styles served by this site,
never from a CDN: government networks are often closed, and a page must not call out.

django-ninja ships the files in its package but only serves them itself when "ninja" is an
installed app; otherwise its template loads them from a CDN. Here they come from the static
files when the finders know them, or else from the API's own asset route."""

import json
import mimetypes
from functools import cache
from pathlib import Path

import ninja
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape
from ninja.openapi.docs import DocsBase

ASSET_DIR = Path(ninja.__file__).parent / "static" / "ninja"
ASSETS = ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.png")

PAGE = """<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" type="text/css" href="{css}">
<link rel="icon" type="image/png" href="{icon}">
</head>
<body data-csrf-token="" data-api-csrf="">
<script type="application/json" id="swagger-settings">{settings}</script>
<div id="swagger-ui"></div>
<script src="{bundle}"></script>
<script src="{init}"></script>
</body>
</html>
"""


@cache
def _from_static(name: str) -> bool:
    return bool(finders.find(f"ninja/{name}"))


def asset_url(api, name: str) -> str:
    if _from_static(name):
        return static(f"ninja/{name}")
    return reverse(f"{api.urls_namespace}:docs-asset", kwargs={"name": name})


class LocalSwagger(DocsBase):
    def render_page(self, request, api, **kwargs) -> HttpResponse:
        # validatorUrl None: Swagger UI would otherwise send the schema to validator.swagger.io
        settings = {"url": self.get_openapi_url(api, kwargs), "layout": "BaseLayout", "deepLinking": True,
                    "validatorUrl": None}
        html = PAGE.format(
            title=escape(api.title), css=asset_url(api, "swagger-ui.css"), icon=asset_url(api, "favicon.png"),
            bundle=asset_url(api, "swagger-ui-bundle.js"), init=asset_url(api, "swagger-ui-init.js"),
            settings=json.dumps(settings).replace("</", "<\\/"))
        return HttpResponse(html)


def asset(request, name: str):
    if name not in ASSETS or not (ASSET_DIR / name).is_file():
        raise Http404(name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse((ASSET_DIR / name).open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response
