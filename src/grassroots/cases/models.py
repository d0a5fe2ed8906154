"""Matters, the working calendar, cases and their immutable events (DESIGN §4).

`Case.state` is assigned only by `cases.workflow`; everything else about a case is written by
`cases.services`. Every change of a case is one `CaseEvent` row, never updated or deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area, AreaPath, Unit
from grassroots.cases.choices import Action, Channel, Closure, Level, LimitUnit, Satisfaction, State
from grassroots.people.models import Household, Resident


class Matter(models.Model):
    """A catalogued functional matter (职能事项): who handles it, at which level, how fast."""

    code = models.CharField(_("事项编码"), max_length=20, unique=True)
    name = models.CharField(_("事项名称"), max_length=100)
    category = models.CharField(_("类别"), max_length=40)
    keywords = models.CharField(_("关键词"), max_length=300, blank=True)
    # Pinyin initials of the name and keywords ("ldbl" for 路灯不亮) for quick search at the desk.
    pinyin = models.CharField(max_length=300, blank=True, editable=False)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="matters", verbose_name=_("责任单位")
    )
    level = models.CharField(_("承办层级"), max_length=12, choices=Level.choices)
    response_amount = models.FloatField(_("响应时限"))
    response_unit = models.CharField(_("响应时限单位"), max_length=16, choices=LimitUnit.choices)
    resolution_amount = models.FloatField(_("办结时限"))
    resolution_unit = models.CharField(_("办结时限单位"), max_length=16, choices=LimitUnit.choices)
    materials = models.JSONField(_("所需材料"), default=list, blank=True)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    public = models.BooleanField(_("对群众公开"), default=True)
    needs_site_check = models.BooleanField(_("需现场核查"), default=False)
    # Extra questions asked at intake (Open311 service attributes): a list of
    # {"code", "datatype", "required", "description", "values": [{"key", "name"}]}.
    attributes = models.JSONField(_("补充问题"), default=list, blank=True)
    escalate_when_overdue = models.BooleanField(_("超期自动提级"), default=True)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("职能事项")
        verbose_name_plural = _("职能事项")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Article(models.Model):
    """A knowledge-base article (知识库) for answering at the seat; owned by the matter's unit."""

    matter = models.ForeignKey(
        Matter, on_delete=models.CASCADE, related_name="articles", verbose_name=_("职能事项")
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("政策与答复口径"))
    materials = models.JSONField(_("所需材料"), default=list, blank=True)
    office = models.CharField(_("办理地点"), max_length=100, blank=True)
    hours = models.CharField(_("办理时间"), max_length=100, blank=True)
    fees = models.CharField(_("收费"), max_length=100, blank=True)
    owner = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="articles", verbose_name=_("维护单位")
    )
    review_on = models.DateField(_("复核日期"))
    pinyin = models.CharField(max_length=300, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("知识库文章")
        verbose_name_plural = _("知识库")
        ordering = ["matter", "id"]

    def __str__(self) -> str:
        return self.title


class CalendarDay(models.Model):
    """An admin's correction of one date: a working day or not (overrides the official data)."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("工作日"))
    note = models.CharField(_("说明"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'工作日' if self.is_workday else '休息日'}"


class OfficialYear(models.Model):
    """A year whose official holiday schedule an admin has entered as CalendarDay rows."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)

    class Meta:
        verbose_name = _("已录入的年度安排")
        verbose_name_plural = _("已录入的年度安排")

    def __str__(self) -> str:
        return str(self.year)


class CaseManager(models.Manager["Case"]):
    """Cases without their search `terms` column: it is only ever read by the search index,
    and it is the widest column of the table."""

    def get_queryset(self) -> models.QuerySet[Case]:
        return super().get_queryset().defer("terms")


class Case(AreaPath):
    """One resident request, complaint, report or found problem (诉求/事件), intake to closure.

    Exactly one owner at a time: `unit` (None while the case waits at the county hotline desk).
    The `AreaPath` columns copy `area`'s ancestors, so scope and subtree filters need no join.
    """

    number = models.CharField(_("编号"), max_length=24, unique=True, null=True, blank=True)
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("诉求内容"))
    # The two-character pieces of title and description, for the indexed search (cases.search).
    terms = models.TextField(blank=True, default="", editable=False)
    # No index of their own for matter, area and unit: each leads one of Meta.indexes (every
    # index is one more entry an intake writes).
    matter = models.ForeignKey(
        Matter,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("职能事项"),
        db_index=False,
    )
    channel = models.CharField(_("来源渠道"), max_length=12, choices=Channel.choices)
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.RECEIVED, editable=False
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("所在区域"),
        db_index=False,
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("承办单位"),
        db_index=False,
    )
    level = models.CharField(_("当前层级"), max_length=12, choices=Level.choices)
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    resident = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    reporter_name = models.CharField(_("诉求人"), max_length=60, blank=True)
    reporter_phone_enc = models.TextField(blank=True, editable=False)
    reporter_phone_index = models.CharField(max_length=32, blank=True)  # Meta.indexes: case_phone
    reporter_phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    address = models.CharField(_("地点"), max_length=200, blank=True)
    # The location matched no grid (or none was given): waits at the county desk, flagged.
    location_unmatched = models.BooleanField(_("位置未匹配网格"), default=False)
    created_at = models.DateTimeField(_("登记时间"), db_index=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the current limits started (dispatch, escalation or reopening).
    limit_started_at = models.DateTimeField(null=True, blank=True)
    response_due = models.DateTimeField(_("签收时限"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("办结时限"), null=True, blank=True, db_index=True)
    # Reminder steps already sent for the current limit: 50, 75, 100 (per cent).
    reminded = models.PositiveSmallIntegerField(default=0, editable=False)
    overdue = models.BooleanField(_("超期"), default=False)
    # Accepted within the response limit (the first acceptance counts).
    responded_on_time = models.BooleanField(null=True, editable=False)
    supervised = models.BooleanField(_("督办"), default=False)
    urge_count = models.PositiveSmallIntegerField(_("催办次数"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    escalation_count = models.PositiveSmallIntegerField(_("提级次数"), default=0)
    satisfaction = models.CharField(
        _("满意度"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    closure = models.CharField(_("结案方式"), max_length=12, choices=Closure.choices, blank=True)
    needs_site_check = models.BooleanField(default=False)
    site_checked = models.BooleanField(_("已现场核查"), default=False)
    # Answers to the matter's extra questions and what a client sent besides (Open311's
    # media_url, device_id, account_id); never shown through Open311.
    extra = models.JSONField(default=dict, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_cases"
    )
    # The unit that last returned the case (退回) while it waits at a desk again: its posts take
    # no desk action on it (it has left the returner's hands). Cleared by the next dispatch.
    returned_by = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseManager()

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["state", "resolution_due"], name="case_state_due"),
            models.Index(fields=["unit", "state", "resolution_due"], name="case_unit_state_due"),
            models.Index(fields=["area", "state"], name="case_area_state"),
            # The scoped lists: a county, township or community subtree, by state, soonest due.
            *[
                models.Index(fields=[col, "state", "resolution_due"], name=f"case_{col}_due")
                for col in ("county", "township", "community")
            ],
            models.Index(fields=["matter", "area", "created_at"], name="case_matter_area"),
            models.Index(fields=["overdue", "state"], name="case_overdue"),
            # Cases written since the last figures refresh: read live (figures.live).
            models.Index(fields=["updated_at"], name="case_updated"),
            # equality only: no `_like` twin as `db_index=True` would add on PostgreSQL
            models.Index(fields=["reporter_phone_index"], name="case_phone"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=State.CLOSED) | ~Q(closure=""), name="case_closed_has_closure"
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    def make_number(self) -> str:
        """The case's number: its registration date (Asia/Shanghai) and its id, 7 digits."""
        return f"{timezone.localtime(self.created_at):%Y%m%d}{self.pk:07d}"


class CaseAssist(models.Model):
    """A co-handling unit (协办) beside the owner (主办)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assists")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assisted_cases")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "unit"], name="assist_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}+{self.unit_id}"


class CaseEvent(models.Model):
    """One immutable change of a case: who, when, from, to, note, details."""

    # indexed by Meta's caseevent_case (case, id)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", db_index=False)
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    # The post the actor acted in, as it was then ("石楼小镇社区 社区书记"): history keeps it
    # even after the person changes posts.
    actor_post = models.CharField(max_length=200, blank=True, db_default="")
    action = models.CharField(_("操作"), max_length=12, choices=Action.choices)
    from_state = models.CharField(max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=State.choices, blank=True)
    from_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)
    # Visible to the reporter (Open311 status_notes) once the handler approves it.
    public_note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["case", "id"]
        indexes = [models.Index(fields=["case", "id"], name="caseevent_case")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"

    @property
    def actor_display(self) -> str:
        """Who acted, for people: "张三（石楼小镇社区 社区书记）"; the login name for events
        written before posts were recorded; "系统" for the system. Reads `actor` (select it)."""
        if self.actor_id is None:
            return str(_("系统"))
        name = (self.actor.full_name if self.actor is not None else "") or self.actor_name
        if not self.actor_post:
            return name
        return str(_("%(name)s（%(post)s）") % {"name": name, "post": self.actor_post})


class Attachment(models.Model):
    """A photo or document on a case event; checked by content, images re-encoded."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        CaseEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to="cases/%Y/%m/")
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class IdempotencyKey(models.Model):
    """A replayed intake returns the first answer; the same key with another body is refused."""

    key = models.CharField(max_length=100)
    # indexed by the unique (actor, key)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    body_hash = models.CharField(max_length=64)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["actor", "key"], name="idempotency_unique")]

    def __str__(self) -> str:
        return self.key


class Notification(models.Model):
    """An in-app inbox message for a unit (reminders, dispatches, urging)."""

    # indexed by Meta's notification_inbox (unit, read_at)
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=Action.choices)
    text = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["unit", "read_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return self.text
