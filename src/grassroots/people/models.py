"""The resident and household registry (人、地): dwellings, households, residents, tags.

Personal data is encrypted at rest (SECURITY.md 15): ID numbers and phones are stored as AES-GCM
ciphertext, with a keyed blind index (HMAC) for exact-match search and a pre-masked copy for
display, so lists never decrypt anything. Which tags a resident carries is stored as keyed tag
tokens, so a database reader cannot tell who is disabled or living alone. Only
`people.services` writes here.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area
from grassroots.people.choices import (
    Education,
    Employment,
    MoveReason,
    Politics,
    Relation,
    ResidentStatus,
    Sex,
)


class Dwelling(models.Model):
    """A place people live (房屋): an address inside one micro grid."""

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="dwellings", verbose_name=_("所在网格")
    )
    address = models.CharField(_("地址"), max_length=200)
    building = models.CharField(_("楼栋/村组"), max_length=40, blank=True)
    unit = models.CharField(_("单元"), max_length=20, blank=True)
    room = models.CharField(_("门牌/室"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("房屋")
        verbose_name_plural = _("房屋")
        constraints = [
            models.UniqueConstraint(fields=["area", "address"], name="dwelling_unique_address")
        ]

    def __str__(self) -> str:
        return self.address


class Household(models.Model):
    """A household (户) living in a dwelling; `area` is the dwelling's micro grid, kept in step."""

    number = models.CharField(_("户编号"), max_length=40, unique=True)
    dwelling = models.ForeignKey(
        Dwelling, on_delete=models.PROTECT, related_name="households", verbose_name=_("房屋")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="households", verbose_name=_("所在网格")
    )
    head = models.ForeignKey(
        "Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("户主"),
    )
    notes = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        ordering = ["number"]
        indexes = [models.Index(fields=["area", "number"], name="household_area_number")]

    def __str__(self) -> str:
        return self.number


class Resident(models.Model):
    """A person in the registry (居民). At most one current household at a time."""

    name = models.CharField(_("姓名"), max_length=60)
    id_number_enc = models.TextField(editable=False)
    id_number_index = models.CharField(max_length=32, unique=True, editable=False)
    id_number_masked = models.CharField(_("身份证号"), max_length=18, editable=False)
    sex = models.CharField(_("性别"), max_length=8, choices=Sex.choices, editable=False)
    birth_date = models.DateField(_("出生日期"), editable=False)
    phone_enc = models.TextField(blank=True, editable=False)
    phone_index = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True, editable=False)
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("所在户"),
    )
    # The current (or, once moved out or deceased, the last) micro grid: what scopes the row.
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="residents", verbose_name=_("所在网格")
    )
    relation = models.CharField(
        _("与户主关系"), max_length=16, choices=Relation.choices, default=Relation.OTHER
    )
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    education = models.CharField(
        _("文化程度"), max_length=16, choices=Education.choices, blank=True
    )
    employment = models.CharField(
        _("就业状况"), max_length=16, choices=Employment.choices, blank=True
    )
    occupation = models.CharField(_("职业"), max_length=60, blank=True)
    politics = models.CharField(
        _("政治面貌"), max_length=16, choices=Politics.choices, default=Politics.MASSES
    )
    # The party branch a member (or probationary member) belongs to; blank for everyone else.
    party_branch = models.CharField(_("所在党支部"), max_length=100, blank=True, default="")
    status = models.CharField(
        _("状态"), max_length=12, choices=ResidentStatus.choices, default=ResidentStatus.ACTIVE
    )
    notes = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["area", "status"], name="resident_area_status"),
            models.Index(fields=["household", "relation"], name="resident_household"),
            models.Index(fields=["name"], name="resident_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ResidentStatus.ACTIVE, household__isnull=False)
                | ~Q(status=ResidentStatus.ACTIVE),
                name="resident_active_has_household",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """One stay of a resident in a household (迁入 … 迁出): the membership history."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("居民")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("户")
    )
    relation = models.CharField(_("与户主关系"), max_length=16, choices=Relation.choices)
    started_on = models.DateField(_("迁入日期"))
    start_reason = models.CharField(_("迁入原因"), max_length=16, choices=MoveReason.choices)
    ended_on = models.DateField(_("迁出日期"), null=True, blank=True)
    end_reason = models.CharField(
        _("迁出原因"), max_length=16, choices=MoveReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("户籍变动")
        verbose_name_plural = _("户籍变动")
        ordering = ["resident", "started_on", "id"]
        constraints = [
            # at most one open stay per resident: "one household at a time"
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.resident_id}@{self.household_id}"


class Tag(models.Model):
    """A group that gets care or attention (独居老人, 残疾人, 留守儿童 …); admins may add more.

    `vulnerable` tags need their own permission to see or set (SECURITY.md 8).
    """

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    vulnerable = models.BooleanField(_("敏感（需专门权限）"), default=False)
    builtin = models.BooleanField(_("系统内置"), default=False)
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("人群标签")
        verbose_name_plural = _("人群标签")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ResidentTag(models.Model):
    """A resident carries a tag. `token` is the keyed blind index of the tag's code."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="tag_rows")
    token = models.CharField(max_length=32)
    since = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resident", "token"], name="resident_tag_unique")
        ]
        indexes = [models.Index(fields=["token", "resident"], name="resident_tag_token")]

    def __str__(self) -> str:
        return f"{self.resident_id}:{self.token[:6]}"


from grassroots.people.models_ledger import ImportJob  # noqa: E402, F401
from grassroots.people.models_transfer import TransferRequest  # noqa: E402, F401
