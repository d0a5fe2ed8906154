"""Pages of the reports app (一表通): the template library, a ledger filled for an area and
period (every cell linked to its rows, the blanks named), its .xlsx and print view, and the
superiors' requests with their confirmations.

Views parse, authorise (through selectors and services) and render; writes go through
`reports.services`. Out of scope is 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.areas.selectors import area_get
from grassroots.core.actors import actor_of
from grassroots.core.errors import DomainError, NotFound
from grassroots.core.models import User
from grassroots.core.params import day, row_ids
from grassroots.core.roles import Perm
from grassroots.reports import selectors, services
from grassroots.reports.choices import AnswerState
from grassroots.reports.definition import definition_parse
from grassroots.reports.periods import period_default
from grassroots.reports.xlsx import XLSX, column_heading, signature_line, unknown_note


def home_area(actor: User, within: Any = None) -> Area:
    """`within` (in scope), else the highest area over which the actor generates ledgers."""
    if within:
        return area_get(actor=actor, pk=within)
    scope = scope_for(actor)
    scope.require(Perm.VIEW_REPORTS)
    found = Area.objects.filter(scope.area_q(Perm.VIEW_REPORTS, "")).order_by("depth", "code")
    area = found.first()
    if area is None:
        raise NotFound("area")
    return area


def _choices(actor: User, area: Area) -> list[Area]:
    """Areas offered in the picker: the actor's top areas, the current one and its children."""
    scope = scope_for(actor)
    tops = list(Area.objects.filter(pk__in=scope.area_ids(Perm.VIEW_REPORTS)).order_by("code"))
    children = list(Area.objects.filter(parent=area).order_by("code")[:60])
    seen: dict[int, Area] = {}
    for a in [*tops, area, *children]:
        seen.setdefault(a.pk, a)
    return list(seen.values())


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    area = home_area(actor, request.GET.get("within"))
    templates = selectors.template_list(actor=actor)
    requests = list(selectors.request_list(actor=actor)[:50])
    context = {
        "area": area,
        "templates": templates,
        "requests": requests,
        "can_issue": scope_for(actor).has(Perm.ISSUE_REPORTS),
    }
    return render(request, "reports/home.html", context)


def _period_of(request: HttpRequest, template: Any) -> str:
    definition = definition_parse(template.definition)
    given = request.GET.get("period")
    if given is not None and given != "":
        return given
    return period_default(definition.period, timezone.localdate(), definition.period_default)


@login_required
@require_GET
def ledger_page(request: HttpRequest, code: str) -> HttpResponse:
    """The ledger filled for `within` and `period`: each cell linked to its rows, each column
    the platform cannot fill left blank and named below the table; printable (PDF through the
    browser's print)."""
    actor = actor_of(request)
    template = selectors.template_get(actor=actor, code=code)
    area = home_area(actor, request.GET.get("within"))
    period = _period_of(request, template)
    filled = services.template_fill(actor=actor, template=template, area_pk=area.pk, period=period)
    query = urlencode({"within": str(area.pk), "period": filled.period.key})
    context = {
        "template": template,
        "filled": filled,
        "groups": _groups(filled),
        "headings": [column_heading(c.label, c.unit) for c in filled.columns],
        "note": unknown_note(filled),
        "signature": signature_line(filled),
        "areas": _choices(actor, area),
        "query": query,
    }
    return render(request, "reports/ledger.html", context)


def _groups(filled: Any) -> list[dict[str, Any]]:
    """The first header row: a group spanning its consecutive columns, or a column spanning
    both rows (`rowspan` 2)."""
    out: list[dict[str, Any]] = []
    for col in filled.columns:
        if col.group and out and out[-1]["group"] == col.group:
            out[-1]["span"] += 1
            continue
        out.append(
            {
                "group": col.group,
                "label": col.group or column_heading(col.label, col.unit),
                "span": 1,
            }
        )
    return out


@login_required
@require_GET
def ledger_download(request: HttpRequest, code: str) -> HttpResponse:
    """The filled ledger as .xlsx in the superior's layout; audited with the file's hash."""
    actor = actor_of(request)
    template = selectors.template_get(actor=actor, code=code)
    area = home_area(actor, request.GET.get("within"))
    content, name, _filled = services.ledger_export(
        actor=actor, template=template, area_pk=area.pk, period=_period_of(request, template)
    )
    return _xlsx(content, name)


def _xlsx(content: bytes, name: str) -> HttpResponse:
    from urllib.parse import quote

    resp = HttpResponse(content, content_type=XLSX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    resp["Cache-Control"] = "no-store"
    return resp


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    """Issue a request (county roles): a template, a period, every township or chosen areas."""
    actor = actor_of(request)
    scope = scope_for(actor)
    scope.require(Perm.ISSUE_REPORTS)
    templates = selectors.template_list(actor=actor)
    error: DomainError | None = None
    if request.method == "POST":
        try:
            template = selectors.template_get(actor=actor, code=request.POST.get("template"))
            issued = services.request_issue(
                actor=actor,
                template=template,
                period=request.POST.get("period"),
                title=request.POST.get("title", ""),
                note=request.POST.get("note", ""),
                due_on=day("due_on", request.POST.get("due_on")),
                areas=row_ids("areas", ",".join(request.POST.getlist("areas"))) or None,
            )
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("已下发报表：%(t)s") % {"t": issued.title})
            return redirect("reports:request", pk=issued.pk)
    county = Area.objects.filter(pk__in=scope.area_ids(Perm.ISSUE_REPORTS)).first()
    townships = Area.objects.filter(parent=county).order_by("code") if county else []
    context = {"templates": templates, "townships": townships, "error": error}
    return render(request, "reports/request_new.html", context, status=400 if error else 200)


@login_required
@require_GET
def request_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A request: who confirmed (when, the file's hash) and who has not; the viewer's own
    area's answer can be generated and confirmed here."""
    actor = actor_of(request)
    req = selectors.request_get(actor=actor, pk=pk)
    answers = list(selectors.answer_list(actor=actor, request=req))
    scope = scope_for(actor)
    for a in answers:
        mine = a.state == AnswerState.PENDING and scope.covers_area(Perm.CONFIRM_REPORTS, a.area)
        setattr(a, "can_confirm", mine)  # noqa: B010 (shown by the template only)
    confirmed = sum(1 for a in answers if a.state == AnswerState.CONFIRMED)
    context = {
        "req": req,
        "answers": answers,
        "confirmed": confirmed,
        "pending": len(answers) - confirmed,
        "issuer": selectors.is_issuer(actor=actor, request=req),
    }
    return render(request, "reports/request.html", context)


@login_required
@require_POST
def answer_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    answer = services.answer_confirm(actor=actor, answer_pk=pk)
    messages.success(request, _("已确认上报，文件 SHA-256：%(h)s") % {"h": answer.sha256})
    return redirect("reports:request", pk=answer.request_id)


@login_required
@require_GET
def answer_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The file confirmed as an answer, exactly as kept (its SHA-256 is on the request page)."""
    actor = actor_of(request)
    answer = selectors.answer_get(actor=actor, pk=pk)
    if answer.state != AnswerState.CONFIRMED:
        raise NotFound("report_answer")
    req = answer.request
    name = f"{req.template.name}-{answer.area.name}-{req.period or 'all'}.xlsx"
    return _xlsx(bytes(answer.content), name)
