"""Named choices of the relocation app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Subject(models.TextChoices):
    # One item per member for whom the rule holds (schooling, insurance, elderly care).
    MEMBER = "member", _("按成员")
    # One item per household when the rule holds (land trusteeship, property certificate).
    HOUSEHOLD = "household", _("按户")


class ItemState(models.TextChoices):
    # Generated, not yet worked on.
    PENDING = "pending", _("待落实")
    # Someone is working on it (progress recorded).
    IN_PROGRESS = "in_progress", _("落实中")
    # Done, with its evidence.
    FULFILLED = "fulfilled", _("已落实")
    # Does not apply (a reason and who approved it), or no longer does (the rules, recomputed).
    NOT_APPLICABLE = "not_applicable", _("不适用")


OPEN_STATES = (ItemState.PENDING, ItemState.IN_PROGRESS)


class Level(models.TextChoices):
    """The three levels of the linkage (搬迁社区 → 乡镇 → 县直部门), lowest first."""

    COMMUNITY = "community", _("安置社区")
    TOWNSHIP = "township", _("乡镇（街道）")
    COUNTY = "county", _("县直部门")


NEXT_LEVEL = {Level.COMMUNITY: Level.TOWNSHIP, Level.TOWNSHIP: Level.COUNTY}


class Action(models.TextChoices):
    # Generated from the rules.
    GENERATE = "generate", _("生成")
    # Owner and/or helper set.
    ASSIGN = "assign", _("明确责任人")
    # Work started.
    START = "start", _("开始落实")
    # Progress recorded.
    PROGRESS = "progress", _("记录进展")
    # Fulfilled with evidence.
    FULFIL = "fulfil", _("落实完成")
    # Does not apply: reason and approver.
    NOT_APPLICABLE = "not_applicable", _("确认不适用")
    # Handed to the next level (to the township as a linked case, then to the county).
    ESCALATE = "escalate", _("提级")
    # The linked case moved (its level, or its closure fulfilling the item).
    FOLLOW_CASE = "follow_case", _("随诉求办理")
    # The rules no longer require it (recomputed by the system).
    LAPSE = "lapse", _("不再适用")


class OmissionKind(models.TextChoices):
    # The rules require an item that does not exist (deleted, or newly due: a birthday).
    MISSING = "missing", _("应有未有（漏项）")
    # An open item without an owner (无人管).
    NO_OWNER = "no_owner", _("无责任人")
    # An open item without a helper (无人帮).
    NO_HELPER = "no_helper", _("无帮扶人")
    # An open item with no progress for too long (悬空).
    STALE = "stale", _("长期无进展")
    # A fulfilled item without evidence.
    NO_EVIDENCE = "no_evidence", _("已落实无佐证")
    # An open item whose owner's post has ended.
    OWNER_ENDED = "owner_ended", _("责任人已离岗")
