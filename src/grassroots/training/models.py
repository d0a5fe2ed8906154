"""Cadre training (领头雁培训): sessions, enrolments with attendance, and the coverage state.

Only `training.services` writes sessions and enrolments; only `training.coverage` writes
`CadreTrainingYear` (derived, rebuilt by the figures' refresher). People come from the cadre
registry (`cadres.Cadre`): nothing about a cadre is retyped here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area, AreaPath
from grassroots.training.choices import Attendance, Delivery, Mode, Target


class Session(AreaPath):
    """One training session (班次), organised for the cadres of `area`'s subtree (the county,
    or one township)."""

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("培训范围")
    )
    title = models.CharField(_("班次名称"), max_length=120)
    theme = models.CharField(_("培训主题"), max_length=120)
    # a series groups sessions (抓党建促基层治理能力提升)
    series = models.CharField(_("系列"), max_length=120, blank=True)
    mode = models.CharField(_("培训方式"), max_length=12, choices=Mode.choices)
    delivery = models.CharField(_("线上线下"), max_length=8, choices=Delivery.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    hours = models.PositiveSmallIntegerField(_("学时"))
    organiser = models.CharField(_("主办单位"), max_length=100)
    target = models.CharField(_("培训对象"), max_length=16, choices=Target.choices)
    venue = models.CharField(_("地点或平台"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("培训班次")
        verbose_name_plural = _("培训班次")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="training_session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Enrolment(AreaPath):
    """One person enrolled in one session — a cadre of the registry (placed in their village),
    or, for a party-member session, a party member of the people registry (placed where they
    live) — with the attendance recorded and the hours credited (present only)."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="enrolments")
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")
    # set when the person is a cadre: coverage and hours are the cadres'
    cadre = models.ForeignKey(
        "cadres.Cadre", on_delete=models.PROTECT, null=True, blank=True, related_name="enrolments"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("考勤"), max_length=10, choices=Attendance.choices, default=Attendance.ENROLLED
    )
    hours = models.PositiveSmallIntegerField(_("认定学时"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("培训报名")
        verbose_name_plural = _("培训报名")
        ordering = ["session", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "resident"], name="training_enrol_once")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.resident_id}"


class SignInCode(models.Model):
    """A sign-in code (签到码) the organiser opened for one day of a session: a short random
    code, kept only as its SHA-256, valid from `opens_at` until `expires_at`."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="signin_codes")
    day = models.DateField(_("签到日期"))
    code_hash = models.CharField(max_length=64)
    opens_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("签到码")
        verbose_name_plural = _("签到码")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "code_hash"], name="training_signin_code_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id}@{self.day}"


class SignInUse(models.Model):
    """One person signed in with one code: the same code is not taken twice for them."""

    code = models.ForeignKey(SignInCode, on_delete=models.PROTECT, related_name="uses")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "enrolment"], name="training_signin_once")
        ]

    def __str__(self) -> str:
        return f"{self.code_id}:{self.enrolment_id}"


class CadreTrainingYear(AreaPath):
    """One cadre in post (any post of the two committees, or a reserve cadre) and their
    training this year, as the figures' refresher last computed it (`training.coverage`):
    sessions attended, hours credited, whether covered. `as_of` is that computation's date.
    Derived data."""

    cadre = models.OneToOneField(
        "cadres.Cadre",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    area = models.ForeignKey(
        Area, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    secretary = models.BooleanField()
    committee = models.BooleanField()
    sessions = models.PositiveSmallIntegerField()
    hours = models.PositiveIntegerField()
    required = models.PositiveIntegerField()
    as_of = models.DateField()

    class Meta:
        verbose_name = _("干部年度培训")
        verbose_name_plural = _("干部年度培训")

    def __str__(self) -> str:
        return f"{self.cadre_id}@{self.year}"
