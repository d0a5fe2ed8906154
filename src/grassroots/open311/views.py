"""Open311 GeoReport v2 endpoints (http://wiki.open311.org/GeoReport_v2), JSON and XML.

Requests are filed through `cases.services.case_intake`, exactly like every other channel. No
personal data leaves: responses carry no reporter name, phone, e-mail or ID number, and the
`description` of a listed request is the handler's public note or a neutral summary.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from grassroots.areas import geo
from grassroots.areas.choices import Level as AreaLevel
from grassroots.areas.models import Area
from grassroots.cases.choices import State
from grassroots.cases.models import Case, CaseEvent, Matter
from grassroots.cases.services import Intake, case_intake
from grassroots.core.audit import audit_source
from grassroots.core.errors import DomainError
from grassroots.open311.render import error, respond
from grassroots.open311.services import apikey_find

DEFAULT_DAYS = 90
MAX_ROWS = 1000
MAX_BODY = 64 * 1024
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
Handler = Callable[..., HttpResponse]


class Refusal(Exception):
    """A request answered with the spec's error list and an HTTP status."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status, self.description = status, description


def endpoint(handler: Handler) -> Handler:
    """Common checks (jurisdiction) and error shape for every endpoint."""

    @csrf_exempt
    def view(request: HttpRequest, fmt: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            _jurisdiction(request)
            return handler(request, fmt, *args, **kwargs)
        except Refusal as exc:
            return error(fmt, exc.status, exc.description)
        except DomainError as exc:
            status = 404 if exc.status == 404 else 400
            field = exc.detail.get("field", "")
            return error(fmt, status, f"{field}: {exc.message}" if field else str(exc.message))

    return view


def _jurisdiction(request: HttpRequest) -> None:
    given = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or ""
    if given and given != settings.OPEN311_JURISDICTION_ID:
        raise Refusal(400, f"jurisdiction_id: unknown jurisdiction {given[:40]}")


def _time(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


@endpoint
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:root"))
    return respond(
        fmt,
        "discovery",
        {
            "changeset": "2026-11-27T00:00:00+08:00",
            "contact": settings.OPEN311_CONTACT,
            "key_service": settings.OPEN311_KEY_SERVICE,
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base.rstrip("/"),
                    "changeset": "2026-11-27T00:00:00+08:00",
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


def _public_matters() -> Any:
    return Matter.objects.filter(active=True, public=True).order_by("code")


@endpoint
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = [
        {
            "service_code": m.code,
            "service_name": m.name,
            "description": m.description,
            "metadata": bool(m.attributes),
            "type": "realtime",
            "keywords": ",".join(m.keywords.split()),
            "group": m.category,
        }
        for m in _public_matters()
    ]
    return respond(fmt, "services", rows)


@endpoint
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    matter = _public_matters().filter(code=code).first()
    if matter is None:
        raise Refusal(404, f"service_code: unknown service {code[:40]}")
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
    return respond(
        fmt, "service_definition", {"service_code": matter.code, "attributes": attributes}
    )


@endpoint
def requests_(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    if request.method != "GET":
        raise Refusal(400, "method: use GET or POST")
    return respond(fmt, "service_requests", [_public(c) for c in _search(request)])


@endpoint
def request_detail(request: HttpRequest, fmt: str, pk: str) -> HttpResponse:
    case = _cases().filter(pk=_id(pk)).first()
    if case is None:
        raise Refusal(404, f"service_request_id: unknown request {pk[:40]}")
    return respond(fmt, "service_requests", [_public(case)])


@endpoint
def token(request: HttpRequest, fmt: str, value: str) -> HttpResponse:
    # Requests are created synchronously, so a token is the request's own id.
    case = _cases().filter(pk=_id(value)).first()
    if case is None:
        raise Refusal(404, f"token: unknown token {value[:40]}")
    return respond(fmt, "service_requests", [{"service_request_id": str(case.pk), "token": value}])


def _id(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise Refusal(404, f"service_request_id: unknown request {value[:40]}") from None
    if number < 1:
        raise Refusal(404, f"service_request_id: unknown request {value[:40]}")
    return number


def _cases() -> Any:
    notes = CaseEvent.objects.exclude(public_note="").order_by("-id")
    return (
        Case.objects.filter(matter__public=True)
        .select_related("matter", "unit", "area")
        .prefetch_related(Prefetch("events", queryset=notes, to_attr="public_events"))
    )


def _date(name: str, value: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Refusal(400, f"{name}: not a w3c date-time: {value[:40]}") from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _search(request: HttpRequest) -> Any:
    p = request.GET
    qs = _cases()
    ids = p.get("service_request_id")
    if ids:
        parts = [s.strip() for s in ids.split(",") if s.strip()]
        if not parts or not all(s.isdigit() for s in parts):
            raise Refusal(400, "service_request_id: a comma-separated list of request ids")
        # the spec: with ids, every other parameter is ignored
        return qs.filter(pk__in=[int(s) for s in parts[:MAX_ROWS]]).order_by("-id")
    codes = [s.strip() for s in (p.get("service_code") or "").split(",") if s.strip()]
    if codes:
        qs = qs.filter(matter__code__in=codes)
    end = _date("end_date", p["end_date"]) if p.get("end_date") else timezone.now()
    start = (
        _date("start_date", p["start_date"])
        if p.get("start_date")
        else end - datetime.timedelta(days=DEFAULT_DAYS)
    )
    if start > end:
        raise Refusal(400, "start_date: after end_date")
    qs = qs.filter(created_at__gte=start, created_at__lte=end)
    status = p.get("status")
    if status:
        wanted = {s.strip() for s in status.split(",")}
        if not wanted <= {"open", "closed"}:
            raise Refusal(400, "status: open or closed")
        if wanted == {"open"}:
            qs = qs.exclude(state=State.CLOSED)
        elif wanted == {"closed"}:
            qs = qs.filter(state=State.CLOSED)
    return qs.order_by("-created_at", "-id")[:MAX_ROWS]


def _public(case: Case) -> dict[str, Any]:
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


def _rate_limited(key_hash: str, per_minute: int) -> bool:
    """Count this minute's requests of one key (per process cache: approximate across workers)."""
    bucket = f"open311:{key_hash[:16]}:{int(timezone.now().timestamp() // 60)}"
    cache.add(bucket, 0, timeout=120)
    try:
        count = cache.incr(bucket)
    except ValueError:
        count = 1
    return count > per_minute


def _inside_county(lon: float, lat: float) -> bool:
    counties = Area.objects.filter(level=AreaLevel.COUNTY).exclude(polygon=None)
    shapes = [c.polygon for c in counties if c.polygon]
    return not shapes or any(geo.contains(shape, lon, lat) for shape in shapes)


def _float(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise Refusal(400, f"{name}: not a number: {value[:40]}") from None


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    content_type = (request.content_type or "").lower()
    if content_type not in FORM_TYPES:
        raise Refusal(400, "content type: send application/x-www-form-urlencoded")
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        raise Refusal(400, f"body: larger than {MAX_BODY} bytes")
    data = request.POST
    key = apikey_find(data.get("api_key") or request.GET.get("api_key") or "")
    if key is None:
        raise Refusal(403, "api_key: missing, unknown or revoked")
    if _rate_limited(key.key_hash, key.per_minute):
        raise Refusal(429, "api_key: too many requests, try again in a minute")
    code = (data.get("service_code") or "").strip()
    if not code:
        raise Refusal(400, "service_code: required")
    matter = _public_matters().filter(code=code).first()
    if matter is None:
        raise Refusal(404, f"service_code: unknown service {code[:40]}")
    lat_text, lon_text = data.get("lat"), data.get("long")
    address = (data.get("address_string") or "").strip()
    address_id = (data.get("address_id") or "").strip()
    if not ((lat_text and lon_text) or address or address_id):
        raise Refusal(400, "location: lat and long, address_string or address_id is required")
    lat = _float("lat", lat_text) if lat_text else None
    lon = _float("long", lon_text) if lon_text else None
    if lat is not None and lon is not None and not _inside_county(lon, lat):
        raise Refusal(400, "lat/long: outside the county served here")
    area_id = None
    if address_id:
        area = Area.objects.filter(code=address_id).first()
        if area is None:
            raise Refusal(400, f"address_id: unknown area code {address_id[:40]}")
        area_id = area.pk
    answers = _answers(data, matter)
    description = (data.get("description") or "").strip()
    if not description:
        raise Refusal(400, "description: required")
    extra: dict[str, Any] = {
        k: data.get(k, "")[:500] for k in ("media_url", "device_id", "account_id") if data.get(k)
    }
    extra["attributes"] = answers
    name = " ".join(s for s in (data.get("last_name", ""), data.get("first_name", "")) if s).strip()
    with audit_source(f"open311:{key.name}"):
        case, _created = case_intake(
            actor=key.account,
            intake=Intake(
                matter=code,
                channel=key.channel,
                description=description[:4000],
                lat=lat if area_id is None else None,
                lon=lon if area_id is None else None,
                area=area_id,
                reporter_name=name[:60],
                reporter_phone=data.get("phone", ""),
                address=address[:200],
                extra=extra,
            ),
        )
    notice = matter.description or matter.name
    return respond(
        fmt,
        "service_requests",
        [{"service_request_id": str(case.pk), "service_notice": notice, "account_id": None}],
        status=201,
    )


def _answers(data: Any, matter: Matter) -> dict[str, str]:
    answers = {}
    for attribute in matter.attributes:
        code = attribute.get("code", "")
        value = (data.get(f"attribute[{code}]") or "").strip()
        allowed = [str(v.get("key")) for v in attribute.get("values", [])]
        if attribute.get("required") and not value:
            raise Refusal(400, f"attribute[{code}]: required")
        if value and allowed and value not in allowed:
            raise Refusal(400, f"attribute[{code}]: one of {', '.join(allowed)}")
        if value:
            answers[code] = value[:200]
    return answers
