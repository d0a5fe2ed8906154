"""Named choices of the community app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FacilityKind(models.TextChoices):
    # 党群服务中心: the community's party-and-public service centre, with its rooms.
    SERVICE_CENTRE = "service_centre", _("党群服务中心")
    # 学校: a primary (or nine-year) school; its pupils are registry children.
    SCHOOL = "school", _("学校")
    # 幼儿园: a kindergarten; its pupils are registry children.
    KINDERGARTEN = "kindergarten", _("幼儿园")
    # 卫生室 / 社区卫生服务站: a clinic with medical staff.
    CLINIC = "clinic", _("卫生室")
    # 老年食堂 (长者饭堂).
    ELDERLY_CANTEEN = "elderly_canteen", _("老年食堂")
    # 文化活动室 / 文化广场.
    CULTURE = "culture", _("文化活动场所")
    # 就业帮扶车间 and other facilities.
    OTHER = "other", _("其他设施")


# Facilities whose pupils are registry children linked by enrolment.
SCHOOL_KINDS = frozenset({FacilityKind.SCHOOL, FacilityKind.KINDERGARTEN})


class TeamKind(models.TextChoices):
    """The integrated service team's members (综合服务队) — what a standard may require."""

    # 物业服务.
    PROPERTY = "property", _("物业服务")
    # 网格服务 (网格员 on the team).
    GRID = "grid", _("网格服务")
    # 土地托管: farming the relocated households' land at home.
    LAND_TRUST = "land_trust", _("土地托管")
    # 警务 (社区民警 / 警务室).
    POLICE = "police", _("警务")
    # 就业服务.
    EMPLOYMENT = "employment", _("就业服务")
    # 医疗服务.
    MEDICAL = "medical", _("医疗服务")


class ActivityKind(models.TextChoices):
    # 六点半课堂: after-school care and tutoring run by the youth-league work committee.
    CLASS_630 = "class630", _("六点半课堂")
    # 主题团日 / 主题队日.
    TEAM_DAY = "team_day", _("主题团队日")
    # 文艺演出 (e.g. opera in the courtyard).
    PERFORMANCE = "performance", _("文艺演出")
    # 志愿服务.
    VOLUNTEER = "volunteer", _("志愿服务")
    # 居民培训 (skills, employment).
    TRAINING = "training", _("居民培训")


class CheckKind(models.TextChoices):
    """The lines of a community's compliance checklist."""

    # A required post type held by enough people in the community.
    POST = "post", _("岗位配备")
    # A required facility recorded, with at least the minimum area.
    FACILITY = "facility", _("设施配备")
    # A required member of the integrated service team.
    SERVICE = "service", _("综合服务队")
    # Every grid has its 网格长 or grid worker, and the duty lists are written.
    GRIDS = "grids", _("网格配备")
    # The whole standard: every other line met (the kept compliance rows' summary line).
    WHOLE = "whole", _("整体达标")
