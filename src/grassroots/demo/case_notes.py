"""What handlers, the desk and reviewers write on the demo's cases: notes by kind of matter."""

from __future__ import annotations

from grassroots.cases.choices import Satisfaction

# Categories whose cases are fixed on site, and those settled by talking people round.
ON_SITE = frozenset({"水电气暖", "公共设施", "城市管理", "安全生产", "交通出行"})
MEDIATED = frozenset({"矛盾纠纷", "劳动权益"})

RESOLVED_ON_SITE = (
    "已安排人员到现场处置，问题已解决",
    "已组织维修，现已恢复正常",
    "已现场核实并整改完毕，已告知诉求人",
    "已协调责任单位处理完毕，现场已恢复",
)
RESOLVED_MEDIATED = (
    "已组织双方调解，达成一致意见",
    "经网格员和调解员上门调解，矛盾已化解",
    "已约谈相关方，问题已按约定解决",
)
RESOLVED_SERVICE = (
    "已电话联系诉求人，按政策解释并协助办理",
    "已指导诉求人准备材料，业务已办结",
    "经核实已为诉求人办理完毕",
    "已上门服务，相关手续已办妥",
)
REVIEWED = {
    Satisfaction.SATISFIED: ("回访诉求人，对办理结果表示满意", "回访：问题已解决，群众满意"),
    Satisfaction.BASIC: ("回访诉求人，表示基本满意", "回访：问题基本解决，希望后续跟进"),
    Satisfaction.UNSATISFIED: ("回访诉求人表示问题未彻底解决，不满意",),
}
VERIFIED = ("网格员现场核查，问题已整改到位", "现场核查属实，已处置完毕")
RETURNED = ("非本单位职责范围，请重新派单", "经核实应由其他单位办理，退回重派")
REJECTED = (
    "经核实属于民事合同纠纷，已告知诉求人通过协商或诉讼途径解决",
    "诉求不在受理范围内，已向诉求人解释说明",
)
ESCALATED = {
    "community": "社区协调不成，提请镇便民服务中心协调办理",
    "township": "涉及县直部门职能，提请县级部门办理",
}
URGED = ("已超过办结时限，请加快办理并及时反馈", "群众再次来电，请抓紧办理")
SUPERVISED = ("县领导批示：高度重视，限期办结并报结果", "列入督办，请承办单位每周报告进展")
ANSWERED = "已按知识库《{title}》答复：{first}。"


def resolved(category: str) -> tuple[str, ...]:
    """The resolution notes that fit a matter of `category`."""
    if category in ON_SITE:
        return RESOLVED_ON_SITE
    if category in MEDIATED:
        return RESOLVED_MEDIATED
    return RESOLVED_SERVICE
