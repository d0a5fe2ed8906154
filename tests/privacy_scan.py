"""Every response the suite produces is scanned for a full ID number or phone (SECURITY.md 10).

`install()` wraps the Django test client (and so DRF's, built on it); a response that carries an
unmasked value fails the test that asked for it, unless it is a permitted reveal: sent `no-store`
from an endpoint whose purpose is revealing (the reveal API, the profile's reveal form, an
unmasked export).
"""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from grassroots.people.masking import find_full_ids, find_full_phones

REVEALING_PATHS = re.compile(r"(/reveal/$|^/people/residents/\d+/$|/export)")
SCANNED = {"responses": 0}


class LeakError(AssertionError):
    """A response carried a full ID number or phone outside a permitted reveal."""


def check_response(method: str, path: str, response: Any) -> None:
    """Raise LeakError if `response` leaks; permitted reveals pass."""
    if getattr(response, "streaming", False):
        return
    content = response.content
    if not content:
        return
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return  # binary (an .xlsx is a zip): the ledger tests read those cells themselves
    SCANNED["responses"] += 1
    leaks = find_full_ids(text) + find_full_phones(text)
    if not leaks:
        return
    permitted = "no-store" in response.get("Cache-Control", "") and REVEALING_PATHS.search(path)
    if not permitted:
        raise LeakError(f"{method} {path} answered with {len(leaks)} unmasked value(s)")


def _wrap(cls: type) -> None:
    original = cls.request

    def request(self: Any, **request: Any) -> Any:
        response = original(self, **request)
        check_response(request.get("REQUEST_METHOD", "GET"), request.get("PATH_INFO", ""), response)
        return response

    cls.request = request


def install() -> None:
    # APIClient.request ends in Client.request, so wrapping Client covers both clients.
    _wrap(Client)
