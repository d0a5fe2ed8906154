"""Writes of the reports app: templates, ledger exports, requests and their confirmations.

Each service checks permission and scope itself, runs in one transaction and writes one audit
row (`auditlog.ReportAuditAction`); none depends on a request being present.

- `template_save`: a definition the platform cannot fill is refused naming the field; nothing
  is saved. Built-in templates are not changed (a county saves a copy under its own code).
- `ledger_export`: the filled ledger as .xlsx, audited with the file's SHA-256.
- `request_issue`: county roles only (ISSUE_REPORTS granted over a whole county); one pending
  answer per target area — every township of the county by default, or the areas named (each
  in the issuer's scope).
- `answer_confirm`: the answering area's staff generate the ledger from records and confirm
  it; the file, its SHA-256, who and when are kept. Once confirmed an answer is not changed
  (409), so the issuer sees what was confirmed.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.choices import Level
from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.areas.selectors import area_get
from grassroots.core.audit import audit_record
from grassroots.core.errors import NotFound
from grassroots.core.models import User
from grassroots.core.roles import ROLE_PERMS, Perm
from grassroots.reports.auditlog import ReportAuditAction as A
from grassroots.reports.choices import AnswerState
from grassroots.reports.definition import definition_parse
from grassroots.reports.errors import ReportConflict, ReportError
from grassroots.reports.errors import ReportErrorCode as E
from grassroots.reports.fill import Filled, ledger_fill
from grassroots.reports.models import LedgerTemplate, ReportAnswer, ReportRequest
from grassroots.reports.periods import period_parse
from grassroots.reports.xlsx import ledger_xlsx


def _code(value: str) -> str:
    code = (value or "").strip()
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{1,59}", code):
        raise ReportError(
            E.INVALID_VALUE, _("代码只能由小写字母、数字、- 和 _ 组成（2–60 位）"), field="code"
        )
    return code


def template_save(
    *,
    actor: User,
    code: str,
    name: str,
    definition: Any,
    issuer: str = "",
    description: str = "",
) -> LedgerTemplate:
    """Create or change the county's template `code` (see the module docstring)."""
    scope_for(actor).require(Perm.MANAGE_REPORT_TEMPLATES)
    code = _code(code)
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ReportError(E.INVALID_VALUE, _("名称不能为空且不超过 120 字"), field="name")
    definition_parse(definition)
    with transaction.atomic():
        template = LedgerTemplate.objects.select_for_update().filter(code=code).first()
        if template is not None and template.builtin:
            raise ReportError(
                E.INVALID_VALUE, _("平台预置模板不能修改，请以新代码另存"), field="code"
            )
        before = template.definition if template is not None else None
        if template is None:
            template = LedgerTemplate(code=code)
        template.name, template.issuer, template.description = name, issuer, description
        template.definition, template.updated_by = definition, actor
        template.save()
        audit_record(
            actor=actor,
            action=A.TEMPLATE_SAVE,
            object_type="report_template",
            object_id=template.pk,
            changes={"code": code, "definition": {"before": before, "after": definition}},
        )
    return template


def template_fill(
    *, actor: User, template: LedgerTemplate, area_pk: Any, period: str | None
) -> Filled:
    """`template` filled for an area in the actor's scope (404 outside it) and a period."""
    scope_for(actor).require(Perm.VIEW_REPORTS)
    return ledger_fill(
        actor=actor,
        definition=definition_parse(template.definition),
        area_pk=area_pk,
        period=period,
    )


def _file_name(filled: Filled) -> str:
    key = filled.period.key or f"{timezone.localdate():%Y%m%d}"
    return f"{filled.definition.title}-{filled.area.name}-{key}.xlsx"


def ledger_export(
    *, actor: User, template: LedgerTemplate, area_pk: Any, period: str | None
) -> tuple[bytes, str, Filled]:
    """The filled ledger's .xlsx bytes and file name; audited with the file's SHA-256."""
    filled = template_fill(actor=actor, template=template, area_pk=area_pk, period=period)
    content = ledger_xlsx(filled)
    audit_record(
        actor=actor,
        action=A.LEDGER_EXPORT,
        object_type="report_template",
        object_id=template.pk,
        changes={
            "area": filled.area.pk,
            "period": filled.period.key,
            "rows": len(filled.rows),
            "sha256": hashlib.sha256(content).hexdigest(),
        },
    )
    return content, _file_name(filled), filled


def _targets(actor: User, county: Area, areas: list[int] | None) -> list[Area]:
    scope = scope_for(actor)
    if not areas:
        return list(Area.objects.filter(county=county.pk, level=Level.TOWNSHIP).order_by("code"))
    out: list[Area] = []
    for i, pk in enumerate(dict.fromkeys(areas)):
        try:
            area = area_get(actor=actor, pk=pk)
        except NotFound:
            raise ReportError(
                E.INVALID_TARGET, _("第 %(n)s 个区域不在本县范围内") % {"n": i + 1}, field="areas"
            ) from None
        if not scope.covers_area(Perm.ISSUE_REPORTS, area) or area.level == Level.COUNTY:
            raise ReportError(
                E.INVALID_TARGET,
                _("第 %(n)s 个区域不能作为报送对象") % {"n": i + 1},
                field="areas",
            )
        out.append(area)
    return out


def request_issue(
    *,
    actor: User,
    template: LedgerTemplate,
    period: str | None,
    title: str = "",
    note: str = "",
    due_on: datetime.date | None = None,
    areas: list[int] | None = None,
) -> ReportRequest:
    """Issue `template` for `period` to every township of the issuer's county, or to `areas`."""
    scope = scope_for(actor)
    scope.require(Perm.ISSUE_REPORTS)
    counties = [
        g.area_id
        for g in scope.grants
        if g.area_id is not None
        and g.area_column == "county"
        and Perm.ISSUE_REPORTS in _perms(g.role)
    ]
    if not counties:
        raise ReportError(E.INVALID_TARGET, _("只有县级岗位可以下发报表"), field="areas")
    county = Area.objects.get(pk=counties[0])
    when = period_parse(template.period_kind, period)
    targets = _targets(actor, county, areas)
    if not targets:
        raise ReportError(E.INVALID_TARGET, _("没有可报送的区域"), field="areas")
    title = (title or "").strip()[:200] or f"{template.name}（{when.label()}）"
    with transaction.atomic():
        request = ReportRequest.objects.create(
            template=template,
            period=when.key,
            title=title,
            note=(note or "").strip(),
            due_on=due_on,
            issuer_area=county,
            issued_by=actor,
            issued_at=timezone.now(),
        )
        ReportAnswer.objects.bulk_create(ReportAnswer(request=request, area=a) for a in targets)
        audit_record(
            actor=actor,
            action=A.REQUEST_ISSUE,
            object_type="report_request",
            object_id=request.pk,
            changes={
                "template": template.code,
                "period": when.key,
                "areas": [a.pk for a in targets],
            },
        )
    return request


def _perms(role: str) -> frozenset[str]:
    return ROLE_PERMS.get(role, frozenset())


def answer_confirm(*, actor: User, answer_pk: Any) -> ReportAnswer:
    """Generate the answer's ledger from records as `actor` and confirm it (module docstring).

    404 unless CONFIRM_REPORTS is granted over the answer's area; 409 when already confirmed.
    """
    scope = scope_for(actor)
    scope.require(Perm.CONFIRM_REPORTS)
    with transaction.atomic():
        answer = (
            ReportAnswer.objects.select_for_update()
            .filter(pk=answer_pk if isinstance(answer_pk, int) else _int(answer_pk))
            .first()
        )
        if answer is None:
            raise NotFound("report_answer")
        area = Area.objects.get(pk=answer.area_id)
        if not scope.covers_area(Perm.CONFIRM_REPORTS, area):
            raise NotFound("report_answer")
        if answer.state == AnswerState.CONFIRMED:
            raise ReportConflict(E.ALREADY_CONFIRMED, _("该报表已确认上报"), field="state")
        request = ReportRequest.objects.select_related("template").get(pk=answer.request_id)
        content, _name, filled = ledger_export(
            actor=actor, template=request.template, area_pk=area.pk, period=request.period
        )
        answer.state = AnswerState.CONFIRMED
        answer.confirmed_by, answer.confirmed_at = actor, timezone.now()
        answer.rows, answer.content = len(filled.rows), content
        answer.sha256 = hashlib.sha256(content).hexdigest()
        answer.save()
        audit_record(
            actor=actor,
            action=A.ANSWER_CONFIRM,
            object_type="report_answer",
            object_id=answer.pk,
            changes={
                "request": request.pk,
                "area": area.pk,
                "rows": answer.rows,
                "sha256": answer.sha256,
            },
        )
    return answer


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound("report_answer") from None
