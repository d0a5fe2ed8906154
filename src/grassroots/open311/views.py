"""Open311 GeoReport v2 endpoints (http://wiki.open311.org/GeoReport_v2), JSON and XML.

Each view parses its parameters (`core.params`), admits the key, calls a selector or a service
and renders a document (`open311.documents`, `open311.render`). Requests are filed through
`cases.services.case_intake`, exactly like every other channel (`open311.services.request_file`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from grassroots.cases.forms import attribute_answers
from grassroots.cases.services import Intake
from grassroots.core import params
from grassroots.core.errors import DomainError
from grassroots.core.throttle import client_address
from grassroots.open311 import documents, selectors
from grassroots.open311.errors import Open311Error
from grassroots.open311.errors import Open311ErrorCode as E
from grassroots.open311.render import error, respond
from grassroots.open311.services import apikey_admit, reads_admit, request_file

MAX_BODY = 64 * 1024
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
CLIENT_FIELDS = ("media_url", "device_id", "account_id")
Handler = Callable[..., HttpResponse]


def endpoint(handler: Handler) -> Handler:
    """Common checks (jurisdiction, the read rate of GETs) and the spec's error shape for every
    endpoint: a refusal answers with its own status (400, 403, 404, 409, 429, with Retry-After)
    and "field: message"."""

    @csrf_exempt
    def view(request: HttpRequest, fmt: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            _jurisdiction(request)
            if request.method == "GET":
                reads_admit(
                    raw_key=request.GET.get("api_key") or "", address=client_address(request)
                )
            return handler(request, fmt, *args, **kwargs)
        except DomainError as exc:
            response = error(fmt, _status(exc), _description(exc))
            if "retry_after" in exc.detail:
                response["Retry-After"] = str(exc.detail["retry_after"])
            return response

    return view


def _status(exc: DomainError) -> int:
    return exc.status if 400 <= exc.status < 500 else 400


def _description(exc: DomainError) -> str:
    question = exc.detail.get("question")
    field = f"attribute[{question}]" if question else exc.detail.get("field", "")
    return f"{field}: {exc.message}" if field else str(exc.message)


def _jurisdiction(request: HttpRequest) -> None:
    given = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or ""
    if given and given != settings.OPEN311_JURISDICTION_ID:
        raise Open311Error(
            E.UNKNOWN_JURISDICTION, f"unknown jurisdiction {given[:40]}", field="jurisdiction_id"
        )


@endpoint
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:root"))
    return respond(fmt, "discovery", documents.discovery(base))


@endpoint
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    return respond(fmt, "services", documents.services(selectors.public_matters()))


@endpoint
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    matter = selectors.public_matter(code)
    if matter is None:
        raise Open311Error(
            E.UNKNOWN_SERVICE, f"unknown service {code[:40]}", field="service_code", status=404
        )
    return respond(fmt, "service_definition", documents.service_definition(matter))


@endpoint
def requests_(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    if request.method != "GET":
        raise Open311Error(E.METHOD_NOT_ALLOWED, "use GET or POST", field="method")
    found = selectors.request_search(_search(request.GET))
    return respond(fmt, "service_requests", documents.service_requests(found))


@endpoint
def request_detail(request: HttpRequest, fmt: str, pk: str) -> HttpResponse:
    case = selectors.public_case(_request_id(pk))
    if case is None:
        raise Open311Error(
            E.UNKNOWN_REQUEST, f"unknown request {pk[:40]}", field="service_request_id", status=404
        )
    return respond(fmt, "service_requests", [documents.service_request(case)])


@endpoint
def token(request: HttpRequest, fmt: str, value: str) -> HttpResponse:
    case = selectors.public_case(_request_id(value))
    if case is None:
        raise Open311Error(
            E.UNKNOWN_TOKEN, f"unknown token {value[:40]}", field="token", status=404
        )
    return respond(fmt, "service_requests", documents.token(case, value))


def _request_id(value: str) -> int:
    """A request id in a path: anything but a row id is an unknown request (404)."""
    try:
        return params.positive_id("service_request_id", value)
    except DomainError:
        raise Open311Error(
            E.UNKNOWN_REQUEST,
            f"unknown request {value[:40]}",
            field="service_request_id",
            status=404,
        ) from None


def _list(value: str | None) -> list[str]:
    return [s.strip() for s in (value or "").split(",") if s.strip()]


def _search(p: QueryDict) -> selectors.RequestSearch:
    return selectors.RequestSearch(
        ids=params.row_ids("service_request_id", p.get("service_request_id")),
        codes=tuple(_list(p.get("service_code"))),
        start=params.moment("start_date", p.get("start_date")),
        end=params.moment("end_date", p.get("end_date")),
        statuses=frozenset(_list(p.get("status"))),
    )


def _float(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise Open311Error(E.INVALID_VALUE, f"not a number: {value[:40]}", field=name) from None


def _required(data: QueryDict, name: str) -> str:
    value = (data.get(name) or "").strip()
    if not value:
        raise Open311Error(E.REQUIRED, "required", field=name)
    return value


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    content_type = (request.content_type or "").lower()
    if content_type not in FORM_TYPES:
        raise Open311Error(
            E.UNSUPPORTED_CONTENT_TYPE,
            "send application/x-www-form-urlencoded",
            field="content type",
        )
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        raise Open311Error(E.BODY_TOO_LARGE, f"larger than {MAX_BODY} bytes", field="body")
    data = request.POST
    key = apikey_admit(data.get("api_key") or request.GET.get("api_key") or "")
    code = _required(data, "service_code")
    if selectors.public_matter(code) is None:
        raise Open311Error(
            E.UNKNOWN_SERVICE, f"unknown service {code[:40]}", field="service_code", status=404
        )
    case = request_file(key=key, intake=_intake(data, code, key.channel))
    return respond(fmt, "service_requests", documents.created(case), status=201)


def _intake(data: QueryDict, code: str, channel: str) -> Intake:
    """The POSTed request as an intake: a point, an address or an area code places it."""
    lat_text, lon_text = data.get("lat"), data.get("long")
    address = (data.get("address_string") or "").strip()
    address_id = (data.get("address_id") or "").strip()
    if not ((lat_text and lon_text) or address or address_id):
        raise Open311Error(
            E.REQUIRED, "lat and long, address_string or address_id is required", field="location"
        )
    lat = _float("lat", lat_text) if lat_text else None
    lon = _float("long", lon_text) if lon_text else None
    if lat is not None and lon is not None and not selectors.inside_county(lon, lat):
        raise Open311Error(E.OUTSIDE_COUNTY, "outside the county served here", field="lat/long")
    area_id = None
    if address_id:
        area = selectors.area_by_code(address_id)
        if area is None:
            raise Open311Error(
                E.UNKNOWN_AREA, f"unknown area code {address_id[:40]}", field="address_id"
            )
        area_id = area.pk
    description = _required(data, "description")
    extra: dict[str, Any] = {k: data.get(k, "")[:500] for k in CLIENT_FIELDS if data.get(k)}
    name = " ".join(s for s in (data.get("last_name", ""), data.get("first_name", "")) if s).strip()
    return Intake(
        matter=code,
        channel=channel,
        description=description[:4000],
        lat=lat if area_id is None else None,
        lon=lon if area_id is None else None,
        area=area_id,
        reporter_name=name[:60],
        reporter_phone=data.get("phone", ""),
        address=address[:200],
        extra=extra,
        attributes=attribute_answers(data),
    )
