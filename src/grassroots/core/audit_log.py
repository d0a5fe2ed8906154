"""The auditor's reading of the audit log: filters, one time-ordered list, one entry in detail.

The list is the hash-chained `AuditEvent` rows and, through the apps' audit sources (see
`core.audit.audit_catalogue`), their own event tables — the case workflow's events — in one
union ordered by time. Reading it takes a constant number of queries whatever the page holds.
It is read-only; only the auditor (`Perm.VIEW_AUDIT`) reads it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from django import forms
from django.db.models import CharField, F, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core.audit import audit_catalogue
from grassroots.core.errors import NotFound
from grassroots.core.models import AuditEvent, User
from grassroots.core.perms import require_perm
from grassroots.core.roles import Perm

# The columns every source gives, in this order (a SQL union matches columns by position).
COLUMNS = (
    "r_kind",
    "r_id",
    "r_at",
    "r_actor",
    "r_actor_name",
    "r_action",
    "r_object_type",
    "r_object_id",
    "r_object_label",
    "r_result",
)
LOG = "log"  # the kind of the hash-chained rows


def text(value: str) -> Value:
    return Value(value, output_field=CharField())


def as_columns(qs: QuerySet[Any], **exprs: Any) -> QuerySet[Any]:
    """`qs` as rows of COLUMNS; `exprs` gives an expression for each (without the ``r_``)."""
    named = {f"r_{k}": exprs[k] for k in (c[2:] for c in COLUMNS)}
    return qs.order_by().annotate(**named).values(*COLUMNS)


@dataclass(frozen=True)
class AuditFilter:
    """What the auditor asked for; `actions` None means any action."""

    who: str = ""
    actions: frozenset[str] | None = None
    object_type: str = ""
    object_id: str = ""
    result: str = ""
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None

    def common(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        """Who and when, for any table with `at`, `actor` and `actor_name`."""
        if self.who:
            people = User.objects.filter(
                Q(username__iexact=self.who) | Q(full_name__icontains=self.who)
            ).values("pk")
            qs = qs.filter(Q(actor_id__in=people) | Q(actor_name__iexact=self.who))
        if self.since is not None:
            qs = qs.filter(at__gte=self.since)
        if self.until is not None:
            qs = qs.filter(at__lt=self.until)
        return qs


@dataclass
class Entry:
    """One entry in detail: the common facts and the source's own lines (label, value)."""

    kind: str
    pk: int
    at: datetime.datetime
    actor_id: int | None
    actor_name: str
    action: str
    object_type: str
    object_id: str
    object_label: str
    result: str
    lines: list[tuple[str, Any]] = field(default_factory=list)
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)
    chain: tuple[str, str] | None = None


class AuditSource(Protocol):
    """An app's own event table read as part of the audit log."""

    kind: str

    def rows(self, f: AuditFilter) -> QuerySet[Any] | None:
        """Its rows as COLUMNS matching `f`, or None when none can match."""

    def entry(self, pk: int) -> Entry:
        """One row in detail; NotFound when missing."""


class ChainSource:
    """The hash-chained AuditEvent rows."""

    kind = LOG

    def rows(self, f: AuditFilter) -> QuerySet[Any] | None:
        qs = AuditEvent.objects.all()
        if f.actions is not None:
            qs = qs.filter(action__in=sorted(f.actions))
        if f.object_type:
            qs = qs.filter(object_type=f.object_type)
        if f.object_id:
            qs = qs.filter(object_id=f.object_id)
        if f.result:
            qs = qs.filter(result=f.result)
        return as_columns(
            f.common(qs),
            kind=text(LOG),
            id=F("pk"),
            at=F("at"),
            actor=F("actor_id"),
            actor_name=F("actor_name"),
            action=F("action"),
            object_type=F("object_type"),
            object_id=F("object_id"),
            object_label=text(""),
            result=F("result"),
        )

    def entry(self, pk: int) -> Entry:
        event = AuditEvent.objects.filter(pk=pk).first()
        if event is None:
            raise NotFound("audit_event")
        cat = audit_catalogue()
        entry = Entry(
            LOG,
            event.pk,
            event.at,
            event.actor_id,
            event.actor_name,
            event.action,
            event.object_type,
            event.object_id,
            "",
            event.result,
            chain=(event.prev_hash, event.hash),
        )
        entry.lines.append((str(_("来源")), event.source))
        changes = dict(event.changes or {})
        before, after = changes.pop("before", None), changes.pop("after", None)
        for key, value in changes.items():
            entry.lines.append((cat.field_label(key), _shown(cat, key, value)))
        if isinstance(before, dict) or isinstance(after, dict):
            b, a = before or {}, after or {}
            for key in [*b, *(k for k in a if k not in b)]:
                entry.changes.append(
                    (
                        cat.field_label(key),
                        _shown(cat, key, b.get(key)),
                        _shown(cat, key, a.get(key)),
                    )
                )
        return entry


def _shown(cat: Any, key: str, value: Any) -> Any:
    if isinstance(value, dict):
        return "；".join(f"{cat.field_label(k)}：{_shown(cat, k, v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(str(_shown(cat, key, v)) for v in value)
    if value is None:
        return "–"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return cat.value_label(key, value)


def sources() -> list[AuditSource]:
    return [ChainSource(), *audit_catalogue().sources]


class MergedRows:
    """The union of the sources' rows, newest first; counts by summing each source's count."""

    def __init__(self, parts: list[QuerySet[Any]]) -> None:
        self.parts = parts

    def count(self) -> int:
        return sum(p.count() for p in self.parts)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        if not self.parts:
            return []
        first, *rest = self.parts
        union = first.union(*rest, all=True) if rest else first
        return list(union.order_by("-r_at", "-r_kind", "-r_id")[index])


def audit_rows(*, actor: User, f: AuditFilter) -> MergedRows:
    """Every source's rows matching `f`, newest first; 403 unless `actor` is the auditor."""
    require_perm(actor, Perm.VIEW_AUDIT)
    parts = [qs for s in sources() if (qs := s.rows(f)) is not None]
    return MergedRows(parts)


def audit_entry(*, actor: User, kind: str, pk: int) -> Entry:
    """One entry of any source in detail; 403 unless auditor, NotFound when missing."""
    require_perm(actor, Perm.VIEW_AUDIT)
    for source in sources():
        if source.kind == kind:
            return source.entry(pk)
    raise NotFound("audit_event")


@dataclass(frozen=True)
class Actor:
    """Who acted, as people read it: name, login and the posts held on the day."""

    name: str
    login: str
    posts: list[str]


ActorKey = tuple[int | None, str, datetime.date]


def actor_key(actor_id: int | None, actor_name: str, at: datetime.datetime) -> ActorKey:
    """Who acted on which day: the posts shown are those held that day."""
    return (actor_id, actor_name, timezone.localtime(at).date())


def describe_actors(keys: set[ActorKey]) -> dict[ActorKey, Actor]:
    """Names and the posts held on the day, for every key, in two queries whatever their number."""
    ids = {actor_id for actor_id, _n, _d in keys if actor_id is not None}
    users = {u.pk: u for u in User.objects.filter(pk__in=ids).only("pk", "username", "full_name")}
    hook = audit_catalogue().actor_posts
    held = hook(ids) if hook is not None and ids else {}
    out: dict[ActorKey, Actor] = {}
    for key in keys:
        actor_id, login, day = key
        user = users.get(actor_id) if actor_id is not None else None
        if user is None:
            # A failed login names an account that may not exist; commands act as the system.
            system = login in ("", "system")  # the case workflow names itself "system"
            out[key] = Actor(str(_("系统")) if system else login, "" if system else login, [])
            continue
        posts = [
            label
            for label, start, end in held.get(user.pk, [])
            if start <= day and (end is None or end > day)
        ]
        out[key] = Actor(user.full_name or user.username, user.username, posts)
    return out


class AuditFilterForm(forms.Form):
    """The auditor's filters; an invalid one is named by its label."""

    who = forms.CharField(label=_("操作人"), max_length=150, required=False)
    group = forms.ChoiceField(label=_("类别"), required=False)
    action = forms.ChoiceField(label=_("操作"), required=False)
    object_type = forms.ChoiceField(label=_("对象类型"), required=False)
    object_id = forms.CharField(label=_("对象编号"), max_length=64, required=False)
    result = forms.ChoiceField(label=_("结果"), required=False)
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cat = audit_catalogue()
        everything: list[Any] = [("", _("全部"))]
        choices = {
            "group": everything + [(g.code, g.label) for g in cat.groups],
            "action": everything + [(g.label, list(g.actions.items())) for g in cat.groups],
            "object_type": everything + sorted(cat.objects.items()),
            "result": everything + list(cat.results.items()),
        }
        for name, options in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = options

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("截止日期不能早于起始日期"))
        return data

    def to_filter(self) -> AuditFilter:
        """The filter of a valid form."""
        data = self.cleaned_data
        cat = audit_catalogue()
        actions: set[str] | None = None
        if data.get("group"):
            actions = set(next(g for g in cat.groups if g.code == data["group"]).actions)
        if data.get("action"):
            actions = {data["action"]} & actions if actions is not None else {data["action"]}
        return AuditFilter(
            who=data.get("who", "").strip(),
            actions=frozenset(actions) if actions is not None else None,
            object_type=data.get("object_type") or "",
            object_id=(data.get("object_id") or "").strip(),
            result=data.get("result") or "",
            since=_start_of(data.get("date_from")),
            until=_start_of(data["date_to"] + datetime.timedelta(days=1))
            if data.get("date_to")
            else None,
        )


def _start_of(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
