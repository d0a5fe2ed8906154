"""The demo's post types and their duty lists (职责清单), as a county would write them."""

from __future__ import annotations

from dataclasses import dataclass

from grassroots.core.roles import Role


@dataclass(frozen=True)
class PostTypeSpec:
    """A post type to define: code, name, role and its duty list in order."""

    code: str
    name: str
    role: str
    duties: tuple[str, ...]
    description: str = ""


SECRETARY = "community_secretary"
COMMUNITY_WORKER = "community_worker"
GRID1_LEADER = "grid1_leader"
GRID3_WORKER = "grid3_worker"
TOWNSHIP_CADRE = "township_cadre"
DEPARTMENT_HANDLER = "department_handler"
HOTLINE_OPERATOR = "hotline_operator"
ORGANISATION_CADRE = "organisation_cadre"
COUNTY_LEADER = "county_leader"
SYSTEM_ADMIN = "system_admin"
SECURITY_ADMIN = "security_admin"
SECURITY_AUDITOR = "security_auditor"

_SEPARATION = "（三权分立）"

POST_TYPES: tuple[PostTypeSpec, ...] = (
    PostTypeSpec(
        SECRETARY,
        "社区党组织书记",
        Role.COMMUNITY_STAFF,
        (
            "全面负责社区党组织建设，落实“党建引领、网格管理、三治融合、共建共治”要求",
            "主持社区“两委”工作，组织召开党组织会议和居民议事协商会议",
            "统筹社区网格划分和网格员队伍管理，督促落实网格长职责清单",
            "牵头矛盾纠纷排查化解，推广“枫桥经验”，做到小事不出网格、大事不出社区",
            "统筹派至社区的职能事项，督促按时签收、办结和回访",
            "组织开展“千名党员进万户”和党员干部定期入户走访",
            "落实易地搬迁后续帮扶政策，确保搬迁群众权益有人管、有人帮、不悬空、不漏项",
            "负责社区党群服务中心阵地的建设、管理和使用",
            "组织开展移风易俗、文明创建和志愿服务活动",
        ),
        "下派至社区担任党组织书记的副科级干部。",
    ),
    PostTypeSpec(
        COMMUNITY_WORKER,
        "社区专职工作者",
        Role.COMMUNITY_STAFF,
        (
            "按分工承办社区党建、民政、社保、就业、综治等业务，落实首问负责和一次性告知",
            "在党群服务中心窗口受理居民诉求和办事申请，能办即办，不能办的及时流转",
            "维护居民、户、房屋等基础信息，做到一次采集、多方共享",
            "协助大网格长开展网格巡查和入户走访，相关记录一次录入、自动成账",
            "承办派至社区的工单，按时签收、办理并反馈结果",
            "参与矛盾纠纷排查调解，发现风险隐患及时上报",
            "组织便民服务、志愿服务和社区文化活动",
            "完成社区党组织交办的其他工作",
        ),
        "公开招聘的大专以上学历社区工作者。",
    ),
    PostTypeSpec(
        GRID1_LEADER,
        "大网格长",
        Role.GRID_WORKER,
        (
            "统筹本大网格内小网格、微网格的工作，落实“多网合一、多员合一”",
            "每周召集网格员碰头，研判网格内社情民意和风险隐患",
            "督促网格员按职责清单巡查走访，及时处置和上报问题",
            "跟踪督办本网格上报的事件，确保按时办结",
            "组织网格内党员联系群众，开展政策宣传和邻里互助",
            "掌握网格内特殊人群、重点人员底数，落实关爱帮扶措施",
            "向社区党组织报告网格运行情况，提出改进建议",
        ),
    ),
    PostTypeSpec(
        GRID3_WORKER,
        "微网格员",
        Role.GRID_WORKER,
        (
            "熟悉本微网格每户居民的基本情况，做到人进户、户进格，信息动态更新",
            "定期入户走访，重点关注老年人、残疾人、困难家庭和搬迁群众",
            "日常巡查网格，发现安全隐患、环境问题、矛盾纠纷随手拍、随时报",
            "收集居民诉求，能当场解决的当场解决，不能解决的按流程上报",
            "宣传党的政策和社区通知，引导居民参与社区共治",
            "协助做好防汛、防火等应急工作",
            "对本网格已办结事项开展回访，听取居民意见",
        ),
    ),
    PostTypeSpec(
        TOWNSHIP_CADRE,
        "乡镇干部",
        Role.TOWNSHIP_STAFF,
        (
            "落实“移民社区—属地乡镇—县直部门”三级联动机制，承办社区上报和热线派发的事项",
            "协调办理社区、村无法解决的诉求，需县直部门办理的及时提请",
            "包联社区（村），指导网格化管理和矛盾纠纷排查化解",
            "督促辖区社区、村按时办结工单，对临近时限的事项催办",
            "落实易地搬迁后续帮扶政策，核对搬迁户权益清单",
            "组织辖区村（社区）干部培训和日常考核",
            "完成乡镇党委、政府交办的其他工作",
        ),
    ),
    PostTypeSpec(
        DEPARTMENT_HANDLER,
        "部门承办人",
        Role.DEPARTMENT_HANDLER,
        (
            "负责本单位职能事项的受理和办理，在事项清单规定的时限内办结",
            "及时签收派至本单位的工单，不属于本单位职责的说明理由退回",
            "与社区、乡镇联动办理跨层级事项，做到有人管、不悬空、不漏项",
            "办结后如实填写办理结果，配合回访",
            "维护本单位职能事项清单、办事指南和所需材料",
            "对督办、催办事项优先办理并反馈",
        ),
    ),
    PostTypeSpec(
        HOTLINE_OPERATOR,
        "热线接线员",
        Role.HOTLINE,
        (
            "24小时值守便民服务热线，接听群众来电并规范登记诉求",
            "依据知识库解答政策咨询，能当场答复的直接答复",
            "根据职能事项和诉求地点准确派单，派错的及时改派",
            "跟踪工单办理进度，对临近时限的工单提醒承办单位",
            "对已办结工单开展回访，记录群众满意度",
            "对重复来电、紧急诉求按规定合并或提级处理",
            "做好交接班记录，保护来电人个人信息",
        ),
    ),
    PostTypeSpec(
        ORGANISATION_CADRE,
        "组织部干部",
        Role.ORGANISATION,
        (
            "管理村（社区）干部信息，掌握队伍结构和任职情况",
            "组织“领头雁”培训，统计参训情况",
            "组织“季评年考”“一诺一考三评议”，评定村党组织书记星级",
            "按“底薪+绩效”核定村干部报酬",
            "跟踪社区干部下派和社区工作者招聘、配备",
            "分析考核结果，提出干部队伍建设建议",
        ),
    ),
    PostTypeSpec(
        COUNTY_LEADER,
        "县领导",
        Role.LEADER,
        (
            "掌握全县基层治理运行情况和响应率、办结率、满意率",
            "对重点、难点和超时事项督办",
            "定期到人大代表联络站接待群众，收集问题并督促办结",
            "包联乡镇和社区，研究解决网格运行中的突出问题",
            "听取部门和乡镇汇报，推动三级联动机制落实",
        ),
    ),
    PostTypeSpec(
        SYSTEM_ADMIN,
        "系统管理员",
        Role.SYSTEM_ADMIN,
        (
            "维护区划和网格树及网格边界",
            "维护单位、职能事项和办理时限等系统配置",
            "维护工作日历（法定节假日和调休）",
            "负责系统运行监控、数据备份和恢复演练",
            "不负责账号授权，不查看审计日志" + _SEPARATION,
        ),
    ),
    PostTypeSpec(
        SECURITY_ADMIN,
        "安全管理员",
        Role.SECURITY_ADMIN,
        (
            "创建和停用账号，按岗位授予和收回角色",
            "解除因多次登录失败而锁定的账号",
            "定期核查账号和岗位，及时清理离岗人员账号",
            "落实密码策略和个人信息保护要求",
            "不负责系统配置，不查看审计日志" + _SEPARATION,
        ),
    ),
    PostTypeSpec(
        SECURITY_AUDITOR,
        "安全审计员",
        Role.AUDITOR,
        (
            "查阅审计日志，检查管理员和业务人员的操作",
            "定期校验审计日志哈希链的完整性",
            "发现异常操作及时报告并提出处置建议",
            "形成审计报告，留存备查",
            "不负责系统配置和账号授权" + _SEPARATION,
        ),
    ),
)
