"""The case page: details, the timeline, and a form for each action the viewer may take now.

Every form POSTs to the case's own URL and goes through `workflow.case_apply` (with photos,
through `attachments.case_apply_with_files`). A conflict (409) or a missing value (400) is shown
on the page with the case as it now is; a success redirects back (post/redirect/get).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.areas.scope import scope_for
from grassroots.cases import attachments, places, selectors, services, workflow
from grassroots.cases.choices import Action, Satisfaction, State
from grassroots.cases.errors import CaseError
from grassroots.cases.errors import CaseErrorCode as E
from grassroots.cases.forms import ACCEPT, ActionForm
from grassroots.cases.models import Case, CaseEvent
from grassroots.cases.views import actor_of, shown
from grassroots.core.errors import DomainError
from grassroots.core.models import User
from grassroots.core.roles import Perm

# Actions whose form offers photos (evidence of the work, or of the site check).
WITH_PHOTOS = frozenset({Action.RESOLVE, Action.VERIFY, Action.NOTE})
# Button labels that say more than the action's name.
BUTTON_LABELS: dict[str, Any] = {
    Action.ANSWER: gettext_lazy("即时解答并结案"),
    Action.NOTE: gettext_lazy("添加备注"),
}


def _details(actor: User, case: Case, form: ActionForm) -> dict[str, Any]:
    """What `case_apply` needs beyond the note, from a valid form (400 for a bad case number)."""
    data = form.cleaned_data
    action = data["action"]
    details: dict[str, Any] = {}
    if action == Action.REVIEW:
        details["satisfaction"] = data["satisfaction"]
    if action in (Action.DISPATCH, Action.ASSIST) and data.get("unit") is not None:
        details["unit"] = data["unit"]
    if action == Action.MERGE:
        into = selectors.cases_visible(actor=actor).filter(number=data["into"]).first()
        if into is None:
            raise CaseError(
                E.INVALID_VALUE,
                _("未找到编号为 %(n)s 的诉求") % {"n": data["into"]},
                field="into",
            )
        details["into"] = into
    if action in (Action.ANSWER, Action.REJECT):
        details["public_note"] = data["note"]
    return details


def _apply(actor: User, case: Case, form: ActionForm) -> Case:
    data = form.cleaned_data
    updated, _event = attachments.case_apply_with_files(
        case_id=case.pk,
        action=data["action"],
        actor=actor,
        note=data["note"],
        files=data["photos"] if data["action"] in WITH_PHOTOS else (),
        **_details(actor, case, form),
    )
    return updated


def _forms(actor: User, case: Case, bound: ActionForm | None) -> list[dict[str, Any]]:
    """One entry per allowed action, with the bound form's errors on the one just tried."""
    rows = []
    for action in workflow.allowed_actions(actor, case):
        errors = None
        if bound is not None and bound.data.get("action") == action:
            errors = bound.errors
        rows.append(
            {
                "action": action,
                "label": BUTTON_LABELS.get(action, Action(action).label),
                "reason": action in workflow.REASON_REQUIRED,
                "note": action in workflow.NOTE_REQUIRED,
                "photos": action in WITH_PHOTOS,
                "errors": errors,
            }
        )
    return rows


def resolution_note(events: list[CaseEvent]) -> str:
    """The handling note of the latest 办结 (what the review operator reads back at 回访)."""
    return next((e.note for e in reversed(events) if e.action == Action.RESOLVE), "")


def _render(
    request: HttpRequest,
    case: Case,
    *,
    bound: ActionForm | None = None,
    error: str = "",
    status: int = 200,
    revealed: str | None = None,
) -> HttpResponse:
    actor = actor_of(request)
    scope = scope_for(actor)
    events = list(selectors.case_events(case=case).prefetch_related("attachments"))
    forms = _forms(actor, case, bound)
    dispatching = any(f["action"] in (Action.DISPATCH, Action.ASSIST) for f in forms)
    household_link = (
        case.household_id is not None
        and case.area is not None
        and scope.covers_area(Perm.VIEW_PEOPLE, case.area)
    )
    context = {
        "case": case,
        "events": events,
        "forms": forms,
        "error": error,
        "place_path": places.area_path(case.area),
        "resolution_note": resolution_note(events),
        "can_reveal": bool(case.reporter_phone_enc) and workflow.may_reveal_reporter(actor, case),
        "revealed": revealed,
        "unit_groups": places.unit_groups(list(places.units_in_reach(scope)))
        if dispatching
        else [],
        "satisfactions": Satisfaction.choices,
        "accept": ACCEPT,
        "household_link": household_link,
        "merged": case.merged_cases.only("pk", "number"),
        "assists": case.assists.select_related("unit"),
        "duplicates": selectors.duplicate_candidates(actor=actor, case=case)[:5]
        if case.state != State.CLOSED
        else [],
    }
    response = render(request, "cases/case.html", context, status=status)
    if revealed is not None:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The case in the viewer's scope (404 otherwise); POST applies one action."""
    actor = actor_of(request)
    case = selectors.case_get(actor=actor, pk=pk)
    if request.method != "POST":
        return _render(request, case)
    form = ActionForm(request.POST, request.FILES, case=case)
    if not form.is_valid():
        return _render(request, case, bound=form, error=_("请检查填写的内容"), status=400)
    try:
        updated = _apply(actor, case, form)
    except DomainError as exc:
        if not shown(exc):
            raise
        fresh = selectors.case_get(actor=actor, pk=pk)
        return _render(request, fresh, bound=form, error=str(exc.message), status=exc.status)
    label = Action(form.cleaned_data["action"]).label
    messages.success(
        request,
        _("操作成功：%(a)s，诉求 %(n)s 现为“%(s)s”")
        % {"a": label, "n": updated.number, "s": updated.get_state_display()},
    )
    return redirect("cases:case", pk=case.pk)


@login_required
@require_POST
def case_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The case page with the reporter's full phone, for its handler or its review operator
    (`services.case_reveal_reporter`: audited, purpose = the case number); never cached."""
    actor = actor_of(request)
    phone = services.case_reveal_reporter(actor=actor, pk=pk)
    return _render(request, selectors.case_get(actor=actor, pk=pk), revealed=phone)


@login_required
@require_GET
def case_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The work order (工单) to print: number, matter, place, masked reporter, description, and
    the timeline; the same scope as the case page."""
    case = selectors.case_get(actor=actor_of(request), pk=pk)
    events = list(selectors.case_events(case=case))
    context = {
        "case": case,
        "events": events,
        "place_path": places.area_path(case.area),
        "printed_at": timezone.now(),
    }
    return render(request, "cases/print.html", context)
