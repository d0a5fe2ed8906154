"""The service worker script and the outbox's state check.

The service worker is served from `/sw.js` (not /static/) so that its scope is the whole site;
it is public (it holds no personal data, only the URLs of pages and static files) and never
cached by HTTP, so a new version is picked up at the next visit.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from grassroots.fieldwork.pages import HEADER, precache_urls

# bump when the caching rules change: the new worker drops the older caches
VERSION = "1"
STATIC_FILES = [
    "grassroots/app.css",
    "grassroots/favicon.svg",
    "vendor/htmx/htmx.min.js",
    "fieldwork/offline.js",
    "fieldwork/offline.css",
    "fieldwork/manifest.webmanifest",
    "cases/cases.css",
    "cases/patrol.js",
]


@require_GET
@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, with the pages and static files it keeps (scope "/")."""
    config = {
        "version": VERSION,
        "pages": precache_urls(),
        "static": [static(name) for name in STATIC_FILES],
        "staticPrefix": static(""),
        "header": HEADER,
        "login": "/login/",
        "lang": request.LANGUAGE_CODE,
        "offline": {
            "title": _("当前没有网络"),
            "body": _("这个页面没有保存在手机上。已保存的页面："),
        },
    }
    body = render_to_string(
        "fieldwork/sw.js", {"config": json.dumps(config, ensure_ascii=True).replace("<", "\\u003c")}
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@never_cache
def state(request: HttpRequest) -> JsonResponse:
    """Who is signed in and a current CSRF token: the outbox sends only its user's entries.

    Answers ``{"user": null}`` when nobody is signed in (the outbox waits for a sign-in).
    """
    user = request.user
    if not user.is_authenticated:
        return JsonResponse({"user": None})
    return JsonResponse({"user": user.pk, "csrf": get_token(request)})
