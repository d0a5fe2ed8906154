"""Roles (DESIGN §3) and the permissions each grants.

A role is held through a post (`areas.Post`); what it may be applied to is the post's scope.
Permissions are plain names checked by `Scope.has`; no role holds two of the three admin roles'
powers (三权分立, SECURITY.md 6).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # 24-hour hotline desk: takes calls, registers and dispatches cases.
    HOTLINE = "hotline", _("热线接线员")
    # Micro/small-grid worker on a phone: own grid's households and cases.
    GRID_WORKER = "grid_worker", _("网格员")
    # Community or village staff, including the secretary.
    COMMUNITY_STAFF = "community_staff", _("社区（村）工作人员")
    # Township office staff: the second level of the linkage.
    TOWNSHIP_STAFF = "township_staff", _("乡镇（街道）工作人员")
    # Handler in a county unit: cases dispatched to the unit.
    DEPARTMENT_HANDLER = "department_handler", _("部门承办人")
    # County organisation department: cadres, appraisal, pay, training.
    ORGANISATION = "organisation", _("组织部")
    # County leader: read-only dashboards, supervision.
    LEADER = "leader", _("县领导")
    # IT: configuration (areas, units, matters).
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    # IT: accounts, posts and roles.
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    # IT: reads the audit log, nothing else.
    AUDITOR = "auditor", _("安全审计员")
    # A client application (Open311 key): files cases, nothing else.
    API_CLIENT = "api_client", _("接口接入应用")


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})


class Perm(models.TextChoices):
    # See the area tree within scope.
    VIEW_AREAS = "view_areas", _("查看区划与网格")
    # Create, edit and move areas and units.
    MANAGE_AREAS = "manage_areas", _("管理区划、网格与单位")
    # See units within scope.
    VIEW_UNITS = "view_units", _("查看单位")
    # See posts and their duty lists within scope.
    VIEW_POSTS = "view_posts", _("查看岗位")
    # Create and end posts, set accounts' roles.
    MANAGE_POSTS = "manage_posts", _("管理账号与岗位")
    # Read the audit log.
    VIEW_AUDIT = "view_audit", _("查看审计日志")
    # See residents and households (masked) within scope.
    VIEW_PEOPLE = "view_people", _("查看人口与房屋")
    # Register, change and move residents and households within scope.
    EDIT_PEOPLE = "edit_people", _("登记和修改人口信息")
    # Reveal one full ID number or phone for a stated purpose (audited).
    REVEAL_PEOPLE = "reveal_people", _("查看完整证件号和电话")
    # See and set vulnerability tags (独居老人, 残疾人, 留守儿童 …).
    VIEW_VULNERABLE = "view_vulnerable", _("查看和标记特殊人群")
    # Import household and resident ledgers.
    IMPORT_PEOPLE = "import_people", _("导入人口台账")
    # Export ledgers with full ID numbers and phones (audited with the file's hash).
    EXPORT_UNMASKED = "export_unmasked", _("导出未脱敏台账")
    # See cases in the area subtrees and units of one's posts.
    VIEW_CASES = "view_cases", _("查看诉求")
    # Register cases (hotline, patrol, visits).
    CREATE_CASES = "create_cases", _("登记诉求")
    # Dispatch, answer at the seat, reject or merge cases waiting at a desk.
    DISPATCH_CASES = "dispatch_cases", _("派单")
    # Accept, return, resolve and escalate the cases of one's unit.
    HANDLE_CASES = "handle_cases", _("承办诉求")
    # Review visits (回访) and reopening.
    REVIEW_CASES = "review_cases", _("回访")
    # Verify on site before a patrol case closes.
    VERIFY_CASES = "verify_cases", _("现场核查")
    # Supervise (督办) and urge (催办).
    SUPERVISE_CASES = "supervise_cases", _("督办催办")
    # See disputes (矛盾纠纷) in the area subtrees of one's posts; parties masked.
    VIEW_DISPUTES = "view_disputes", _("查看矛盾纠纷")
    # Screen, mediate, escalate, refer, close disputes and record follow-ups, at one's own level.
    HANDLE_DISPUTES = "handle_disputes", _("排查调解矛盾纠纷")
    # Edit the risk rules (red / yellow / green) applied at screening.
    CONFIGURE_DISPUTES = "configure_disputes", _("配置纠纷风险规则")
    # See the village cadres' registry (two committees, terms) in the area subtrees of one's posts.
    VIEW_CADRES = "view_cadres", _("查看村（社区）干部")
    # Register cadres and record their terms.
    MANAGE_CADRES = "manage_cadres", _("管理村（社区）干部名册")
    # See appraisal results (scores, grades, stars) and their rollups, without entering any.
    VIEW_CADRE_SCORES = "view_cadre_scores", _("查看村干部考核结果")
    # Enter appraisal scores, ballots and stars (holders also see them: VIEW_CADRE_SCORES).
    SCORE_CADRES = "score_cadres", _("村干部考核评分")
    # See pay sheets and pay lines.
    VIEW_CADRE_PAY = "view_cadre_pay", _("查看村干部报酬")
    # Draw up, adjust, confirm and correct pay sheets.
    MANAGE_CADRE_PAY = "manage_cadre_pay", _("核定村干部报酬")
    # Edit the year's appraisal scheme and pay rule.
    CONFIGURE_CADRES = "configure_cadres", _("配置考核方案与报酬规则")
    # Organise training sessions, enrol their target groups and record attendance.
    MANAGE_TRAINING = "manage_training", _("组织干部培训和考勤")
    # See villages' collective assets, the problems found and what was recovered (清化收).
    VIEW_ASSETS = "view_assets", _("查看村集体资产清理")
    # Record collective assets, problems, actions with evidence and recoveries.
    MANAGE_ASSETS = "manage_assets", _("登记村集体资产清理")
    # Record a community's facilities, pupils, service team, activities and liaison station.
    EDIT_COMMUNITY = "edit_community", _("登记社区设施、活动和联络站")
    # Edit the county's community standard (社区建设规范).
    MANAGE_STANDARD = "manage_standard", _("维护社区建设规范")
    # Fill ledger templates from records for one's areas, and see the requests sent to them.
    VIEW_REPORTS = "view_reports", _("生成台账报表")
    # Confirm a generated ledger as one's area's answer to a superior's request (报表).
    CONFIRM_REPORTS = "confirm_reports", _("确认上报报表")
    # Issue a request (报表) to townships and see who confirmed: county roles only.
    ISSUE_REPORTS = "issue_reports", _("下发报表")
    # Add and change the county's ledger templates.
    MANAGE_REPORT_TEMPLATES = "manage_report_templates", _("维护台账模板")
    # See the 三化三力 scorecard of one's areas (figures only: the rows behind need their own).
    VIEW_SCORECARD = "view_scorecard", _("查看三化三力指标")
    # Define the scorecard's indicators (as data, over registered figures).
    CONFIGURE_SCORECARD = "configure_scorecard", _("配置三化三力指标")


_STAFF = frozenset({Perm.VIEW_AREAS, Perm.VIEW_UNITS, Perm.VIEW_POSTS})
# Those who keep the registry in their own grids (网格员, 社区, 乡镇).
_KEEPERS = _STAFF | {
    Perm.VIEW_PEOPLE,
    Perm.EDIT_PEOPLE,
    Perm.REVEAL_PEOPLE,
    Perm.VIEW_VULNERABLE,
}

# Those who screen and mediate disputes in their own areas (网格员, 社区, 乡镇).
_MEDIATORS = frozenset({Perm.VIEW_DISPUTES, Perm.HANDLE_DISPUTES})

_DESK = frozenset({Perm.VIEW_CASES, Perm.CREATE_CASES, Perm.DISPATCH_CASES, Perm.REVIEW_CASES})

# Those who generate ledgers for their own areas and confirm them to superiors (一表通).
_REPORTERS = frozenset({Perm.VIEW_REPORTS, Perm.CONFIRM_REPORTS})
# The county's issuers of requests (报表); they read the ledgers they ask for.
_ISSUERS = frozenset({Perm.VIEW_REPORTS, Perm.ISSUE_REPORTS})

ROLE_PERMS: dict[str, frozenset[str]] = {
    # The hotline finds callers by exact phone or ID number and may reveal a number to call back.
    Role.HOTLINE: _STAFF | _DESK | {Perm.VIEW_PEOPLE, Perm.REVEAL_PEOPLE},
    Role.GRID_WORKER: _KEEPERS
    | _MEDIATORS
    | {Perm.VIEW_CASES, Perm.CREATE_CASES, Perm.VERIFY_CASES},
    Role.COMMUNITY_STAFF: _KEEPERS
    | _DESK
    | _MEDIATORS
    | {Perm.IMPORT_PEOPLE, Perm.HANDLE_CASES, Perm.EDIT_COMMUNITY}
    # A village sees its own collective assets and their clean-up.
    | {Perm.VIEW_ASSETS}
    | _REPORTERS
    # and the scorecard of its community or village.
    | {Perm.VIEW_SCORECARD},
    Role.TOWNSHIP_STAFF: _KEEPERS
    | _DESK
    | _MEDIATORS
    | {
        Perm.IMPORT_PEOPLE,
        Perm.EXPORT_UNMASKED,
        Perm.HANDLE_CASES,
        Perm.SUPERVISE_CASES,
        Perm.EDIT_COMMUNITY,
    }
    # A township sees and scores its villages' cadres and sees their pay.
    | {Perm.VIEW_CADRES, Perm.VIEW_CADRE_SCORES, Perm.SCORE_CADRES, Perm.VIEW_CADRE_PAY}
    # It trains its villages' cadres, and its economic-management station keeps their assets.
    | {Perm.MANAGE_TRAINING, Perm.VIEW_ASSETS, Perm.MANAGE_ASSETS}
    | _REPORTERS
    # and the scorecard of the township and its communities and villages.
    | {Perm.VIEW_SCORECARD},
    # Departments see people only through the cases dispatched to them.
    Role.DEPARTMENT_HANDLER: _STAFF | {Perm.VIEW_PEOPLE, Perm.VIEW_CASES, Perm.HANDLE_CASES},
    # The county's cadres (registry, appraisal, stars, pay, and their rules) and the community
    # standard.
    Role.ORGANISATION: _STAFF
    | {
        Perm.VIEW_CADRES,
        Perm.MANAGE_CADRES,
        Perm.VIEW_CADRE_SCORES,
        Perm.SCORE_CADRES,
        Perm.VIEW_CADRE_PAY,
        Perm.MANAGE_CADRE_PAY,
        Perm.CONFIGURE_CADRES,
        Perm.MANAGE_STANDARD,
        Perm.MANAGE_TRAINING,
        Perm.VIEW_ASSETS,
        Perm.MANAGE_ASSETS,
        Perm.MANAGE_REPORT_TEMPLATES,
        # the county's scorecard, and its indicators
        Perm.VIEW_SCORECARD,
        Perm.CONFIGURE_SCORECARD,
    }
    | _ISSUERS,
    Role.LEADER: _STAFF
    | {
        Perm.VIEW_PEOPLE,
        Perm.VIEW_CASES,
        Perm.SUPERVISE_CASES,
        Perm.VIEW_DISPUTES,
        # the leaders' view of the cadres: stars, grades and pay totals, read only
        Perm.VIEW_CADRES,
        Perm.VIEW_CADRE_SCORES,
        Perm.VIEW_CADRE_PAY,
        Perm.VIEW_ASSETS,
        Perm.VIEW_SCORECARD,
    }
    | _ISSUERS,
    # Configuration: the area tree, units, the disputes' risk rules, the scorecard's indicators.
    Role.SYSTEM_ADMIN: _STAFF
    | {Perm.MANAGE_AREAS, Perm.CONFIGURE_DISPUTES}
    # the scorecard's indicators, in the admin (the organisation department holds it too)
    | {Perm.CONFIGURE_SCORECARD},
    Role.SECURITY_ADMIN: frozenset({Perm.VIEW_UNITS, Perm.VIEW_POSTS, Perm.MANAGE_POSTS}),
    Role.AUDITOR: frozenset({Perm.VIEW_AUDIT}),
    Role.API_CLIENT: frozenset({Perm.CREATE_CASES}),
}
