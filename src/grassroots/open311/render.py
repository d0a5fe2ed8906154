"""GeoReport v2 documents in JSON and XML, with the element names and nesting of the spec.

A document is built once as plain Python (dicts and lists) and rendered either way: JSON as is,
XML with the spec's root and item element names (`services/service`, `service_requests/request`,
`errors/error`, `attributes/attribute`, `values/value`, `endpoints/endpoint`, `formats/format`).
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

from grassroots.core.text import xml_text

# The element name of the items of each list, by the list's own element name.
ITEM = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


def _text(value: Any) -> str:
    """`value` as element text, without what XML 1.0 forbids (a control character stored before
    the input was cleaned would otherwise break the whole document for every client)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return xml_text(str(value))


def _fill(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(element, key, item)
    elif isinstance(value, list):
        for item in value:
            _fill(element, ITEM[name], item)
    else:
        element.text = _text(value)


def to_xml(root: str, document: Any) -> bytes:
    """`document` (a list under a plural root, or a dict) as a UTF-8 XML document."""
    element = ET.Element(root)
    if isinstance(document, list):
        for item in document:
            _fill(element, ITEM[root], item)
    else:
        for key, item in document.items():
            _fill(element, key, item)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8")


def respond(fmt: str, root: str, document: Any, status: int = 200) -> HttpResponse:
    """The document in `fmt` ("json" or "xml") with the right content type."""
    if fmt == "xml":
        body = to_xml(root, document)
    else:
        body = json.dumps(document, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """The spec's error list: `[{"code", "description"}]` / `<errors><error>…`."""
    return respond(fmt, "errors", [{"code": status, "description": description}], status)
