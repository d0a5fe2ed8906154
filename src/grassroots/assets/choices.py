"""Named choices of the assets app (清化收: clean up, resolve, recover)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssetKind(models.TextChoices):
    # 土地（资源性资产）, measured in mu
    LAND = "land", _("土地")
    # 房屋、厂房等经营性资产
    BUILDING = "building", _("房屋设施")
    # 货币资金
    FUND = "fund", _("资金")
    # 承包、租赁合同
    CONTRACT = "contract", _("合同")


class LandType(models.TextChoices):
    CROPLAND = "cropland", _("耕地")
    # 淤地坝形成的坝地、沟坝地
    DAM_LAND = "dam_land", _("坝沟地")
    FOREST = "forest", _("林地")
    ORCHARD = "orchard", _("园地")
    CONSTRUCTION = "construction", _("集体建设用地")
    OTHER = "other", _("其他土地")


class ProblemKind(models.TextChoices):
    # 原村干部私自抵押、出租、出让集体资产
    MORTGAGED_BY_CADRE = "mortgaged", _("干部私自抵押处置")
    # 承包费、租金拖欠
    FEES_UNPAID = "fees_unpaid", _("合同费用拖欠")
    # 村集体债务
    DEBT = "debt", _("集体债务")
    # 集体资产被侵占
    OCCUPIED = "occupied", _("资产被侵占")
    # 合同不规范（期限过长、价格过低、手续不全）
    IRREGULAR_CONTRACT = "irregular_contract", _("合同不规范")


class Status(models.TextChoices):
    # found, nothing done yet
    OPEN = "open", _("待清理")
    # being cleaned up (清理中)
    IN_PROGRESS = "in_progress", _("清理中")
    # resolved (化解、收回)
    RESOLVED = "resolved", _("已化解")


OPEN_STATES = (Status.OPEN, Status.IN_PROGRESS)
