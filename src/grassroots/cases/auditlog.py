"""What the cases app's audit rows mean, for people; and its workflow events as part of the log.

Case actions are recorded in the case's own immutable event table (`CaseEvent`), not in the hash
chain; `SOURCE` lets the auditor search them beside the chain, read-only, as ``case.<action>``.
The auditor sees who did what to which case, when, and the state and unit it moved between —
not the case's content or notes, which stay with those who handle the case. See core/auditlog.py.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.translation import gettext_lazy as _

from grassroots.cases.choices import Action, State
from grassroots.cases.models import CaseEvent
from grassroots.core import params
from grassroots.core.audit import ActionGroup
from grassroots.core.audit_log import AuditFilter, Entry, as_columns, text
from grassroots.core.errors import NotFound

PREFIX = "case."
WORKFLOW = {f"{PREFIX}{a.value}": a.label for a in Action}


class CaseAuditAction(StrEnum):
    """The audit-chain actions the cases app writes (workflow actions are `CaseEvent`s, above)."""

    ATTACH = "case.attach"
    # written by the people app's reveal, as `<object_type>.reveal` with object type "case"
    REVEAL = "case.reveal"
    MATTER_DEFINE = "matter.define"
    ARTICLE_DEFINE = "article.define"
    CALENDAR_SET = "calendar.set"
    CALENDAR_YEAR = "calendar.year"


GROUPS = [
    ActionGroup(
        "cases",
        _("诉求办理"),
        {
            **WORKFLOW,
            CaseAuditAction.ATTACH: _("上传诉求附件"),
            CaseAuditAction.REVEAL: _("查看诉求人完整电话"),
        },
    ),
    ActionGroup(
        "catalogue",
        _("事项与工作日历配置"),
        {
            CaseAuditAction.MATTER_DEFINE: _("配置职能事项"),
            CaseAuditAction.ARTICLE_DEFINE: _("编辑知识库文章"),
            CaseAuditAction.CALENDAR_SET: _("调整工作日历"),
            CaseAuditAction.CALENDAR_YEAR: _("设置全年工作日历"),
        },
    ),
]
OBJECTS = {
    "case": _("诉求"),
    "matter": _("职能事项"),
    "article": _("知识库文章"),
    "calendar_day": _("日历日"),
    "year": _("年度"),
}
FIELDS = {"attachment": _("附件"), "event": _("办理记录")}


class CaseEventSource:
    """The case workflow's events (`CaseEvent`), read as audit entries of kind ``case``."""

    kind = "case"

    def rows(self, f: AuditFilter) -> QuerySet[Any] | None:
        qs = CaseEvent.objects.all()
        if f.actions is not None:
            wanted = sorted(a.removeprefix(PREFIX) for a in f.actions if a in WORKFLOW)
            if not wanted:
                return None
            qs = qs.filter(action__in=wanted)
        if (f.object_type and f.object_type != "case") or (f.result and f.result != "ok"):
            return None
        if f.object_id:
            case_id = params.id_or_none(f.object_id)
            by_id = Q(case_id=case_id) if case_id else Q(pk__in=[])
            qs = qs.filter(by_id | Q(case__number=f.object_id))
        return as_columns(
            f.common(qs),
            kind=text(self.kind),
            id=F("pk"),
            at=F("at"),
            actor=F("actor_id"),
            actor_name=F("actor_name"),
            action=Concat(text(PREFIX), F("action"), output_field=CharField()),
            object_type=text("case"),
            object_id=Cast("case_id", output_field=CharField()),
            object_label=Coalesce(F("case__number"), Value(""), output_field=CharField()),
            result=text("ok"),
        )

    def entry(self, pk: int) -> Entry:
        event = (
            CaseEvent.objects.select_related("case", "from_unit", "to_unit")
            .only(
                "pk",
                "at",
                "actor_id",
                "actor_name",
                "action",
                "from_state",
                "to_state",
                "case__id",
                "case__number",
                "from_unit__name",
                "to_unit__name",
            )
            .filter(pk=pk)
            .first()
        )
        if event is None:
            raise NotFound("case_event")
        entry = Entry(
            self.kind,
            event.pk,
            event.at,
            event.actor_id,
            event.actor_name,
            f"{PREFIX}{event.action}",
            "case",
            str(event.case_id),
            event.case.number or "",
            "ok",
        )
        states = dict(State.choices)
        if event.from_state or event.to_state:
            entry.changes.append(
                (
                    str(_("状态")),
                    states.get(event.from_state, "–"),
                    states.get(event.to_state, "–"),
                )
            )
        if event.from_unit_id != event.to_unit_id or event.to_unit_id:
            entry.changes.append(
                (
                    str(_("承办单位")),
                    event.from_unit.name if event.from_unit else "–",
                    event.to_unit.name if event.to_unit else "–",
                )
            )
        return entry


SOURCE = CaseEventSource()
