"""The ledgers a township is usually asked for, as template definitions (loaded by the data
migration `0002_preloaded_templates`). Each column is a catalogue column or is declared
unknowable with the reason; nothing here is a number."""

from __future__ import annotations

from typing import Any

SIGN = ["填报单位", "负责人", "填报人", "日期"]


def _c(source: str, label: str = "", group: str = "") -> dict[str, str]:
    out = {"source": source}
    if label:
        out["label"] = label
    if group:
        out["group"] = group
    return out


def _unknown(label: str, reason: str, group: str = "") -> dict[str, str]:
    out = {"label": label, "unknown": reason}
    if group:
        out["group"] = group
    return out


PRELOADED: list[dict[str, Any]] = [
    {
        "code": "grid-worker-ledger",
        "name": "网格员工作台账",
        "issuer": "县委政法委（网格化服务管理中心）",
        "definition": {
            "title": "网格员工作台账",
            "rows": "areas",
            "level": "grid3",
            "period": "month",
            "unit_note": "单位：户、人、次、件",
            "total": True,
            "columns": [
                _c("parent", "所属小网格", "网格基本情况"),
                _c("name", "微网格", "网格基本情况"),
                _c("grid_workers", "网格员", "网格基本情况"),
                _c("households", "户数", "网格基本情况"),
                _c("residents", "在册人口", "网格基本情况"),
                _c("figure:visits", "走访人次", "入户走访"),
                _c("figure:visited_households", "走访户数", "入户走访"),
                _c("figure:patrol", "巡查走访上报事件", "事件上报"),
                _c("figure:found", "排查矛盾纠纷", "事件上报"),
                _unknown(
                    "巡查打卡次数",
                    "平台不记录打卡（基层减负：不以打卡、登录次数考核网格员）",
                    "事件上报",
                ),
            ],
            "signatures": SIGN,
        },
    },
    {
        "code": "home-visit-ledger",
        "name": "入户走访台账",
        "issuer": "县委组织部（千名党员进万户）",
        "definition": {
            "title": "入户走访台账",
            "rows": "visits",
            "period": "month",
            "unit_note": "单位：人",
            "columns": [
                _c("visited_on"),
                _c("area", "网格"),
                _c("household", "户号", "被走访户"),
                _c("head", "户主", "被走访户"),
                _c("address", "住址", "被走访户"),
                _c("visitor", "走访人", "走访人员"),
                _c("member", "联户党员", "走访人员"),
                _c("met", "见面人数", "走访情况"),
                _c("all_well", "情况正常", "走访情况"),
                _c("needs", "群众诉求", "走访情况"),
                _c("risks", "风险隐患", "走访情况"),
                _c("case", "转办诉求编号", "走访情况"),
                _unknown("被走访人签字", "须被走访人本人在纸质台账上签字，平台不代签"),
            ],
            "signatures": SIGN,
        },
    },
    {
        "code": "dispute-ledger",
        "name": "矛盾纠纷排查化解台账",
        "issuer": "县委政法委",
        "definition": {
            "title": "矛盾纠纷排查化解台账",
            "rows": "disputes",
            "period": "year",
            "period_default": "current",
            "unit_note": "单位：人、次",
            "columns": [
                _c("number", "编号"),
                _c("found_on", "排查日期", "排查情况"),
                _c("area", "所在村（社区）", "排查情况"),
                _c("kind", "纠纷类型", "排查情况"),
                _c("summary", "简要情况", "排查情况"),
                _c("parties", "当事人数", "排查情况"),
                _c("risk", "风险等级", "排查情况"),
                _unknown("涉及金额（元）", "平台不记录纠纷涉及金额", "排查情况"),
                _c("mediations", "调解次数", "化解情况"),
                _c("state", "化解状态", "化解情况"),
                _c("settled_level", "化解层级", "化解情况"),
                _c("settled_on", "化解日期", "化解情况"),
            ],
            "signatures": SIGN,
        },
    },
    {
        "code": "relocation-support-ledger",
        "name": "易地搬迁后续扶持台账",
        "issuer": "县乡村振兴局",
        "definition": {
            "title": "易地搬迁后续扶持台账",
            "rows": "relocated_households",
            "period": "none",
            "unit_note": "单位：人、项、亩",
            "total": True,
            "columns": [
                _c("household", "户号", "搬迁户基本情况"),
                _c("head", "户主", "搬迁户基本情况"),
                _c("members", "人口", "搬迁户基本情况"),
                _c("origin", "迁出村", "搬迁户基本情况"),
                _c("year", "搬迁年度", "搬迁户基本情况"),
                _c("address", "安置住址", "搬迁户基本情况"),
                _c("items", "应享权益", "权益清单落实"),
                _c("fulfilled", "已落实", "权益清单落实"),
                _c("in_progress", "落实中", "权益清单落实"),
                _c("pending", "待落实", "权益清单落实"),
                _c("open_items", "未落实事项", "权益清单落实"),
                _c("omissions", "未关闭漏项", "权益清单落实"),
                _c("helper", "帮扶责任人"),
                _c("land_mu", "原承包地（亩）", "土地"),
                _c("land_trustee", "托管方", "土地"),
                _unknown("家庭年人均纯收入（元）", "平台不采集家庭收入"),
            ],
            "signatures": SIGN,
        },
    },
    {
        "code": "secretary-appraisal-ledger",
        "name": "村党组织书记考核台账",
        "issuer": "县委组织部",
        "definition": {
            "title": "村（社区）党组织书记考核台账",
            "rows": "cadres",
            "period": "year",
            "period_default": "previous",
            "filters": {"post": "secretary"},
            "columns": [
                _c("area", "村（社区）", "基本情况"),
                _c("name", "姓名", "基本情况"),
                _c("sex", "性别", "基本情况"),
                _c("birth_date", "出生日期", "基本情况"),
                _c("education", "文化程度", "基本情况"),
                _c("both_posts", "是否“一肩挑”", "基本情况"),
                _c("annual_total", "年度考核得分", "季评年考"),
                _c("annual_grade", "考核等次", "季评年考"),
                _c("annual_stars", "星级", "季评年考"),
                _c("trained_hours", "年度参训学时", "培训"),
                _unknown("组织部门考察意见", "由上级党委考察后填写，平台不记录"),
            ],
            "signatures": SIGN,
        },
    },
    {
        "code": "training-ledger",
        "name": "培训台账",
        "issuer": "县委组织部（领头雁培训）",
        "definition": {
            "title": "村（社区）干部培训台账",
            "rows": "training_enrolments",
            "period": "year",
            "period_default": "current",
            "filters": {"who": "cadres"},
            "unit_note": "单位：学时",
            "total": True,
            "columns": [
                _c("area", "村（社区）", "参训人员"),
                _c("name", "姓名", "参训人员"),
                _c("session", "培训名称", "培训班次"),
                _c("mode", "培训方式", "培训班次"),
                _c("delivery", "线上/线下", "培训班次"),
                _c("starts_on", "开始日期", "培训班次"),
                _c("organiser", "主办单位", "培训班次"),
                _c("status", "出勤情况", "参训情况"),
                _c("hours", "认定学时", "参训情况"),
                _unknown("结业考试成绩", "平台不记录考试成绩", "参训情况"),
            ],
            "signatures": SIGN,
        },
    },
    {
        "code": "asset-cleanup-ledger",
        "name": "集体资产清化收台账",
        "issuer": "县农业农村局（经管站）",
        "definition": {
            "title": "村集体资产清化收台账",
            "rows": "asset_problems",
            "period": "none",
            "unit_note": "面积单位：亩；金额单位：元",
            "total": True,
            "columns": [
                _c("township", "乡镇"),
                _c("area", "村（社区）"),
                _c("asset", "资产名称", "清理"),
                _c("kind", "问题类型", "清理"),
                _c("title", "问题", "清理"),
                _c("found_on", "发现日期", "清理"),
                _c("area_mu", "涉及面积", "清理"),
                _c("amount_yuan", "涉及金额", "清理"),
                _c("status", "状态", "化解"),
                _c("actions", "清理措施次数", "化解"),
                _c("resolved_on", "化解日期", "化解"),
                _c("recovered_mu", "收回面积", "收回"),
                _c("recovered_yuan", "收回金额", "收回"),
                _unknown("村民代表会议决议文号", "平台不记录决议文号"),
            ],
            "signatures": SIGN,
        },
    },
    {
        "code": "hotline-12345-monthly",
        "name": "12345热线月报",
        "issuer": "县12345政务服务便民热线",
        "definition": {
            "title": "12345政务服务便民热线工单办理情况月报",
            "rows": "areas",
            "period": "month",
            "unit_note": "单位：件、%",
            "total": True,
            "columns": [
                _c("name", "区域"),
                _c("figure:received", "受理", "受理情况"),
                _c("figure:answered", "即时解答", "受理情况"),
                _c("figure:handed", "交办", "受理情况"),
                _c("figure:responded", "应签收", "响应"),
                _c("figure:on_time", "按时签收", "响应"),
                _c("figure:response_rate", "响应率", "响应"),
                _c("figure:solved", "办结且未重办", "办结"),
                _c("figure:resolution_rate", "办结率", "办结"),
                _c("figure:reviewed", "已回访", "满意度"),
                _c("figure:satisfied", "满意和基本满意", "满意度"),
                _c("figure:satisfaction_rate", "满意率", "满意度"),
                _c("figure:overdue", "当前超期"),
                _unknown("省级平台转办件数", "由省12345平台统计，本平台无此数据"),
            ],
            "signatures": SIGN,
        },
    },
]
