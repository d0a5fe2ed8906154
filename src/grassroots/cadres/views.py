"""Pages of the cadres app: the two committees by township and village, a cadre's file with the
score explanation, the appraisals behind each figure, pay sheets.

Views parse, authorise (through selectors, which apply the viewer's scope) and render; none
writes. Scores and pay show only to those who hold their rights; out of scope is 404.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from grassroots.areas.scope import scope_for
from grassroots.areas.selectors import area_get
from grassroots.cadres import figures, selectors
from grassroots.cadres.choices import Grade, Period
from grassroots.cadres.export import XLSX, sheet_xlsx
from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.core.errors import invalid_filter
from grassroots.core.roles import Perm
from grassroots.figures import counts, registry

PAGE_SIZE = 50


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Structure by township (in post, 一肩挑, vacancies, age and education), the villages'
    committees, and — for those who score — the year's star distribution with figure links."""
    actor = actor_of(request)
    today = timezone.localdate()
    scope = scope_for(actor)
    counts: Counter[int] = Counter()
    places = {}
    for cadre in selectors.cadre_list(actor=actor):
        counts[cadre.area_id] += 1
        places[cadre.area_id] = cadre.area
    context: dict[str, object] = {
        "structure": selectors.structure_by_township(actor=actor, day=today),
        "villages": [{"area": places[k], "count": n} for k, n in counts.items()],
        "today": today,
        "can_configure": scope.has(Perm.CONFIGURE_CADRES),
    }
    year = params.integer("year", request.GET.get("year"), low=2000, high=2100)
    year = year or today.year - 1
    if scope.has(Perm.VIEW_CADRE_SCORES):
        dist = selectors.star_distribution(actor=actor, year=year)
        start, end = f"{year}-01-01", f"{year + 1}-07-01"
        context["year"] = year
        context["stars"] = [
            {"township": name, "counts": [(n, counter.get(n, 0)) for n in (5, 4, 3, 2, 1)]}
            for name, counter in sorted(dist.items())
        ]
        context["figure_links"] = [
            {
                "label": registry.figure(name).label,  # type: ignore[union-attr]
                "link": reverse("cadres:appraisals")
                + "?"
                + urlencode({"figure": name, "period_from": start, "period_to": end}),
            }
            for name in figures.figure_names()
        ]
    if scope.has(Perm.VIEW_CADRE_PAY):
        context["pay"] = _pay_by_township(actor, year)
    return render(request, "cadres/home.html", context)


def _pay_by_township(actor: Any, year: int) -> dict[str, Any]:
    """The year's pay totals (sheets confirmed in the year), per township in scope, each linked
    to the pay lines it adds up."""
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    figs = [registry.figure(n) for n in figures.pay_figure_names()]
    found = [f for f in figs if f is not None]
    rows = []
    for township in selectors.townships_visible(actor=actor, perm=Perm.VIEW_CADRE_PAY):
        values = counts.figure_counts(found, area=township, start=start, end=end)
        rows.append(
            {
                "township": township.name,
                "totals": [
                    {
                        "name": f.name,
                        "yuan": figures.yuan(values[f.name]),
                        "link": pay_lines_link(f.name, township.pk, start, end),
                    }
                    for f in found
                ],
            }
        )
    return {"year": year, "labels": [f.label for f in found], "rows": rows}


def pay_lines_link(name: str, within: int, start: datetime.date, end: datetime.date) -> str:
    """The pay lines a pay total adds up over `within`'s subtree and [start, end)."""
    query: dict[str, Any] = {"figure": name, "within": within}
    query |= {"period_from": start.isoformat(), "period_to": end.isoformat()}
    return reverse("cadres:pay-lines") + "?" + urlencode(query)


@login_required
@require_GET
def own_record(request: HttpRequest) -> HttpResponse:
    """A cadre's own appraisals (confirmed, with how each score was computed) and pay lines
    (of confirmed sheets): only their own, through the account the organisation department
    linked; 404 for an account linked to no cadre."""
    cadre, appraisals, lines = selectors.own_record(user=actor_of(request))
    context = {
        "cadre": cadre,
        "appraisals": appraisals,
        "pay": lines,
        "grades": dict(Grade.choices),
        "periods": dict(Period.choices),
    }
    return render(request, "cadres/me.html", context)


@login_required
@require_GET
def committee(request: HttpRequest, area: int) -> HttpResponse:
    """One village's two committees today: members, posts, tenure, age; vacancies."""
    actor = actor_of(request)
    c = selectors.committee_of(actor=actor, area_pk=area, day=timezone.localdate())
    return render(request, "cadres/committee.html", {"c": c})


@login_required
@require_GET
def cadre_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A cadre's file: terms, appraisals with how each score was computed, pay lines."""
    actor = actor_of(request)
    cadre = selectors.cadre_get(actor=actor, pk=pk)
    scope = scope_for(actor)
    appraisals = (
        list(selectors.appraisal_list(actor=actor, cadre=cadre.pk))
        if scope.has(Perm.VIEW_CADRE_SCORES)
        else None
    )
    pay = None
    if scope.has(Perm.VIEW_CADRE_PAY):
        sheets = selectors.sheets_visible(actor=actor).filter(lines__cadre=cadre).distinct()
        pay = [
            line
            for line in cadre.pay_lines.filter(sheet__in=sheets)
            .select_related("sheet")
            .order_by("sheet__year", "sheet__month", "id")
        ]
    context = {
        "cadre": cadre,
        "terms": cadre.terms.all(),
        "appraisals": appraisals,
        "pay": pay,
        "grades": dict(Grade.choices),
        "periods": dict(Period.choices),
    }
    return render(request, "cadres/cadre.html", context)


@login_required
@require_GET
def appraisal_list(request: HttpRequest) -> HttpResponse:
    """Appraisals in scope; with `figure` (and a period), exactly the rows the figure counts."""
    actor = actor_of(request)
    qs = selectors.appraisal_list(
        actor=actor,
        year=params.integer("year", request.GET.get("year"), low=2000, high=2100),
        period=request.GET.get("period") or None,
    )
    name = request.GET.get("figure") or ""
    figure = None
    if name:
        figure = registry.figure(name)
        if figure is None or figure.source != figures.SOURCE_NAME:
            raise invalid_filter("figure", name)
        qs = qs.filter(figure.q(timezone.now()))
        start = params.day("period_from", request.GET.get("period_from"))
        end = params.day("period_to", request.GET.get("period_to"))
        if start and end:
            qs = qs.filter(figure.period_q(start, end))
    within = params.row_id("within", request.GET.get("within"))
    if within is not None:
        qs = qs.filter(area_get(actor=actor, pk=within).subtree_q())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "count": page.paginator.count,
        "figure": figure,
        "grades": dict(Grade.choices),
        "periods": dict(Period.choices),
    }
    return render(request, "cadres/appraisals.html", context)


@login_required
@require_GET
def pay_line_list(request: HttpRequest) -> HttpResponse:
    """Pay lines in scope; with `figure` (and a period), exactly the lines a pay total adds up,
    and their sum (the figure's value in yuan)."""
    actor = actor_of(request)
    qs = selectors.pay_lines_visible(actor=actor)
    name = request.GET.get("figure") or ""
    figure = None
    if name:
        figure = registry.figure(name)
        if figure is None or figure.source != figures.PAY_SOURCE_NAME:
            raise invalid_filter("figure", name)
        qs = qs.filter(figure.q(timezone.now()))
        start = params.day("period_from", request.GET.get("period_from"))
        end = params.day("period_to", request.GET.get("period_to"))
        if start and end:
            qs = qs.filter(figure.period_q(start, end))
    within = params.row_id("within", request.GET.get("within"))
    if within is not None:
        qs = qs.filter(area_get(actor=actor, pk=within).subtree_q("sheet__"))
    total_fen = int(qs.aggregate(n=Sum("fen"))["n"] or 0)
    qs = qs.select_related("sheet__area", "cadre__resident").order_by(
        "sheet__area__code", "sheet__year", "sheet__month", "cadre_id", "id"
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "count": page.paginator.count,
        "total_fen": total_fen,
        "total": figures.yuan(total_fen),
        "figure": figure,
    }
    return render(request, "cadres/pay_lines.html", context)


@login_required
@require_GET
def sheet_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    year = params.integer("year", request.GET.get("year"), low=2000, high=2100)
    page = Paginator(selectors.sheet_list(actor=actor, year=year), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "cadres/sheets.html", {"page_obj": page})


@login_required
@require_GET
def sheet_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One pay sheet: each line with its parts, the total (the sum of the lines), the .xlsx."""
    actor = actor_of(request)
    sheet = selectors.sheet_get(actor=actor, pk=pk)
    lines = selectors.sheet_lines(sheet=sheet)
    total = sum((line.amount for line in lines), start=0)
    return render(request, "cadres/sheet.html", {"sheet": sheet, "lines": lines, "total": total})


@login_required
@require_GET
def sheet_xlsx_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The sheet's .xlsx (finance office layout), audited with its hash."""
    actor = actor_of(request)
    content, name = sheet_xlsx(actor=actor, sheet=selectors.sheet_get(actor=actor, pk=pk))
    resp = HttpResponse(content, content_type=XLSX)
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp
