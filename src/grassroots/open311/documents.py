"""GeoReport v2 documents as plain Python (dicts and lists), from matters and cases.

`open311.render` turns them into JSON or XML. No personal data goes in: no reporter name, phone,
e-mail or ID number, and the `description` of a listed request is the handler's public note or a
neutral summary, never the resident's own text.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone

from grassroots.cases.choices import State
from grassroots.cases.models import Case, Matter

CHANGESET = "2026-11-27T00:00:00+08:00"


def _time(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def discovery(base: str) -> dict[str, Any]:
    """The discovery document of the endpoint at `base` (an absolute URL)."""
    return {
        "changeset": CHANGESET,
        "contact": settings.OPEN311_CONTACT,
        "key_service": settings.OPEN311_KEY_SERVICE,
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base.rstrip("/"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def services(matters: Iterable[Matter]) -> list[dict[str, Any]]:
    """The service list: one entry per matter; `metadata` when it asks extra questions."""
    return [
        {
            "service_code": m.code,
            "service_name": m.name,
            "description": m.description,
            "metadata": bool(m.attributes),
            "type": "realtime",
            "keywords": ",".join(m.keywords.split()),
            "group": m.category,
        }
        for m in matters
    ]


def service_definition(matter: Matter) -> dict[str, Any]:
    """The matter's extra questions as the spec's attributes, in order."""
    attributes = [
        {
            "variable": True,
            "code": a.get("code", ""),
            "datatype": a.get("datatype", "string"),
            "required": bool(a.get("required", False)),
            "datatype_description": a.get("datatype_description", ""),
            "order": index,
            "description": a.get("description", ""),
            "values": [{"key": v.get("key"), "name": v.get("name")} for v in a.get("values", [])],
        }
        for index, a in enumerate(matter.attributes, start=1)
    ]
    return {"service_code": matter.code, "attributes": attributes}


def service_request(case: Case) -> dict[str, Any]:
    """A case as Open311 shows it: no personal data; the public note or a neutral summary."""
    notes = getattr(case, "public_events", [])
    status_notes = notes[0].public_note if notes else ""
    place = case.area.name if case.area else ""
    lat, lon = case.lat, case.lon
    if lat is None and case.area is not None:
        lat, lon = case.area.centre_lat, case.area.centre_lon
    return {
        "service_request_id": str(case.pk),
        "status": "closed" if case.state == State.CLOSED else "open",
        "status_notes": status_notes,
        "service_name": case.matter.name,
        "service_code": case.matter.code,
        "description": status_notes or f"{case.matter.name}（{place or '位置待核实'}）",
        "agency_responsible": case.unit.name if case.unit else "",
        "service_notice": case.matter.description,
        "requested_datetime": _time(case.created_at),
        "updated_datetime": _time(case.updated_at),
        "expected_datetime": _time(case.resolution_due),
        "address": place,
        "address_id": case.area.code if case.area else "",
        "zipcode": "",
        "lat": round(lat, 4) if lat is not None else None,
        "long": round(lon, 4) if lon is not None else None,
        "media_url": case.extra.get("media_url", ""),
    }


def service_requests(cases: Iterable[Case]) -> list[dict[str, Any]]:
    return [service_request(c) for c in cases]


def created(case: Case) -> list[dict[str, Any]]:
    """The answer to a POST: the new request's id and the matter's notice."""
    notice = case.matter.description or case.matter.name
    return [{"service_request_id": str(case.pk), "service_notice": notice, "account_id": None}]


def token(case: Case, value: str) -> list[dict[str, Any]]:
    """A token's request (requests are created synchronously: the token is the request's id)."""
    return [{"service_request_id": str(case.pk), "token": value}]
