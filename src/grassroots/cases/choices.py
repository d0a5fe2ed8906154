"""Named choices of the cases app (DESIGN §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    # 受理: registered, waiting at a dispatch desk.
    RECEIVED = "received", _("已受理")
    # 派单: sent to a handling unit, not yet accepted.
    DISPATCHED = "dispatched", _("已派单")
    # 签收: the handling unit accepted it and works on it.
    ACCEPTED = "accepted", _("已签收")
    # 办结: the handler reports it solved; waiting for the review visit.
    RESOLVED = "resolved", _("已办结")
    # 结案: reviewed, answered at the seat, rejected or merged.
    CLOSED = "closed", _("已结案")


OPEN_STATES = (State.RECEIVED, State.DISPATCHED, State.ACCEPTED, State.RESOLVED)


class Action(models.TextChoices):
    DISPATCH = "dispatch", _("派单")
    ACCEPT = "accept", _("签收")
    RETURN = "return", _("退回")
    RESOLVE = "resolve", _("办结")
    REVIEW = "review", _("回访")
    ESCALATE = "escalate", _("提级")
    REJECT = "reject", _("不予受理")
    MERGE = "merge", _("合并")
    REOPEN = "reopen", _("重办")
    ANSWER = "answer", _("即时解答")
    VERIFY = "verify", _("现场核查")
    SUPERVISE = "supervise", _("督办")
    URGE = "urge", _("催办")
    NOTE = "note", _("备注")
    ASSIST = "assist", _("协办")
    # Written by the system only.
    CREATE = "create", _("登记")
    REMIND = "remind", _("时限提醒")
    OVERDUE = "overdue", _("超期")


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("热线电话")
    PATROL = "patrol", _("网格巡查")
    VISIT = "visit", _("入户走访")
    STATION = "station", _("代表联络站")
    WEB = "web", _("网上诉求")
    API = "api", _("接口（Open311）")
    IMPORT = "import", _("批量导入")


class Level(models.TextChoices):
    """The three levels of the linkage (三级联动), lowest first."""

    COMMUNITY = "community", _("社区（村）")
    TOWNSHIP = "township", _("乡镇（街道）")
    COUNTY = "county", _("县直部门")


NEXT_LEVEL = {Level.COMMUNITY: Level.TOWNSHIP, Level.TOWNSHIP: Level.COUNTY}


class LimitUnit(models.TextChoices):
    WORKING_HOURS = "working_hours", _("工作小时")
    WORKING_DAYS = "working_days", _("工作日")
    CALENDAR_HOURS = "calendar_hours", _("自然小时")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Closure(models.TextChoices):
    # Resolved and reviewed.
    RESOLVED = "resolved", _("办结回访")
    # A question answered at the seat from the knowledge base.
    ANSWERED = "answered", _("即时解答")
    # Out of scope; the reason is in the event.
    REJECTED = "rejected", _("不予受理")
    # A duplicate merged into another case.
    MERGED = "merged", _("合并办理")
