"""The pages a grid worker's phone keeps for working offline.

`PRECACHE` names the pages the service worker fetches as soon as it is installed (URL names;
an app adds its own line here). Any other page joins the cache when its view is decorated with
`offline_page` and the worker opens it online; links marked `data-offline-warm` on such a page
are fetched into the cache too (the households of the worker's own grid).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse

PRECACHE = ["cases:report", "people:households", "visits:due"]
# the response header that tells the service worker a page may be kept
HEADER = "Grassroots-Offline"


def precache_urls() -> list[str]:
    """The URLs of `PRECACHE` whose apps are installed (a name that does not resolve is left)."""
    urls = []
    for name in PRECACHE:
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue
    return urls


def offline_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Marks a view's successful GET pages as kept by the service worker for offline use.

    Only for pages that show what the worker may see anyway, masked as online; the cache is
    the worker's own and is emptied at logout.
    """

    @wraps(view)
    def wrapped(request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            response.headers[HEADER] = "page"
        return response

    return wrapped
