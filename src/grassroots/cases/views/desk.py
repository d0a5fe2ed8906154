"""The hotline desk: find the caller by phone, register the call, see where it will go, answer
from the knowledge base — one screen, one form.

The caller's phone is only ever POSTed (never in a URL, so in no access log) and never echoed:
the page shows it masked and carries it between renders as an encrypted token. A hidden key
made when the form is rendered is the intake's idempotency key, so a double submit registers
one case. The small fragments (matters, route, articles, caller) serve htmx; without scripts
the same form still works by full-page posts.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.areas.scope import scope_for
from grassroots.areas.selectors import area_get
from grassroots.cases import places, routing, selectors, services
from grassroots.cases.errors import CaseError, IdempotencyMismatch
from grassroots.cases.errors import CaseErrorCode as E
from grassroots.cases.forms import DeskForm, attribute_answers
from grassroots.cases.models import Case, Matter
from grassroots.cases.suggest import service as suggest_service
from grassroots.cases.views import actor_of, shown
from grassroots.core import crypto, params
from grassroots.core.errors import DomainError
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people import selectors as people
from grassroots.people import services as people_services
from grassroots.people.masking import mask_phone
from grassroots.people.models import Resident
from grassroots.people.phone import check_phone
from grassroots.people.privacy import phone_index

MATTER_HITS = 30
ARTICLE_HITS = 10
CALLER_HITS = 20


@dataclass
class Caller:
    """What the desk knows about a phone: masked, sealed for the form, residents, past cases."""

    masked: str = ""
    token: str = ""
    error: str = ""
    residents: list[Resident] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    # The household the case is placed by: the one picked, else the only one found.
    chosen: int | None = None

    def pick(self, household: Any) -> None:
        """Place by `household` when one was picked ("" for "不按户定位"), else (None: nothing
        picked yet) by the only household found."""
        found = {r.household_id for r in self.residents if r.household_id}
        if household is None:
            self.chosen = found.pop() if len(found) == 1 else None
        else:
            picked = params.id_or_none(household)
            self.chosen = picked if picked in found else None

    @property
    def name(self) -> str:
        """The name of the caller in the chosen household (the case's reporter)."""
        return next((r.name for r in self.residents if r.household_id == self.chosen), "")


def admit_lookup(actor: User, phone: str) -> None:
    """Count and audit an explicit caller lookup as an exact phone search (429 over the hourly
    limit, `people.services.exact_search_admit`); a bad phone is left to `caller_lookup`'s
    message. Saving the call re-reads the caller without counting again."""
    try:
        people_services.exact_search_admit(actor=actor, terms={"phone": phone})
    except DomainError as exc:
        if exc.status == 429:
            raise


def caller_lookup(actor: User, phone: str) -> Caller:
    """Residents in scope with this phone (with their households) and the cases linked to them
    or reported from this phone, newest first. A bad phone is an error message, not a raise."""
    try:
        normalised = check_phone(phone)
        residents = list(
            people.resident_list(actor=actor, filters=people.ResidentFilters(phone=normalised))
            .select_related("household__dwelling")
            .order_by("household__number", "id")[:CALLER_HITS]
        )
    except DomainError as exc:
        if not shown(exc):
            raise
        return Caller(masked=mask_phone(phone), error=str(exc.message))
    households = {r.household_id for r in residents if r.household_id}
    linked = (
        Q(resident__in=[r.pk for r in residents])
        | Q(household_id__in=households)
        | Q(reporter_phone_index=phone_index(normalised))
    )
    cases = (
        selectors.cases_visible(actor=actor)
        .filter(linked)
        .select_related("matter", "unit", "area")
        .order_by("-created_at", "-id")[:CALLER_HITS]
    )
    caller = Caller(
        masked=mask_phone(normalised),
        token=crypto.encrypt(normalised),
        residents=residents,
        cases=places.with_paths(cases),
    )
    caller.pick(None)
    return caller


def _phone(data: Mapping[str, Any]) -> str:
    """The caller's phone: typed now, or carried from an earlier render as a token."""
    typed = str(data.get("phone", "")).strip()
    if typed:
        return typed
    try:
        return crypto.decrypt(data.get("caller", ""))
    except crypto.CryptoError:
        return ""


def _answer(op: str, text: str) -> str:
    """The answer given at the seat: the typed text, else the chosen article's policy text."""
    if text.strip() or not op.startswith("answer:"):
        return text.strip()
    article = selectors.article_get(pk=op.partition(":")[2])
    return f"{article.title}：{article.body}"[:2000] if article else ""


def _intake(form: DeskForm, op: str, caller: Caller | None) -> services.Intake:
    data = form.cleaned_data
    answer = _answer(op, data["answer"]) if op.startswith("answer") else ""
    if op.startswith("answer") and not answer:
        raise CaseError(E.INVALID_VALUE, _("请填写答复内容或选择知识库文章"), field="answer")
    # a found caller picked by household is the reporter, unless the operator typed a name
    name = data["reporter_name"].strip()
    if not name and caller is not None and data.get("household"):
        name = next((r.name for r in caller.residents if r.household_id == data["household"]), "")
    return services.Intake(
        matter=data["matter"],
        channel=data["channel"],
        description=data["description"],
        household=data.get("household"),
        area=data.get("area"),
        address=data["address"],
        reporter_name=name,
        reporter_phone=_phone(form.data),
        answer=answer,
        attributes=attribute_answers(form.data) or None,
        extra=suggest_service.shown_extra(form.data.get("suggested")),
    )


def questions_of(matter: Matter | None, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The matter's extra questions for the form, each with the answer already given."""
    if matter is None:
        return []
    answers = attribute_answers(data)
    return [
        {
            "code": q.get("code", ""),
            "label": q.get("description") or q.get("code", ""),
            "required": bool(q.get("required")),
            "values": [
                {"key": str(v.get("key")), "name": v.get("name")} for v in q.get("values", [])
            ],
            "answer": answers.get(str(q.get("code", "")), ""),
        }
        for q in matter.attributes
    ]


def _save(
    request: HttpRequest, form: DeskForm, op: str, caller: Caller | None
) -> HttpResponse | DomainError:
    """Register the call: a redirect to the new (or replayed) case, or the refusal to show."""
    actor = actor_of(request)
    try:
        case, created = services.case_intake(
            actor=actor,
            intake=_intake(form, op, caller),
            idempotency_key=form.cleaned_data["idem"],
        )
    except DomainError as exc:
        if not shown(exc):
            raise
        name = exc.detail.get("field", "")
        if exc.status == 400 and name in form.fields:
            form.add_error(name, str(exc.message))
        return reused(exc)
    if created:
        messages.success(request, _("已登记诉求，编号 %(n)s") % {"n": case.number})
    else:
        messages.info(request, _("该诉求已登记过（编号 %(n)s），没有重复登记") % {"n": case.number})
    return redirect("cases:case", pk=case.pk)


def reused(exc: DomainError) -> DomainError:
    """A reused form key said in the desk's words (the API's message names the header)."""
    if isinstance(exc, IdempotencyMismatch):
        return IdempotencyMismatch(
            exc.code, _("这张表单已登记过一件诉求；要登记新的诉求，请先刷新页面")
        )
    return exc


def _context(actor: User, form: DeskForm, caller: Caller | None, error: str) -> dict[str, Any]:
    scope = scope_for(actor)
    chosen = form.data.get("matter", "") if form.is_bound else ""
    place_q = str(form.data.get("place_q", "")).strip() if form.is_bound else ""
    area = str(form.data.get("area", "")) if form.is_bound else ""
    if caller is not None and form.is_bound:
        caller.pick(form.data.get("household"))
    return {
        "form": form,
        "caller": caller,
        "error": error,
        "can_place": scope.has(Perm.VIEW_AREAS),
        "place_q": place_q,
        "place_groups": places.grid_search(actor=actor, q=place_q, chosen=params.id_or_none(area))
        if scope.has(Perm.VIEW_AREAS)
        else [],
        "chosen_area": area,
        "reporter_name": (form.data.get("reporter_name", "") if form.is_bound else "")
        or (caller.name if caller is not None else ""),
        "chosen": selectors.matter_list().filter(code=chosen) if chosen else [],
        "questions": questions_of(
            selectors.matter_list().filter(code=chosen).first() if chosen else None, form.data
        ),
        "all_matters": selectors.matter_list(),
        "can_lookup": scope.has(Perm.VIEW_PEOPLE),
        "idem": (form.data.get("idem") if form.is_bound else "") or uuid.uuid4().hex,
    }


@login_required
@require_http_methods(["GET", "POST"])
def desk(request: HttpRequest) -> HttpResponse:
    """The desk page; POST looks the caller up (op=lookup) or registers the call."""
    actor = actor_of(request)
    scope_for(actor).require(Perm.CREATE_CASES)
    if request.method != "POST":
        return render(request, "cases/desk.html", _context(actor, DeskForm(), None, ""))
    form = DeskForm(request.POST)
    op = request.POST.get("op", "save")
    phone = _phone(request.POST)
    caller = None
    if scope_for(actor).has(Perm.VIEW_PEOPLE) and (phone or op == "lookup"):
        if op == "lookup" and phone:
            admit_lookup(actor, phone)
        caller = caller_lookup(actor, phone) if phone else Caller(error=_("请输入来电号码"))
    if op in ("lookup", "places"):
        form.errors.clear()  # a lookup is not a submission: nothing is checked yet
        return render(request, "cases/desk.html", _context(actor, form, caller, ""))
    error, status = _("请检查填写的内容"), 400
    if form.is_valid():
        outcome = _save(request, form, op, caller)
        if isinstance(outcome, HttpResponse):
            return outcome
        error, status = str(outcome.message), outcome.status
    return render(request, "cases/desk.html", _context(actor, form, caller, error), status=status)


@login_required
@require_POST
def desk_lookup(request: HttpRequest) -> HttpResponse:
    """htmx fragment: the caller panel for the POSTed phone."""
    actor = actor_of(request)
    scope_for(actor).require(Perm.CREATE_CASES)
    phone = _phone(request.POST)
    if phone:
        admit_lookup(actor, phone)
    caller = caller_lookup(actor, phone) if phone else Caller(error=_("请输入来电号码"))
    return render(request, "cases/_caller.html", {"caller": caller})


def patrol_q() -> Q:
    """Matters a grid worker reports from patrol: community-level ones and those checked on site."""
    return Q(level="community") | Q(needs_site_check=True)


@login_required
@require_GET
def desk_matters(request: HttpRequest) -> HttpResponse:
    """htmx fragment: matters matching a name, keyword, code or pinyin initials (`?q=`)."""
    q = request.GET.get("q", "").strip()
    patrol = bool(request.GET.get("patrol"))
    qs: Any = selectors.matter_list(q=q or None)
    if patrol:
        # in the patrol order (the worker's own recent matters, then the county's most reported)
        qs = selectors.patrol_matters(
            actor=actor_of(request), matters=qs.filter(patrol_q())
        ).matters
    elif not q:
        qs = Matter.objects.none()
    return render(
        request,
        "cases/_matters.html",
        {"matters": qs[:MATTER_HITS], "q": q, "chosen": request.GET.get("matter", "")},
    )


@login_required
@require_GET
def desk_route(request: HttpRequest) -> HttpResponse:
    """htmx fragment: where a case of this matter at this place would go (`routing.route`)."""
    actor = actor_of(request)
    code = request.GET.get("matter", "").strip()
    matter = selectors.matter_list().filter(code=code).first() if code else None
    area = None
    try:
        if request.GET.get("household"):
            area = people.household_get(actor=actor, pk=request.GET["household"]).area
        elif request.GET.get("area"):
            area = area_get(actor=actor, pk=request.GET["area"])
    except DomainError as exc:
        return render(request, "cases/_route.html", {"error": str(exc.message)})
    route = routing.route(matter, area) if matter is not None else None
    context = {"route": route, "matter": matter, "place_path": places.area_path(area)}
    return render(request, "cases/_route.html", context)


@login_required
@require_GET
def desk_questions(request: HttpRequest) -> HttpResponse:
    """htmx fragment: the chosen matter's extra questions (`Matter.attributes`) as inputs."""
    code = request.GET.get("matter", "").strip()
    matter = selectors.matter_list().filter(code=code).first() if code else None
    context = {"questions": questions_of(matter, request.GET)}
    return render(request, "cases/_questions.html", context)


@login_required
@require_GET
def desk_places(request: HttpRequest) -> HttpResponse:
    """htmx fragment: micro grids in scope matching `place_q` (grid, community or township
    name), grouped by township › community; the `area` already chosen stays offered."""
    actor = actor_of(request)
    scope_for(actor).require(Perm.VIEW_AREAS)
    area = request.GET.get("area", "")
    groups = places.grid_search(
        actor=actor,
        q=request.GET.get("place_q", "").strip(),
        chosen=params.id_or_none(area),
    )
    context = {"place_groups": groups, "chosen_area": area, "place_q": request.GET.get("place_q")}
    return render(request, "cases/_places.html", context)


@login_required
@require_GET
def desk_articles(request: HttpRequest) -> HttpResponse:
    """htmx fragment: knowledge-base articles of the chosen matter, or by title/pinyin (`kq`)."""
    code = request.GET.get("matter", "").strip()
    text = request.GET.get("kq", "").strip()
    articles = selectors.article_list(matter=code or None, q=text or None)
    return render(request, "cases/_articles.html", {"articles": articles[:ARTICLE_HITS]})
