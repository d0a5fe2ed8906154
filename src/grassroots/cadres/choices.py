"""Named choices of the cadres app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Post(models.TextChoices):
    # 村（社区）党组织书记
    SECRETARY = "secretary", _("党组织书记")
    # 村（居）民委员会主任
    DIRECTOR = "director", _("村（居）委会主任")
    # 两委委员
    MEMBER = "member", _("两委委员")
    # 后备干部
    RESERVE = "reserve", _("后备干部")


class Origin(models.TextChoices):
    # elected from the village itself
    LOCAL = "local", _("本村（社区）选任")
    # sent down from a county unit (下派书记)
    SENT_DOWN = "sent_down", _("县直单位下派")
    # recruited community staff (社区专职工作者)
    RECRUITED = "recruited", _("公开招聘")


class Period(models.TextChoices):
    Q1 = "q1", _("第一季度")
    Q2 = "q2", _("第二季度")
    Q3 = "q3", _("第三季度")
    Q4 = "q4", _("第四季度")
    # 年考: pledges, the township's assessment, the three reviews and the four quarters
    ANNUAL = "annual", _("年度考核")


QUARTERS = (Period.Q1, Period.Q2, Period.Q3, Period.Q4)


class State(models.TextChoices):
    # being prepared: inputs may change
    DRAFT = "draft", _("草稿")
    # ballots and scores being collected
    COLLECTING = "collecting", _("收集中")
    # computed; may still be recomputed
    SCORED = "scored", _("已评分")
    # locked: a change is a recorded correction
    CONFIRMED = "confirmed", _("已确认")


class Action(models.TextChoices):
    COLLECT = "collect", _("开始收集")
    SCORE = "score", _("计算得分")
    CONFIRM = "confirm", _("确认")
    # back from scored to collecting, to add inputs
    REOPEN = "reopen", _("退回收集")
    # a change of a confirmed result, with reason and approver
    CORRECT = "correct", _("更正")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


class RaterGroup(models.TextChoices):
    PARTY_MEMBERS = "party_members", _("党员评议")
    REPRESENTATIVES = "representatives", _("村民代表评议")
    TOWNSHIP_COMMITTEE = "township_committee", _("乡镇党委评议")


class SheetKind(models.TextChoices):
    # 月度底薪
    MONTHLY = "monthly", _("月度基本报酬")
    # 年度绩效
    ANNUAL = "annual", _("年度绩效报酬")


class SheetState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    CONFIRMED = "confirmed", _("已确认")


class LineKind(models.TextChoices):
    BASE = "base", _("基本报酬")
    PERFORMANCE = "performance", _("绩效报酬")
    REWARD = "reward", _("奖励")
    PENALTY = "penalty", _("扣减")
    # a later line on a confirmed sheet, with reason and approver
    CORRECTION = "correction", _("更正")
