"""Pages of the training app: this year's figures and coverage by township, the not-covered
list, the sessions, a session's roll, and the rows behind each figure.

Views parse, authorise (through selectors, which apply the viewer's scope) and render; none
writes. Out of scope is 404.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.areas.selectors import area_get
from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.figures import counts, registry
from grassroots.training import selectors, services
from grassroots.training.choices import Attendance
from grassroots.training.errors import TrainingError
from grassroots.training.models import Session

PAGE_SIZE = 50
CALLED = [(a.value, a.label) for a in (Attendance.PRESENT, Attendance.LEAVE, Attendance.ABSENT)]
RELATED = {
    "training_enrolments": ("resident", "area", "session"),
    "training_coverage": ("cadre__resident", "area"),
}
YEARLY = ("training_sessions", "training_person_times", "training_hours")
NOW = (
    "training_secretaries",
    "training_secretaries_covered",
    "training_committee",
    "training_committee_covered",
    "training_short_of_hours",
)


def top_area(actor: User, perm: str, within: Any = None) -> Area:
    """`within` (in scope), else the highest area the actor's `perm` reaches."""
    if within:
        return area_get(actor=actor, pk=within)
    scope = scope_for(actor)
    scope.require(perm)
    found = Area.objects.filter(scope.area_q(perm, "")).order_by("depth", "code").first()
    if found is None:
        return area_get(actor=actor, pk=0)
    return found


def figure_values(
    area: Area, names: tuple[str, ...], start: datetime.date | None, end: datetime.date | None
) -> dict[str, dict[str, Any]]:
    """Each named figure over `area`'s subtree (and [start, end) unless current), with the link
    to its rows."""
    figs = [f for f in (registry.figure(n) for n in names) if f is not None]
    values = counts.figure_counts(figs, area=area, start=start, end=end)
    out = {}
    for f in figs:
        query: dict[str, Any] = {"figure": f.name, "within": area.pk}
        if start and end and not f.current:
            query |= {"from": start.isoformat(), "to": end.isoformat()}
        out[f.name] = {
            "label": f.label,
            "value": values[f.name],
            "link": reverse("training:rows") + "?" + urlencode(query),
        }
    return out


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    today = timezone.localdate()
    area = top_area(actor, Perm.VIEW_CADRES, request.GET.get("within"))
    start, end = datetime.date(today.year, 1, 1), datetime.date(today.year + 1, 1, 1)
    figs = figure_values(area, YEARLY, start, end) | figure_values(area, NOW, None, None)
    rows = selectors.coverage_rows(actor=actor, day=today, within=area.pk)
    context = {
        "area": area,
        "year": today.year,
        "figures": figs,
        "secretary_share": share(
            figs["training_secretaries_covered"]["value"], figs["training_secretaries"]["value"]
        ),
        "committee_share": share(
            figs["training_committee_covered"]["value"], figs["training_committee"]["value"]
        ),
        "townships": selectors.coverage_by_township(rows),
        "not_covered": selectors.not_covered(actor=actor, rows=rows),
        "sessions": selectors.session_list(actor=actor, year=today.year),
    }
    return render(request, "training/home.html", context)


def _session_context(request: HttpRequest, session: Session) -> dict[str, Any]:
    actor = actor_of(request)
    roll = selectors.session_roll(actor=actor, session=session)
    page = Paginator(roll, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = scope_for(actor)
    can_call = scope.has(Perm.MANAGE_TRAINING) and scope.covers_area(
        Perm.MANAGE_TRAINING, session.area
    )
    return {"session": session, "page_obj": page, "can_call": can_call, "statuses": CALLED}


@login_required
@require_GET
def session_page(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(actor=actor_of(request), pk=pk)
    return render(request, "training/session.html", _session_context(request, session))


@login_required
@require_GET
def certificate_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable completion certificate (结业证书, A4) of one person present at a session."""
    enrolment = selectors.certificate_get(actor=actor_of(request), pk=pk)
    session = enrolment.session
    number = f"{session.starts_on.year}-{session.pk:04d}-{enrolment.pk:06d}"
    context = {"enrolment": enrolment, "session": session, "number": number}
    return render(request, "training/certificate.html", context)


@login_required
@require_POST
def roll_call(request: HttpRequest, pk: int) -> HttpResponse:
    """The roll call of the page's rows, from a phone: one status (and hours) per person; all
    rows or none, a refusal shown on the page naming the row."""
    actor = actor_of(request)
    session = selectors.session_get(actor=actor, pk=pk)
    rows = []
    for key in request.POST.getlist("person"):
        status = request.POST.get(f"status-{key}", "")
        if not status:
            continue
        hours = request.POST.get(f"hours-{key}", "").strip()
        rows.append(
            {"resident": key, "status": status, "hours": int(hours) if hours.isdigit() else None}
        )
    try:
        n = services.attendance_record(actor=actor, session=session, rows=rows)
    except TrainingError as exc:
        context = _session_context(request, session)
        row = exc.detail.get("row")
        who = rows[row]["resident"] if isinstance(row, int) and row < len(rows) else ""
        context["error"] = f"{exc.message}（{exc.detail.get('field', '')} {who}）"
        return render(request, "training/session.html", context, status=400)
    messages.success(request, _("已记录考勤 %(n)s 人") % {"n": n})
    return redirect("training:session", pk=session.pk)


def _signin_context(request: HttpRequest, session: Session) -> dict[str, Any]:
    roll = selectors.session_roll(actor=actor_of(request), session=session)
    people = [e for e in roll if e.cadre_id]
    return {"session": session, "people": people, "today": timezone.localdate()}


@login_required
def signin_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign-in by code on a phone: the organiser opens the code of the day, and enters it for
    the cadre in front of them; present with the session's hours. A refusal names why."""
    actor = actor_of(request)
    session = selectors.session_get(actor=actor, pk=pk)
    context = _signin_context(request, session)
    if request.method != "POST":
        return render(request, "training/signin.html", context)
    try:
        if request.POST.get("open"):
            day = params.day("day", request.POST.get("day")) or timezone.localdate()
            minutes = request.POST.get("minutes", "30").strip()
            _row, code = services.signin_code_open(
                actor=actor,
                session=session,
                day=day,
                minutes=int(minutes) if minutes.isdigit() else -1,
            )
            context["code"] = code
            return render(request, "training/signin.html", context)
        cadre = request.POST.get("cadre", "").strip()
        hours = services.sign_in_with_code(
            actor=actor,
            session=session,
            code=request.POST.get("code", ""),
            cadre_id=int(cadre) if cadre.isdigit() else 0,
        )
    except TrainingError as exc:
        context["error"] = f"{exc.message}（{exc.code}）"
        return render(request, "training/signin.html", context, status=400)
    messages.success(request, _("已签到，认定 %(n)s 学时") % {"n": hours})
    return redirect("training:signin", pk=session.pk)


@login_required
@require_GET
def rows_page(request: HttpRequest) -> HttpResponse:
    """The rows one training figure counts: exactly its filter, in scope."""
    actor = actor_of(request)
    fig, rows = selectors.figure_rows(
        actor=actor, figure=request.GET.get("figure"), within=request.GET.get("within")
    )
    rows = rows.select_related(*RELATED.get(fig.source, ()))
    start = params.day("from", request.GET.get("from"))
    end = params.day("to", request.GET.get("to"))
    if start and end and not fig.current:
        rows = rows.filter(fig.period_q(start, end))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"figure": fig, "count": page.paginator.count, "page_obj": page, "kind": fig.source}
    return render(request, "training/rows.html", context)
