"""Named choices of the training app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    # 全员集中轮训
    CENTRALISED = "centralised", _("集中轮训")
    # 专题培训
    THEMATIC = "thematic", _("专题培训")
    # 精准（定向）培训
    TARGETED = "targeted", _("精准培训")
    # 按需点单培训
    ON_DEMAND = "on_demand", _("按需培训")


class Delivery(models.TextChoices):
    # 线下：会场
    OFFLINE = "offline", _("线下")
    # 线上：平台
    ONLINE = "online", _("线上")


class Target(models.TextChoices):
    # every party branch secretary of the villages and communities in the session's area
    SECRETARIES = "secretaries", _("村（社区）党组织书记")
    # every member of the two committees in post (secretaries, directors, members)
    TWO_COMMITTEES = "two_committees", _("村（社区）两委成员")
    # the two committees and the reserve cadres
    ALL_CADRES = "all_cadres", _("两委成员和后备干部")
    # every cadre (two committees and reserves) and every party member of the people registry
    # in the area (党员干部)
    PARTY_MEMBERS = "party_members", _("村（社区）干部和全体党员")


class Attendance(models.TextChoices):
    # enrolled, attendance not yet recorded
    ENROLLED = "enrolled", _("已报名")
    # signed in: the session's hours (or fewer) are credited
    PRESENT = "present", _("出勤")
    # excused (请假): no hours
    LEAVE = "leave", _("请假")
    # absent without leave: no hours
    ABSENT = "absent", _("缺勤")
