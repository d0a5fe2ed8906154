"""Pages of ledgers in and out: upload, progress, preview and confirm, result, downloads.

Views parse the request, authorise through `areas.scope` and the selectors, and call
`people.ledger`; they write nothing themselves. Downloads are attachments that are never cached.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.areas.choices import Level
from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.areas.selectors import area_get
from grassroots.core.actors import actor_of
from grassroots.core.audit import audit_record
from grassroots.core.errors import Conflict, Forbidden, NotFound
from grassroots.core.i18n import translate_stored
from grassroots.core.roles import Perm
from grassroots.people.auditlog import PeopleAuditAction
from grassroots.people.choices import ResidentStatus
from grassroots.people.ledger import export, jobs
from grassroots.people.ledger.layout import LedgerFileError
from grassroots.people.ledger.reader import max_import_bytes
from grassroots.people.ledger.template import template_bytes
from grassroots.people.models_ledger import ImportMode, ImportStatus
from grassroots.people.selectors import ResidentFilters

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TOP_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.COMMUNITY, Level.VILLAGE, Level.GRID1)


def _no_store(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


def _areas(actor: Any, perm: str) -> QuerySet[Area]:
    """Areas above the micro grids where `perm` is held: the choices of an import or export."""
    scope = scope_for(actor)
    return Area.objects.filter(scope.area_q(perm), level__in=_TOP_LEVELS).order_by("code")[:500]


@login_required
@require_http_methods(["GET", "POST"])
def ledger_home(request: HttpRequest) -> HttpResponse:
    """The upload form, the template and export downloads, and the actor's recent imports."""
    actor = actor_of(request)
    scope = scope_for(actor)
    can_import, can_view = scope.has(Perm.IMPORT_PEOPLE), scope.has(Perm.VIEW_PEOPLE)
    if not (can_import or can_view):
        raise Forbidden(Perm.VIEW_PEOPLE)
    error = None
    if request.method == "POST":
        scope.require(Perm.IMPORT_PEOPLE)
        upload = request.FILES.get("file")
        within = request.POST.get("within") or None
        if upload is None:
            error = _("请选择要导入的文件")
        else:
            try:
                job = jobs.job_create(
                    actor=actor,
                    upload=upload,
                    filename=upload.name or "",
                    mode=request.POST.get("mode", ImportMode.ALL_OR_NOTHING),
                    within=area_get(actor=actor, pk=within) if within else None,
                    source=request.META.get("REMOTE_ADDR", ""),
                )
            except LedgerFileError as exc:
                error = str(exc.message)
            else:
                jobs.job_start(job)
                return redirect("ledger:job", pk=job.pk)
    context = {
        "can_import": can_import,
        "can_view": can_view,
        "can_unmask": scope.has(Perm.EXPORT_UNMASKED),
        "import_areas": _areas(actor, Perm.IMPORT_PEOPLE) if can_import else [],
        "export_areas": _areas(actor, Perm.VIEW_PEOPLE) if can_view else [],
        "modes": ImportMode.choices,
        "statuses": ResidentStatus.choices,
        "max_mb": f"{max_import_bytes() / (1024 * 1024):g}",
        "jobs": jobs.job_list(actor=actor),
        "error": error,
    }
    return render(request, "people/ledger/home.html", context, status=400 if error else 200)


@login_required
@require_GET
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One import: its progress while it runs, then its preview, result or problems."""
    job = jobs.job_get(actor=actor_of(request), pk=pk)
    progress = jobs.job_progress(job)
    # Stored in Chinese by the background job; shown in the reader's language (not saved).
    job.message = translate_stored(job.message)
    job.problems = [{**p, "message": translate_stored(p.get("message", ""))} for p in job.problems]
    return render(
        request,
        "people/ledger/job.html",
        {"job": job, "progress": progress, "Status": ImportStatus},
    )


@login_required
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The progress fragment htmx polls every second; once the job stops, the page reloads."""
    job = jobs.job_get(actor=actor_of(request), pk=pk)
    progress = jobs.job_progress(job)
    response = render(request, "people/ledger/progress.html", {"job": job, "progress": progress})
    if not progress["running"]:
        response["HX-Refresh"] = "true"
    return _no_store(response)


@login_required
@require_POST
def job_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the preview shown (its digest comes with the form) and queue the write."""
    job = jobs.job_get(actor=actor_of(request), pk=pk)
    try:
        job = jobs.job_confirm(
            actor=actor_of(request), job=job, digest=request.POST.get("digest", "")
        )
    except Conflict as exc:
        messages.error(request, str(exc.message))
    else:
        jobs.job_enqueue_apply(job)
    return redirect("ledger:job", pk=job.pk)


@login_required
@require_POST
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Drop a job waiting for confirmation; nothing is written."""
    job = jobs.job_get(actor=actor_of(request), pk=pk)
    jobs.job_cancel(actor=actor_of(request), job=job)
    return redirect("ledger:job", pk=job.pk)


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Run an interrupted import again from its kept upload; to the new job's page."""
    job = jobs.job_get(actor=actor_of(request), pk=pk)
    try:
        job = jobs.job_retry(actor=actor_of(request), job=job)
    except Conflict as exc:
        messages.error(request, str(exc.message))
    return redirect("ledger:job", pk=job.pk)


@login_required
@require_GET
def job_report(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The error report of one of the actor's imports (audited: it holds the uploaded rows)."""
    job = jobs.job_get(actor=actor_of(request), pk=pk)
    path = Path(settings.MEDIA_ROOT) / job.report_path if job.report_path else None
    if path is None or not path.is_file():
        raise NotFound("import_report")
    audit_record(
        actor=actor_of(request),
        action=PeopleAuditAction.IMPORT_REPORT,
        object_type="import_job",
        object_id=job.pk,
    )
    name = f"错误报告-{Path(job.filename).stem}.xlsx"
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=XLSX)
    return _no_store(response)


@login_required
@require_GET
def template_download(request: HttpRequest) -> HttpResponseBase:
    """The import template (说明, 户, 人)."""
    return FileResponse(
        io.BytesIO(template_bytes()),
        as_attachment=True,
        filename="台账导入模板.xlsx",
        content_type=XLSX,
    )


@login_required
@require_http_methods(["GET", "POST"])
def export_residents(request: HttpRequest) -> HttpResponseBase:
    """The resident list as .xlsx, with the list's filters (``within tag q status household``).

    A searched ID number or phone, and an unmasked export (``unmasked=1`` with ``purpose``), are
    accepted by POST only, so full numbers never appear in a URL.
    """
    data = request.POST if request.method == "POST" else request.GET
    filters = ResidentFilters(
        within=data.get("within") or None,
        tag=data.get("tag") or None,
        q=data.get("q") or None,
        status=data.get("status", ResidentStatus.ACTIVE) or None,
        household=data.get("household") or None,
    )
    unmasked = False
    if request.method == "POST":
        filters.id_number = data.get("id_number") or None
        filters.phone = data.get("phone") or None
        unmasked = data.get("unmasked") == "1"
    result = export.residents_export(
        actor=actor_of(request),
        filters=filters,
        unmasked=unmasked,
        purpose=data.get("purpose", ""),
    )
    response = FileResponse(
        result.handle, as_attachment=True, filename=result.filename, content_type=XLSX
    )
    return _no_store(response)


@login_required
@require_GET
def export_households(request: HttpRequest) -> HttpResponseBase:
    """The household list as .xlsx, with the list's filters (``within q tag``)."""
    g = request.GET
    result = export.households_export(
        actor=actor_of(request),
        within=g.get("within") or None,
        q=g.get("q") or None,
        tag=g.get("tag") or None,
    )
    response = FileResponse(
        result.handle, as_attachment=True, filename=result.filename, content_type=XLSX
    )
    return _no_store(response)
