"""The standardised community (社区建设规范化): the county's standard, a community's facilities
and their pupils and staff, the integrated service team, activities and their participants, and
the deputies' liaison station with its leader visits and the issues collected there.

Only `community.services` writes here. Rows placed in a community carry its `AreaPath` columns
(copied from the community), so scope, lists and figures are one column test on their own table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area, AreaPath, Post, PostType, Unit
from grassroots.cases.models import Case
from grassroots.community.choices import ActivityKind, CheckKind, FacilityKind, TeamKind
from grassroots.people.models import Household, Resident


class Standard(models.Model):
    """A county's community standard (社区建设规范): what every community in it should have.

    Edited by the organisation department; its lines are `StandardPost`, `StandardFacility` and
    `StandardService`. `grids_staffed`: every grid has its post (网格长, 网格员) and every post type
    held in the community has a duty list.
    """

    county = models.OneToOneField(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("县")
    )
    grids_staffed = models.BooleanField(_("网格配齐网格长和网格员"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修改人"),
    )

    class Meta:
        verbose_name = _("社区建设规范")
        verbose_name_plural = _("社区建设规范")

    def __str__(self) -> str:
        return str(self.county_id)


class StandardPost(models.Model):
    """A post type every community must have, and how many people hold it (at least)."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="posts")
    post_type = models.ForeignKey(
        PostType, on_delete=models.PROTECT, related_name="+", verbose_name=_("岗位类型")
    )
    count = models.PositiveSmallIntegerField(_("人数"))

    class Meta:
        ordering = ["standard", "post_type__code"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "post_type"], name="std_post_unique"),
            models.CheckConstraint(condition=Q(count__gte=1), name="std_post_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.post_type_id}×{self.count}"


class StandardFacility(models.Model):
    """A facility every community must have, with its minimum floor area (0: any)."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="facilities")
    kind = models.CharField(_("设施类型"), max_length=20, choices=FacilityKind.choices)
    min_area_sqm = models.PositiveIntegerField(_("最小面积（平方米）"), default=0)

    class Meta:
        ordering = ["standard", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "kind"], name="std_facility_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}≥{self.min_area_sqm}"


class StandardService(models.Model):
    """A member of the integrated service team every community must have."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("服务类型"), max_length=20, choices=TeamKind.choices)

    class Meta:
        ordering = ["standard", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "kind"], name="std_service_unique")
        ]

    def __str__(self) -> str:
        return self.kind


class Facility(AreaPath):
    """A facility of a community (service centre, school, kindergarten, clinic, canteen, …).

    `area_sqm` is its floor area; `places` what it can take (school places, canteen seats).
    A school's enrolled pupils are `Enrolment` rows (registry children), never a typed number;
    a clinic's staff are `FacilityStaff` rows.
    """

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    kind = models.CharField(_("设施类型"), max_length=20, choices=FacilityKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    area_sqm = models.PositiveIntegerField(_("面积（平方米）"), default=0)
    places = models.PositiveIntegerField(_("容量（学位、座位）"), default=0)
    opening_hours = models.CharField(_("开放时间"), max_length=100, blank=True)
    run_by = models.ForeignKey(
        Post,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("负责岗位"),
    )
    recorded_on = models.DateField(_("登记日期"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("社区设施")
        verbose_name_plural = _("社区设施")
        ordering = ["area", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="facility_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    """A room of a facility (a service centre's hall, office, reading room …)."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("名称"), max_length=60)
    area_sqm = models.PositiveIntegerField(_("面积（平方米）"), default=0)
    use = models.CharField(_("用途"), max_length=100, blank=True)

    class Meta:
        ordering = ["facility", "id"]

    def __str__(self) -> str:
        return self.name


class Enrolment(AreaPath):
    """A registry child enrolled at a school or kindergarten of the community, until `left_on`.

    A child is enrolled at one place at a time (a partial unique constraint).
    """

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="enrolments")
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="+", verbose_name=_("学生")
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    enrolled_on = models.DateField(_("入学日期"))
    left_on = models.DateField(_("离校日期"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["facility", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(left_on__isnull=True),
                name="enrolment_one_active",
            )
        ]


class FacilityStaff(AreaPath):
    """A person working at a facility (a clinic's doctors and nurses), until `ended_on`."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="staff")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=60)
    role = models.CharField(_("职务"), max_length=60)
    started_on = models.DateField(_("到岗日期"))
    ended_on = models.DateField(_("离岗日期"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["facility", "id"]


class TeamMember(AreaPath):
    """A member of the community's integrated service team (综合服务队): who serves, the unit a
    case can be sent to, their duties, until `ended_on`."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("服务类型"), max_length=20, choices=TeamKind.choices)
    name = models.CharField(_("姓名或单位"), max_length=100)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("派单单位"),
    )
    duties = models.TextField(_("职责清单"), blank=True)
    started_on = models.DateField(_("加入日期"))
    ended_on = models.DateField(_("退出日期"), null=True, blank=True)

    class Meta:
        ordering = ["area", "kind", "id"]


class Activity(AreaPath):
    """One session of a community activity (a 6:30 class, a team day, a performance …).

    `series` names the recurring series it belongs to; `open_count` is the headcount of an open
    event whose participants are not registered one by one.
    """

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("活动类型"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("名称"), max_length=100)
    series = models.CharField(_("系列"), max_length=60, blank=True)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    organiser = models.CharField(_("组织者"), max_length=100, blank=True)
    open_count = models.PositiveIntegerField(_("现场人数（开放活动）"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("社区活动")
        verbose_name_plural = _("社区活动")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["community", "held_on"], name="activity_community_day")]

    def __str__(self) -> str:
        return self.title


class Participant(AreaPath):
    """A registry household (and, for a pupil, the child) reached by one activity session."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pupil = models.BooleanField(_("学生"), default=False)
    volunteer_hours = models.DecimalField(
        _("志愿服务时长（小时）"), max_digits=5, decimal_places=1, default=0
    )

    class Meta:
        ordering = ["activity", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "household", "resident"], name="participant_unique"
            ),
            models.CheckConstraint(
                condition=Q(pupil=False) | Q(resident__isnull=False),
                name="participant_pupil_is_resident",
            ),
        ]


class Station(AreaPath):
    """A deputies' liaison station (人大代表联络站) in a community."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    deputies = models.TextField(_("进站代表"), blank=True)
    opening_days = models.CharField(_("接待日"), max_length=100, blank=True)

    class Meta:
        ordering = ["area", "id"]

    def __str__(self) -> str:
        return self.name


class LiaisonVisit(AreaPath):
    """A county leader's visit to a liaison station: when, who, residents met, topics."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="visits")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField(_("日期"))
    leader = models.CharField(_("县领导"), max_length=60)
    residents_met = models.PositiveIntegerField(_("接待群众（人）"), default=0)
    topics = models.TextField(_("议题"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]


class LiaisonIssue(AreaPath):
    """An issue collected at a leader's visit, followed to closure as a case (channel 代表联络站).

    Closed when its case is closed (`cases.State.CLOSED`): the case engine decides, not a flag.
    """

    visit = models.ForeignKey(LiaisonVisit, on_delete=models.PROTECT, related_name="issues")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    summary = models.CharField(_("问题"), max_length=300)
    collected_on = models.DateField(_("收集日期"))
    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="liaison_issue", verbose_name=_("诉求")
    )

    class Meta:
        ordering = ["-collected_on", "-id"]


class ComplianceLine(AreaPath):
    """One line of a community's compliance checklist as the figures' refresher last computed
    it (`community.compliance_state`): a requirement of its county's standard, what was
    found, met or not, and the gap in words. Each assessed community also has one `whole`
    line (kind `CheckKind.WHOLE`): the whole standard, met when every other line is. `as_of`
    is the local date of that computation. Derived data: only `community.compliance_state`
    writes it, rebuilt whole from `compliance.checklist`."""

    area = models.ForeignKey(
        Area, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("类别"), max_length=20, choices=CheckKind.choices)
    key = models.CharField(_("要求代码"), max_length=40)
    label = models.CharField(_("规范要求"), max_length=100)
    required = models.CharField(_("标准"), max_length=60)
    found = models.CharField(_("现有"), max_length=100)
    ok = models.BooleanField(_("达标"))
    gap = models.TextField(_("差距"), blank=True)
    as_of = models.DateField()

    class Meta:
        verbose_name = _("社区规范达标项")
        verbose_name_plural = _("社区规范达标项")
        ordering = ["area", "position"]
        constraints = [
            models.UniqueConstraint(fields=["area", "kind", "key"], name="compliance_line_unique")
        ]
        indexes = [
            models.Index(fields=[c, "kind", "ok"], name=f"compliance_{c}_kind_ok")
            for c in ("county", "township", "community")
        ]
