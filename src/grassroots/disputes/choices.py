"""Named choices of the disputes app (矛盾纠纷排查化解): kinds, risk, sources, states, levels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    # 邻里纠纷: noise, water leaks, shared walls, parking between neighbours.
    NEIGHBOUR = "neighbour", _("邻里纠纷")
    # 家庭纠纷: support of parents, inheritance, siblings.
    FAMILY = "family", _("家庭纠纷")
    # 婚姻纠纷: divorce, custody, bride price.
    MARRIAGE = "marriage", _("婚姻纠纷")
    # 土地纠纷: land contracts, homestead boundaries, relocation land.
    LAND = "land", _("土地纠纷")
    # 劳资纠纷: unpaid wages, injuries at work.
    LABOUR = "labour", _("劳资纠纷")
    # 物业纠纷 / 财产纠纷: property management fees, debts, damaged goods.
    PROPERTY = "property", _("物业及财产纠纷")
    # 其他: anything else; the summary says what.
    OTHER = "other", _("其他纠纷")


class Risk(models.TextChoices):
    # 红色: may turn violent or collective (群体性); watched daily, mediated at once.
    RED = "red", _("红色（高风险）")
    # 黄色: may escalate; mediated within the week.
    YELLOW = "yellow", _("黄色（中风险）")
    # 绿色: ordinary; mediated on the spot.
    GREEN = "green", _("绿色（低风险）")


# Higher is more urgent: the highest matching rule wins.
RISK_RANK = {Risk.GREEN: 0, Risk.YELLOW: 1, Risk.RED: 2}


class FoundVia(models.TextChoices):
    # 入户走访: found on a home visit (the visits app passes its visit's reference).
    VISIT = "visit", _("入户走访")
    # 网格巡查: found by a grid worker on patrol.
    PATROL = "patrol", _("网格巡查")
    # 热线诉求: a hotline case turned out to be a dispute (the case is linked).
    HOTLINE = "hotline", _("热线诉求")
    # 代表联络站: raised at a deputies' liaison station.
    STATION = "station", _("代表联络站")
    # 其他: walk-ins, referrals from the police station, …
    OTHER = "other", _("其他途径")


class State(models.TextChoices):
    # 已登记: screened and recorded, no session yet (also after escalation, at the new level).
    OPEN = "open", _("待调解")
    # 调解中: at least one session held, not settled.
    MEDIATING = "mediating", _("调解中")
    # 已化解: settled with a recorded agreement; follow-up visits are due.
    SETTLED = "settled", _("已化解")
    # 转办: turned into a case because a department must act (the case is linked).
    REFERRED = "referred", _("已转诉求办理")
    # 终结: withdrawn, not a dispute after all, or taken to court; the reason is in the event.
    CLOSED = "closed", _("已终结")


OPEN_STATES = (State.OPEN, State.MEDIATING)


class Level(models.TextChoices):
    """Where a dispute is mediated, lowest first (小事不出村，大事不出镇，矛盾不上交)."""

    GRID = "grid", _("网格")
    COMMUNITY = "community", _("社区（村）")
    TOWNSHIP = "township", _("乡镇（街道）")
    COUNTY = "county", _("县级")


LEVEL_ORDER = (Level.GRID, Level.COMMUNITY, Level.TOWNSHIP, Level.COUNTY)
NEXT_LEVEL = {
    Level.GRID: Level.COMMUNITY,
    Level.COMMUNITY: Level.TOWNSHIP,
    Level.TOWNSHIP: Level.COUNTY,
}
# The mediation level of an area level: where a dispute placed there starts.
LEVEL_OF_AREA = {
    "county": Level.COUNTY,
    "township": Level.TOWNSHIP,
    "community": Level.COMMUNITY,
    "village": Level.COMMUNITY,
    "grid1": Level.GRID,
    "grid2": Level.GRID,
    "grid3": Level.GRID,
}
# The mediation level of a post, by the ancestor column of its area.
LEVEL_OF_COLUMN = {
    "county": Level.COUNTY,
    "township": Level.TOWNSHIP,
    "community": Level.COMMUNITY,
    "grid1": Level.GRID,
    "grid2": Level.GRID,
    "grid3": Level.GRID,
}


class PartyRole(models.TextChoices):
    # 申请人: who asked for mediation.
    APPLICANT = "applicant", _("申请人")
    # 被申请人: the other side.
    RESPONDENT = "respondent", _("被申请人")
    # 利害关系人: someone else whose interests the outcome touches.
    INTERESTED = "interested", _("利害关系人")


class MediatorKind(models.TextChoices):
    # 网格员
    GRID_WORKER = "grid_worker", _("网格员")
    # 村（社区）干部
    CADRE = "cadre", _("村（社区）干部")
    # 人民调解员
    PEOPLES_MEDIATOR = "peoples_mediator", _("人民调解员")
    # 乡贤: respected local figures helping to mediate.
    SAGE = "sage", _("乡贤")
    # 律师 / 法律顾问
    LAWYER = "lawyer", _("律师")
    # 民警 (the police station's community officer)
    POLICE = "police", _("民警")
    # 其他
    OTHER = "other", _("其他")


class Outcome(models.TextChoices):
    # 调解成功: an agreement (text, and the signed scan when there is one) is recorded.
    SETTLED = "settled", _("调解成功")
    # 部分达成: some points agreed, mediation continues.
    PARTIAL = "partial", _("部分达成")
    # 调解未成: no agreement this time.
    FAILED = "failed", _("调解未成")


class Action(models.TextChoices):
    # 登记: screened and recorded (written by the service, never applied).
    SCREEN = "screen", _("排查登记")
    # 调解: a session without settlement (partial or failed).
    MEDIATE = "mediate", _("调解")
    # 化解: a session that settled it, with its agreement.
    SETTLE = "settle", _("调解成功")
    # 提级: handed to the next level up.
    ESCALATE = "escalate", _("提级调解")
    # 转办: into a case, because a department must act.
    REFER = "refer", _("转诉求办理")
    # 终结: withdrawn, not a dispute, or taken to court.
    CLOSE = "close", _("终结")
    # 回访: a follow-up visit after settlement, done.
    FOLLOW_UP = "follow_up", _("回访")
