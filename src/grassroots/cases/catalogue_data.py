"""The Shilou matter catalogue (职能事项清单) as plain data: 87 matters of 27 county units.

The article in ``seed/`` counts "87 functional matters of 27 units" handled with quick response
and quick closure; the article does not list them, so the matters below are a plausible catalogue
in the shape a county's 12345 hotline and 便民服务 lists use. Alongside them: knowledge-base
articles for answering at the seat (generic wording, no amounts: the units' published standards
decide) and a few typical case descriptions per matter for the demo's synthetic case history.

Pure data, no Django: the demo loader and the tests read it; `check_catalogue()` checks it.
Units are named by the short names of `grassroots.demo.data.COUNTY_UNITS`.
"""

from __future__ import annotations

from dataclasses import dataclass

WORKING_HOURS = "working_hours"
WORKING_DAYS = "working_days"
CALENDAR_HOURS = "calendar_hours"
LIMIT_UNITS = (WORKING_HOURS, WORKING_DAYS, CALENDAR_HOURS)

COMMUNITY = "community"
TOWNSHIP = "township"
COUNTY = "county"
LEVELS = (COMMUNITY, TOWNSHIP, COUNTY)

CATEGORIES: tuple[str, ...] = (
    "社会保障",
    "医疗卫生",
    "民政救助",
    "城市管理",
    "公共设施",
    "水电气暖",
    "矛盾纠纷",
    "劳动权益",
    "市场监管",
    "教育",
    "住房保障",
    "户籍证件",
    "农业农村",
    "优抚安置",
    "安全生产",
    "交通出行",
    "易地搬迁",
    "政策咨询",
)

# The 27 county units, in the order of `grassroots.demo.data.COUNTY_UNITS`, by short name.
UNIT_SHORT_NAMES: tuple[str, ...] = (
    "人社局",
    "民政局",
    "医保局",
    "住建局",
    "公安局",
    "卫体局",
    "教科局",
    "农业农村局",
    "水利局",
    "市场监管局",
    "司法局",
    "信访局",
    "退役军人局",
    "应急局",
    "综合执法局",
    "交通局",
    "自然资源局",
    "财政局",
    "发改局",
    "乡村振兴局",
    "残联",
    "妇联",
    "团县委",
    "审批局",
    "税务局",
    "供水公司",
    "供电公司",
)

MATTER_COUNT = 87
Limit = tuple[int | float, str]


@dataclass(frozen=True)
class MatterSpec:
    """One functional matter: who owns it, which level handles it first, how fast."""

    code: str
    name: str
    category: str
    unit: str
    level: str
    response_limit: Limit
    resolution_limit: Limit
    keywords: tuple[str, ...]
    description: str
    materials: tuple[str, ...] = ()
    public: bool = True
    needs_site_check: bool = False


@dataclass(frozen=True)
class ArticleSpec:
    """A knowledge-base article for answering a matter at the seat."""

    matter: str
    title: str
    body: str
    materials: tuple[str, ...] = ()
    office: str = ""
    hours: str = ""
    fees: str = "免费"


# Typical time limits (12345 practice: 咨询 1–3, 求助 5, 投诉 7–15 working days; urgent repairs
# answered within hours and repaired within a day).
URGENT_RESPONSE: Limit = (2, CALENDAR_HOURS)
URGENT_RESOLUTION: Limit = (24, CALENDAR_HOURS)
QUICK_RESPONSE: Limit = (2, WORKING_HOURS)
DAY_RESPONSE: Limit = (1, WORKING_DAYS)

MATTERS: tuple[MatterSpec, ...] = (
    # —— 人社局 ——
    MatterSpec(
        code="M001",
        name="就业登记",
        category="社会保障",
        unit="人社局",
        level=COMMUNITY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(5, WORKING_DAYS),
        keywords=("就业登记", "找工作", "失业登记", "就业创业证"),
        description="为劳动年龄内的城乡居民办理就业、失业登记及就业创业证申领。",
        materials=("身份证", "户口簿"),
    ),
    MatterSpec(
        code="M002",
        name="失业保险金申领",
        category="社会保障",
        unit="人社局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(7, WORKING_DAYS),
        keywords=("失业金", "失业保险", "下岗", "失业补助"),
        description="受理参保失业人员的失业保险金申领及待遇发放咨询。",
        materials=("身份证", "社会保障卡", "解除或终止劳动关系证明"),
    ),
    MatterSpec(
        code="M003",
        name="灵活就业人员社保缴费",
        category="社会保障",
        unit="人社局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(3, WORKING_DAYS),
        keywords=("灵活就业", "个体社保", "自己交社保", "职工养老"),
        description="办理灵活就业人员以个人身份参加职工养老保险的登记、缴费及中断续缴。",
        materials=("身份证", "社会保障卡"),
    ),
    MatterSpec(
        code="M004",
        name="城乡居民养老保险参保",
        category="社会保障",
        unit="人社局",
        level=COMMUNITY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(5, WORKING_DAYS),
        keywords=("居民养老", "农村养老保险", "养老参保", "缴费档次"),
        description="为未参加职工养老保险的城乡居民办理居民养老保险参保登记和缴费档次咨询。",
        materials=("身份证", "户口簿"),
    ),
    MatterSpec(
        code="M005",
        name="养老保险待遇资格认证",
        category="社会保障",
        unit="人社局",
        level=COMMUNITY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(3, WORKING_DAYS),
        keywords=("资格认证", "养老金认证", "刷脸认证", "养老金停发"),
        description="协助领取养老保险待遇人员完成年度资格认证，处理因未认证暂停发放的问题。",
        materials=("身份证", "社会保障卡"),
    ),
    MatterSpec(
        code="M006",
        name="社会保障卡申领",
        category="社会保障",
        unit="人社局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(5, WORKING_DAYS),
        keywords=("社保卡", "补卡", "换卡", "社保卡激活"),
        description="办理社会保障卡的首次申领、挂失、补换及激活。",
        materials=("身份证", "近期免冠照片"),
    ),
    MatterSpec(
        code="M007",
        name="拖欠农民工工资",
        category="劳动权益",
        unit="人社局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(7, WORKING_DAYS),
        keywords=("欠薪", "拖欠工资", "讨薪", "工钱不给", "包工头"),
        description="受理工程建设等领域拖欠农民工工资的投诉，由劳动保障监察核查并督促支付。",
    ),
    # —— 民政局 ——
    MatterSpec(
        code="M008",
        name="最低生活保障申请",
        category="民政救助",
        unit="民政局",
        level=COMMUNITY,
        response_limit=DAY_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("低保", "最低生活保障", "低保户", "生活困难"),
        description="受理城乡低收入家庭的最低生活保障申请，经入户调查、审核公示后按规定审批。",
        materials=("身份证", "户口簿", "家庭收入及财产情况说明", "银行卡"),
    ),
    MatterSpec(
        code="M009",
        name="特困人员救助供养",
        category="民政救助",
        unit="民政局",
        level=TOWNSHIP,
        response_limit=DAY_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("特困", "五保", "无人赡养", "供养"),
        description="为无劳动能力、无生活来源、无法定赡养抚养义务人的老年人、残疾人和未成年人办理特困供养。",
        materials=("身份证", "户口簿"),
    ),
    MatterSpec(
        code="M010",
        name="临时救助",
        category="民政救助",
        unit="民政局",
        level=TOWNSHIP,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(5, WORKING_DAYS),
        keywords=("临时救助", "急难", "突发困难", "救急"),
        description="对因意外事件、突发重病等导致基本生活暂时困难的家庭或个人给予临时救助。",
        materials=("身份证", "户口簿", "困难情况证明材料"),
    ),
    MatterSpec(
        code="M011",
        name="高龄津贴",
        category="民政救助",
        unit="民政局",
        level=COMMUNITY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(7, WORKING_DAYS),
        keywords=("高龄补贴", "高龄津贴", "老人补贴", "八十岁"),
        description="为达到规定年龄的本县户籍老年人办理高龄津贴申领及发放查询。",
        materials=("身份证", "户口簿", "银行卡"),
    ),
    MatterSpec(
        code="M012",
        name="残疾人两项补贴",
        category="民政救助",
        unit="民政局",
        level=COMMUNITY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("两项补贴", "残疾补贴", "护理补贴", "生活补贴"),
        description="办理困难残疾人生活补贴和重度残疾人护理补贴的申请、审核及发放查询。",
        materials=("身份证", "户口簿", "残疾人证", "银行卡"),
    ),
    MatterSpec(
        code="M013",
        name="婚姻登记咨询",
        category="政策咨询",
        unit="民政局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(1, WORKING_DAYS),
        keywords=("结婚登记", "离婚登记", "补领结婚证", "领证"),
        description="解答结婚、离婚登记及补领婚姻登记证的条件、材料和预约方式。",
        materials=("身份证", "户口簿"),
    ),
    MatterSpec(
        code="M014",
        name="居家养老服务",
        category="民政救助",
        unit="民政局",
        level=COMMUNITY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(5, WORKING_DAYS),
        keywords=("养老服务", "日间照料", "助餐", "老人没人管", "上门服务"),
        description="受理老年人居家养老、日间照料、助餐助浴等服务需求并对接社区养老服务设施。",
        materials=("身份证",),
    ),
    MatterSpec(
        code="M015",
        name="困境儿童保障",
        category="民政救助",
        unit="民政局",
        level=TOWNSHIP,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("困境儿童", "孤儿", "留守儿童", "事实无人抚养"),
        description="为孤儿、事实无人抚养儿童等困境儿童办理基本生活保障并落实关爱帮扶。",
        materials=("儿童户口簿", "监护人身份证", "相关情况证明"),
    ),
    # —— 医保局 ——
    MatterSpec(
        code="M016",
        name="医保参保缴费",
        category="社会保障",
        unit="医保局",
        level=COMMUNITY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(3, WORKING_DAYS),
        keywords=("医保", "合作医疗", "医保缴费", "交医保", "新生儿参保"),
        description="办理城乡居民基本医疗保险参保登记、年度缴费及缴费查询。",
        materials=("身份证", "户口簿"),
    ),
    MatterSpec(
        code="M017",
        name="异地就医备案",
        category="医疗卫生",
        unit="医保局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(3, WORKING_DAYS),
        keywords=("异地就医", "外地看病", "转诊备案", "跨省报销"),
        description="为异地长期居住、临时外出就医和转诊人员办理异地就医备案。",
        materials=("身份证", "社会保障卡"),
    ),
    MatterSpec(
        code="M018",
        name="门诊慢特病认定",
        category="医疗卫生",
        unit="医保局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("慢病", "慢特病", "门诊慢病卡", "高血压", "糖尿病"),
        description="受理参保人员门诊慢特病待遇资格认定申请及认定结果查询。",
        materials=("身份证", "社会保障卡", "病历及诊断证明"),
    ),
    MatterSpec(
        code="M019",
        name="医疗费用手工报销",
        category="医疗卫生",
        unit="医保局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("报销", "医药费", "住院报销", "发票报销"),
        description="受理未能直接结算的住院、门诊医疗费用手工报销及进度查询。",
        materials=("身份证", "社会保障卡", "医疗费用发票", "费用清单", "出院小结", "银行卡"),
    ),
    MatterSpec(
        code="M020",
        name="医疗救助申请",
        category="民政救助",
        unit="医保局",
        level=TOWNSHIP,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("医疗救助", "看病贵", "大病救助", "自付费用高"),
        description="对困难群众经基本医保、大病保险报销后个人负担仍较重的医疗费用给予救助。",
        materials=("身份证", "户口簿", "医疗费用票据", "报销结算单"),
    ),
    MatterSpec(
        code="M021",
        name="医保关系转移接续",
        category="社会保障",
        unit="医保局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(7, WORKING_DAYS),
        keywords=("医保转移", "医保转入", "医保转出", "换工作医保"),
        description="办理跨统筹地区流动人员基本医疗保险关系的转移接续。",
        materials=("身份证", "社会保障卡", "参保凭证"),
    ),
    # —— 住建局 ——
    MatterSpec(
        code="M022",
        name="公租房申请",
        category="住房保障",
        unit="住建局",
        level=COMMUNITY,
        response_limit=DAY_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("公租房", "廉租房", "保障房", "租房补贴"),
        description="受理城镇住房困难家庭的公共租赁住房申请、轮候及租赁补贴咨询。",
        materials=("身份证", "户口簿", "收入情况证明", "住房情况证明"),
    ),
    MatterSpec(
        code="M023",
        name="物业服务纠纷",
        category="矛盾纠纷",
        unit="住建局",
        level=COMMUNITY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(7, WORKING_DAYS),
        keywords=("物业", "物业费", "物业不管", "小区管理"),
        description="受理居民与物业服务企业之间关于服务质量、收费、公共部位维修等的纠纷。",
    ),
    MatterSpec(
        code="M024",
        name="房屋漏水维修",
        category="住房保障",
        unit="住建局",
        level=COMMUNITY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(5, WORKING_DAYS),
        keywords=("漏水", "屋顶漏", "渗水", "墙皮脱落", "楼顶防水"),
        description="受理安置房、公租房及老旧小区房屋屋面、外墙渗漏等维修诉求。",
        needs_site_check=True,
    ),
    MatterSpec(
        code="M025",
        name="农村危房改造",
        category="住房保障",
        unit="住建局",
        level=TOWNSHIP,
        response_limit=DAY_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("危房", "危房改造", "房子裂缝", "窑洞塌"),
        description="受理农村低收入群体等重点对象的危房鉴定及改造申请。",
        materials=("身份证", "户口簿", "房屋现状照片"),
        needs_site_check=True,
    ),
    MatterSpec(
        code="M026",
        name="冬季供暖不热",
        category="水电气暖",
        unit="住建局",
        level=COUNTY,
        response_limit=(4, CALENDAR_HOURS),
        resolution_limit=URGENT_RESOLUTION,
        keywords=("暖气不热", "供暖", "暖气", "室温低", "暖气漏水"),
        description="受理供暖期内集中供热室温不达标、暖气不热或管网故障等问题。",
        needs_site_check=True,
    ),
    MatterSpec(
        code="M027",
        name="城区道路破损",
        category="公共设施",
        unit="住建局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(7, WORKING_DAYS),
        keywords=("道路破损", "路面坑洼", "坑", "人行道砖", "路塌"),
        description="受理城区市政道路、人行道路面破损、塌陷及积水的维修诉求。",
        needs_site_check=True,
    ),
    # —— 公安局 ——
    MatterSpec(
        code="M028",
        name="户口迁移咨询",
        category="户籍证件",
        unit="公安局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(1, WORKING_DAYS),
        keywords=("迁户口", "户口迁移", "落户", "准迁证"),
        description="解答户口迁入、迁出及搬迁户落户的条件、材料和办理流程。",
        materials=("身份证", "户口簿"),
    ),
    MatterSpec(
        code="M029",
        name="居住证办理",
        category="户籍证件",
        unit="公安局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("居住证", "暂住证", "外地人", "居住登记"),
        description="为在本县居住满规定期限的非本县户籍人员办理居住登记和居住证。",
        materials=("身份证", "居住证明"),
    ),
    MatterSpec(
        code="M030",
        name="身份证办理",
        category="户籍证件",
        unit="公安局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("身份证", "补办身份证", "身份证到期", "临时身份证"),
        description="办理居民身份证首次申领、到期换领、丢失补领及临时身份证。",
        materials=("户口簿", "原身份证"),
    ),
    MatterSpec(
        code="M031",
        name="新生儿出生登记",
        category="户籍证件",
        unit="公安局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(3, WORKING_DAYS),
        keywords=("上户口", "新生儿落户", "出生登记", "娃娃上户"),
        description="办理新生儿出生登记落户及相关咨询。",
        materials=("出生医学证明", "父母身份证", "父母户口簿", "结婚证"),
    ),
    # —— 卫体局 ——
    MatterSpec(
        code="M032",
        name="家庭医生签约",
        category="医疗卫生",
        unit="卫体局",
        level=COMMUNITY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(5, WORKING_DAYS),
        keywords=("家庭医生", "签约医生", "上门看病", "慢病随访"),
        description="为居民办理家庭医生签约并提供健康管理、慢病随访等签约服务。",
        materials=("身份证",),
    ),
    MatterSpec(
        code="M033",
        name="预防接种咨询",
        category="医疗卫生",
        unit="卫体局",
        level=COMMUNITY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(3, WORKING_DAYS),
        keywords=("打疫苗", "预防接种", "接种本", "疫苗"),
        description="解答儿童免疫规划疫苗及成人疫苗的接种地点、时间和补种问题。",
        materials=("预防接种证", "儿童户口簿或出生医学证明"),
    ),
    MatterSpec(
        code="M034",
        name="计划生育家庭奖励扶助",
        category="医疗卫生",
        unit="卫体局",
        level=TOWNSHIP,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("独生子女", "奖扶", "特扶", "计生补贴"),
        description="受理农村部分计划生育家庭奖励扶助和计划生育特殊家庭扶助的申请及发放查询。",
        materials=("身份证", "户口簿", "独生子女父母光荣证"),
    ),
    # —— 教科局 ——
    MatterSpec(
        code="M035",
        name="义务教育入学",
        category="教育",
        unit="教科局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(5, WORKING_DAYS),
        keywords=("上学", "入学", "转学", "学区", "一年级报名"),
        description="解答小学、初中入学和转学的划片范围、报名时间及所需材料。",
        materials=("儿童户口簿", "监护人身份证", "房产证明或租房合同", "预防接种证"),
    ),
    MatterSpec(
        code="M036",
        name="学生资助申请",
        category="教育",
        unit="教科局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("助学金", "学生资助", "生源地贷款", "雨露计划", "营养餐"),
        description="受理家庭经济困难学生资助、生源地信用助学贷款及资助发放查询。",
        materials=("学生身份证或户口簿", "家庭经济困难情况说明", "学生证或录取通知书"),
    ),
    MatterSpec(
        code="M037",
        name="校外培训机构投诉",
        category="教育",
        unit="教科局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("补课", "培训班", "退费", "辅导机构"),
        description="受理校外培训机构违规培训、退费纠纷及无证办学的投诉举报。",
    ),
    # —— 农业农村局 ——
    MatterSpec(
        code="M038",
        name="农业补贴发放",
        category="农业农村",
        unit="农业农村局",
        level=TOWNSHIP,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("农业补贴", "农机补贴", "种粮补贴", "玉米补贴"),
        description="受理农机购置补贴、种植类补贴等农业补贴的申报和发放查询。",
        materials=("身份证", "惠农一卡通或银行卡"),
    ),
    MatterSpec(
        code="M039",
        name="耕地地力保护补贴",
        category="农业农村",
        unit="农业农村局",
        level=TOWNSHIP,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(7, WORKING_DAYS),
        keywords=("地力补贴", "耕地补贴", "种地补贴", "补贴没到账"),
        description="受理耕地地力保护补贴面积核实、发放对象变更及未到账问题。",
        materials=("身份证", "土地承包经营权证", "惠农一卡通或银行卡"),
    ),
    MatterSpec(
        code="M040",
        name="土地承包经营权纠纷",
        category="矛盾纠纷",
        unit="农业农村局",
        level=TOWNSHIP,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("承包地", "土地纠纷", "地界", "土地流转", "确权"),
        description="受理农村土地承包、流转、地界等纠纷，由乡镇先行调解，必要时提交仲裁。",
        needs_site_check=True,
    ),
    # —— 水利局 ——
    MatterSpec(
        code="M041",
        name="农村饮水安全",
        category="水电气暖",
        unit="水利局",
        level=TOWNSHIP,
        response_limit=(4, CALENDAR_HOURS),
        resolution_limit=URGENT_RESOLUTION,
        keywords=("村里没水", "吃水难", "水井", "水泵坏", "自来水"),
        description="受理农村集中供水工程停水、水泵故障、管道冻裂等影响饮水的问题。",
        needs_site_check=True,
    ),
    MatterSpec(
        code="M042",
        name="河道防汛隐患",
        category="安全生产",
        unit="水利局",
        level=TOWNSHIP,
        response_limit=URGENT_RESPONSE,
        resolution_limit=(5, WORKING_DAYS),
        keywords=("河道", "淤堵", "防汛", "河堤", "采砂"),
        description="受理河道淤堵、堤防损毁、乱采乱挖等影响行洪安全的问题。",
        needs_site_check=True,
    ),
    # —— 市场监管局 ——
    MatterSpec(
        code="M043",
        name="食品安全投诉",
        category="市场监管",
        unit="市场监管局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(7, WORKING_DAYS),
        keywords=("食品安全", "过期", "变质", "吃坏肚子", "小饭馆"),
        description="受理食品过期变质、餐饮卫生、无证经营等食品安全问题的投诉举报。",
    ),
    MatterSpec(
        code="M044",
        name="消费纠纷投诉",
        category="市场监管",
        unit="市场监管局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(7, WORKING_DAYS),
        keywords=("消费投诉", "退货", "假货", "缺斤短两", "乱收费"),
        description="受理商品质量、计量、价格及经营者侵害消费者权益的投诉并组织调解。",
    ),
    MatterSpec(
        code="M045",
        name="电梯故障困人",
        category="安全生产",
        unit="市场监管局",
        level=COUNTY,
        response_limit=(1, CALENDAR_HOURS),
        resolution_limit=URGENT_RESOLUTION,
        keywords=("电梯", "困人", "电梯坏了", "电梯停运"),
        description="受理电梯困人、停运及运行异常报告，督促维保单位到场处置。",
    ),
    # —— 司法局 ——
    MatterSpec(
        code="M046",
        name="邻里纠纷调解",
        category="矛盾纠纷",
        unit="司法局",
        level=COMMUNITY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(7, WORKING_DAYS),
        keywords=("邻居", "吵架", "纠纷", "调解", "占道堆物"),
        description="由社区（村）人民调解委员会调解邻里、家庭及宅基地相邻关系等民间纠纷。",
    ),
    MatterSpec(
        code="M047",
        name="法律援助申请",
        category="政策咨询",
        unit="司法局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(7, WORKING_DAYS),
        keywords=("法律援助", "请律师", "打官司", "法律咨询"),
        description="受理经济困难群众及特定案件当事人的法律援助申请和法律咨询。",
        materials=("身份证", "经济困难状况说明", "与案件有关的材料"),
    ),
    # —— 信访局 ——
    MatterSpec(
        code="M048",
        name="信访事项办理进度查询",
        category="政策咨询",
        unit="信访局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(3, WORKING_DAYS),
        keywords=("信访", "上访", "办理进度", "答复意见"),
        description="为信访人查询已登记信访事项的受理、转办及答复进度。",
        materials=("身份证",),
    ),
    MatterSpec(
        code="M049",
        name="跨部门疑难诉求协调",
        category="矛盾纠纷",
        unit="信访局",
        level=COUNTY,
        response_limit=DAY_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("多部门", "推诿", "协调", "疑难"),
        description="内部协调事项：对涉及多个部门、职责不清或反复诉求的疑难件组织会商并明确主办单位。",
        public=False,
    ),
    # —— 退役军人局 ——
    MatterSpec(
        code="M050",
        name="退役军人优待证申领",
        category="优抚安置",
        unit="退役军人局",
        level=COMMUNITY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("优待证", "退役军人", "老兵", "军属"),
        description="受理退役军人和其他优抚对象优待证的申领、补换及使用咨询。",
        materials=("身份证", "退役证件", "近期免冠照片"),
    ),
    MatterSpec(
        code="M051",
        name="优抚对象抚恤补助",
        category="优抚安置",
        unit="退役军人局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(7, WORKING_DAYS),
        keywords=("抚恤金", "优抚", "定补", "参战补助"),
        description="受理优抚对象抚恤补助资格认定、待遇调整及发放查询。",
        materials=("身份证", "户口簿", "相关身份证明材料"),
    ),
    MatterSpec(
        code="M052",
        name="退役军人就业创业扶持",
        category="优抚安置",
        unit="退役军人局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(5, WORKING_DAYS),
        keywords=("退役就业", "创业贷款", "技能培训", "退伍安置"),
        description="为退役军人提供就业推荐、技能培训及创业扶持政策咨询。",
        materials=("身份证", "退役证件"),
    ),
    # —— 应急局 ——
    MatterSpec(
        code="M053",
        name="安全隐患举报",
        category="安全生产",
        unit="应急局",
        level=COMMUNITY,
        response_limit=URGENT_RESPONSE,
        resolution_limit=URGENT_RESOLUTION,
        keywords=("安全隐患", "煤气罐", "私存油品", "消防通道", "危险"),
        description="受理生产经营场所、人员密集场所及居民区安全隐患的举报，先由网格核查再转有关部门处置。",
        needs_site_check=True,
    ),
    MatterSpec(
        code="M054",
        name="自然灾害受灾救助",
        category="民政救助",
        unit="应急局",
        level=TOWNSHIP,
        response_limit=(4, CALENDAR_HOURS),
        resolution_limit=(5, WORKING_DAYS),
        keywords=("受灾", "暴雨", "冰雹", "房屋倒塌", "山体滑坡"),
        description="受理暴雨、冰雹、地质灾害等造成的受灾群众临时生活救助和倒损房屋核查。",
        needs_site_check=True,
    ),
    # —— 综合执法局 ——
    MatterSpec(
        code="M055",
        name="路灯不亮",
        category="公共设施",
        unit="综合执法局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(3, WORKING_DAYS),
        keywords=("路灯", "灯不亮", "路灯坏", "黑灯", "晚上太黑"),
        description="受理城区道路、小区周边路灯不亮、闪烁及灯杆损坏的报修。",
        needs_site_check=True,
    ),
    MatterSpec(
        code="M056",
        name="垃圾清运不及时",
        category="城市管理",
        unit="综合执法局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(1, WORKING_DAYS),
        keywords=("垃圾", "垃圾桶满", "没人收垃圾", "垃圾站", "臭"),
        description="受理生活垃圾清运不及时、垃圾桶满溢及垃圾站周边脏乱的问题。",
        needs_site_check=True,
    ),
    MatterSpec(
        code="M057",
        name="占道经营",
        category="城市管理",
        unit="综合执法局",
        level=COMMUNITY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(3, WORKING_DAYS),
        keywords=("占道", "摆摊", "流动摊贩", "店外经营", "堵路"),
        description="受理流动摊贩占道、店外经营及占用人行道堆放物品等问题。",
        needs_site_check=True,
    ),
    MatterSpec(
        code="M058",
        name="噪音扰民",
        category="城市管理",
        unit="综合执法局",
        level=COMMUNITY,
        response_limit=(1, WORKING_HOURS),
        resolution_limit=(3, WORKING_DAYS),
        keywords=("噪音", "太吵", "夜间施工", "广场舞", "音响"),
        description="受理夜间施工、商铺外放音响、广场舞等噪声扰民问题。",
        needs_site_check=True,
    ),
    MatterSpec(
        code="M059",
        name="违章搭建",
        category="城市管理",
        unit="综合执法局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("违建", "私搭乱建", "违章建筑", "占用绿地"),
        description="受理城区私搭乱建、占用公共空间及绿地搭建构筑物的举报。",
        needs_site_check=True,
    ),
    MatterSpec(
        code="M060",
        name="井盖缺失破损",
        category="公共设施",
        unit="综合执法局",
        level=COUNTY,
        response_limit=URGENT_RESPONSE,
        resolution_limit=URGENT_RESOLUTION,
        keywords=("井盖", "井盖丢了", "窨井", "下水井"),
        description="受理道路及小区井盖缺失、破损、松动等危及行人车辆安全的问题。",
        needs_site_check=True,
    ),
    # —— 交通局 ——
    MatterSpec(
        code="M061",
        name="公交线路咨询",
        category="交通出行",
        unit="交通局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(3, WORKING_DAYS),
        keywords=("公交", "班车", "几点发车", "客运站", "线路"),
        description="解答县城公交、城乡客运班线的线路、班次时间及增设站点建议。",
    ),
    MatterSpec(
        code="M062",
        name="农村公路破损",
        category="交通出行",
        unit="交通局",
        level=TOWNSHIP,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("村道", "通村路", "路冲毁", "塌方", "桥"),
        description="受理通村公路、乡道路面损毁、塌方及桥涵损坏等问题。",
        needs_site_check=True,
    ),
    # —— 自然资源局 ——
    MatterSpec(
        code="M063",
        name="不动产登记咨询",
        category="住房保障",
        unit="自然资源局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(3, WORKING_DAYS),
        keywords=("房产证", "不动产证", "过户", "办证难"),
        description="解答房屋买卖过户、首次登记、抵押登记及安置房办证的材料和流程。",
        materials=("身份证", "户口簿", "购房合同或权属来源材料"),
    ),
    MatterSpec(
        code="M064",
        name="违法占地举报",
        category="农业农村",
        unit="自然资源局",
        level=TOWNSHIP,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("占耕地", "违法占地", "乱建房", "挖土"),
        description="受理未经批准占用耕地建房、取土及改变土地用途等违法用地的举报。",
        needs_site_check=True,
    ),
    # —— 财政局 ——
    MatterSpec(
        code="M065",
        name="惠民惠农补贴一卡通查询",
        category="政策咨询",
        unit="财政局",
        level=TOWNSHIP,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(5, WORKING_DAYS),
        keywords=("一卡通", "补贴卡", "补贴查询", "钱没到"),
        description="查询通过惠民惠农财政补贴一卡通发放的各项补贴到账情况并处理卡号变更。",
        materials=("身份证", "一卡通存折或银行卡"),
    ),
    MatterSpec(
        code="M066",
        name="涉农资金拨付协调",
        category="政策咨询",
        unit="财政局",
        level=COUNTY,
        response_limit=DAY_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("资金拨付", "资金未到位", "项目资金", "协调"),
        description="内部协调事项：核查补贴及项目资金拨付进度，协调主管部门与乡镇解决资金未到位问题。",
        public=False,
    ),
    # —— 发改局 ——
    MatterSpec(
        code="M067",
        name="价格政策咨询",
        category="政策咨询",
        unit="发改局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(3, WORKING_DAYS),
        keywords=("阶梯电价", "水价", "暖气费标准", "收费标准"),
        description="解答居民阶梯电价、水价、供暖价格等政府定价项目的政策口径。",
    ),
    MatterSpec(
        code="M068",
        name="重点项目建设问题协调",
        category="政策咨询",
        unit="发改局",
        level=COUNTY,
        response_limit=DAY_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("重点项目", "施工影响", "项目协调", "工程进度"),
        description="内部协调事项：汇总重点项目建设中群众反映的施工影响等问题，协调项目单位和属地处理。",
        public=False,
    ),
    # —— 乡村振兴局 ——
    MatterSpec(
        code="M069",
        name="防返贫监测帮扶申请",
        category="农业农村",
        unit="乡村振兴局",
        level=COMMUNITY,
        response_limit=DAY_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("防返贫", "监测户", "返贫", "因病致贫", "帮扶"),
        description="受理因病、因灾、因意外等存在返贫致贫风险家庭的自主申报，纳入监测并落实帮扶。",
        materials=("身份证", "户口簿", "困难情况说明"),
    ),
    MatterSpec(
        code="M070",
        name="易地搬迁后续扶持政策咨询",
        category="易地搬迁",
        unit="乡村振兴局",
        level=COMMUNITY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(3, WORKING_DAYS),
        keywords=("搬迁", "移民", "后续扶持", "安置房", "搬迁补助"),
        description="解答易地扶贫搬迁群众后续扶持、就业帮扶、产业扶持等政策。",
        materials=("身份证", "户口簿"),
    ),
    MatterSpec(
        code="M071",
        name="搬迁群众权益落实反映",
        category="易地搬迁",
        unit="乡村振兴局",
        level=COMMUNITY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(7, WORKING_DAYS),
        keywords=("搬迁户", "权益", "没落实", "旧宅", "承包地"),
        description="受理搬迁群众在原籍承包地、林地、补贴等权益未落实的反映，经三级联动跟踪办结。",
    ),
    # —— 残联 ——
    MatterSpec(
        code="M072",
        name="残疾人证办理",
        category="社会保障",
        unit="残联",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("残疾证", "残疾评定", "残疾鉴定", "换残疾证"),
        description="受理残疾人证的新办、换领、迁移及残疾等级评定。",
        materials=("身份证", "户口簿", "近期免冠照片"),
    ),
    MatterSpec(
        code="M073",
        name="残疾人辅助器具申请",
        category="社会保障",
        unit="残联",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(15, WORKING_DAYS),
        keywords=("轮椅", "助听器", "辅具", "拐杖", "康复"),
        description="受理残疾人轮椅、助听器等辅助器具适配申请及康复服务咨询。",
        materials=("身份证", "残疾人证"),
    ),
    # —— 妇联 ——
    MatterSpec(
        code="M074",
        name="妇女儿童权益维护",
        category="矛盾纠纷",
        unit="妇联",
        level=COMMUNITY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(7, WORKING_DAYS),
        keywords=("家暴", "婚姻家庭", "妇女维权", "抚养费"),
        description="受理婚姻家庭矛盾、家庭暴力及侵害妇女儿童权益的求助，会同有关部门处置。",
    ),
    MatterSpec(
        code="M075",
        name="妇女就业创业帮扶",
        category="政策咨询",
        unit="妇联",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(5, WORKING_DAYS),
        keywords=("巾帼", "家政培训", "妇女创业", "手工"),
        description="为妇女提供家政、手工等技能培训报名及创业扶持政策咨询。",
        materials=("身份证",),
    ),
    # —— 团县委 ——
    MatterSpec(
        code="M076",
        name="六点半课堂报名",
        category="教育",
        unit="团县委",
        level=COMMUNITY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(3, WORKING_DAYS),
        keywords=("六点半课堂", "放学托管", "辅导作业", "孩子没人管"),
        description="受理社区团工委“六点半课堂”放学后托管和作业辅导的报名咨询。",
        materials=("学生户口簿或学生证",),
    ),
    MatterSpec(
        code="M077",
        name="青年就业见习咨询",
        category="政策咨询",
        unit="团县委",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(5, WORKING_DAYS),
        keywords=("见习", "毕业生", "青年就业", "实习岗位"),
        description="解答高校毕业生和失业青年就业见习岗位、见习补贴等政策。",
        materials=("身份证", "毕业证书"),
    ),
    # —— 审批局 ——
    MatterSpec(
        code="M078",
        name="个体工商户营业执照办理",
        category="市场监管",
        unit="审批局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(3, WORKING_DAYS),
        keywords=("营业执照", "开店", "个体户", "执照变更"),
        description="办理个体工商户营业执照的设立、变更、注销登记及咨询。",
        materials=("经营者身份证", "经营场所证明"),
    ),
    MatterSpec(
        code="M079",
        name="政务服务窗口投诉",
        category="政策咨询",
        unit="审批局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(7, WORKING_DAYS),
        keywords=("办事难", "窗口态度", "来回跑", "材料太多"),
        description="受理政务服务中心窗口服务态度、多次跑腿、要求重复提交材料等投诉。",
    ),
    # —— 税务局 ——
    MatterSpec(
        code="M080",
        name="个人所得税汇算咨询",
        category="政策咨询",
        unit="税务局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(3, WORKING_DAYS),
        keywords=("个税", "退税", "汇算", "专项附加扣除"),
        description="解答个人所得税年度汇算、专项附加扣除填报及退税进度问题。",
        materials=("身份证",),
    ),
    MatterSpec(
        code="M081",
        name="代开发票",
        category="政策咨询",
        unit="税务局",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(3, WORKING_DAYS),
        keywords=("开发票", "代开发票", "劳务发票", "卖粮发票"),
        description="为自然人及小规模经营者办理代开发票并解答相关税费问题。",
        materials=("身份证", "合同或交易证明"),
    ),
    # —— 供水公司 ——
    MatterSpec(
        code="M082",
        name="供水停水报修",
        category="水电气暖",
        unit="供水公司",
        level=COUNTY,
        response_limit=URGENT_RESPONSE,
        resolution_limit=URGENT_RESOLUTION,
        keywords=("停水", "没水", "水压低", "自来水", "水小"),
        description="受理城区自来水停水、水压不足及水质浑浊的报修和停水原因查询。",
    ),
    MatterSpec(
        code="M083",
        name="水管漏水",
        category="水电气暖",
        unit="供水公司",
        level=COUNTY,
        response_limit=URGENT_RESPONSE,
        resolution_limit=URGENT_RESOLUTION,
        keywords=("漏水", "水管爆了", "跑水", "水表漏", "管道破裂"),
        description="受理供水管网、水表及表前管道漏水、爆管的抢修。",
        needs_site_check=True,
    ),
    MatterSpec(
        code="M084",
        name="水费缴纳及用水报装",
        category="水电气暖",
        unit="供水公司",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(5, WORKING_DAYS),
        keywords=("水费", "交水费", "报装", "水表过户", "水费高"),
        description="办理水费缴纳、水费异常核查、新装水表及用水户过户。",
        materials=("身份证", "房屋权属证明"),
    ),
    # —— 供电公司 ——
    MatterSpec(
        code="M085",
        name="停电报修",
        category="水电气暖",
        unit="供电公司",
        level=COUNTY,
        response_limit=URGENT_RESPONSE,
        resolution_limit=URGENT_RESOLUTION,
        keywords=("停电", "没电", "跳闸", "电压低", "断电"),
        description="受理居民及单位用电故障停电、电压异常的报修和计划停电查询。",
    ),
    MatterSpec(
        code="M086",
        name="电费缴纳咨询",
        category="水电气暖",
        unit="供电公司",
        level=COUNTY,
        response_limit=QUICK_RESPONSE,
        resolution_limit=(3, WORKING_DAYS),
        keywords=("电费", "交电费", "电费高", "欠费停电", "电表"),
        description="解答电费缴纳方式、电费异常、欠费复电及电表核查等问题。",
        materials=("用电户号或身份证",),
    ),
    MatterSpec(
        code="M087",
        name="电力线路安全隐患",
        category="安全生产",
        unit="供电公司",
        level=COUNTY,
        response_limit=URGENT_RESPONSE,
        resolution_limit=URGENT_RESOLUTION,
        keywords=("电线", "电线杆倒", "私拉电线", "电线垂地", "变压器"),
        description="受理电线断落、电杆倾斜、私拉乱接等电力线路安全隐患的报告。",
        needs_site_check=True,
    ),
)

WORKING_TIME = "工作日 8:30-12:00，14:30-18:00"

ARTICLES: tuple[ArticleSpec, ...] = (
    ArticleSpec(
        matter="M001",
        title="就业登记和就业创业证怎么办",
        body=(
            "在法定劳动年龄内、有劳动能力和就业愿望的城乡居民，可在户籍地或常住地办理就业或失业登记。"
            "登记后可申领就业创业证，享受公共就业服务和相关扶持政策。"
            "可到所在社区（村）便民服务站或县政务服务中心人社窗口办理，也可通过省人社网上平台申报。"
            "具体扶持政策以县人社局公布的为准。"
        ),
        materials=("身份证", "户口簿"),
        office="社区（村）便民服务站或县政务服务中心一楼人社窗口",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M002",
        title="失业保险金如何申领",
        body=(
            "参加失业保险、非因本人意愿中断就业且已办理失业登记的人员，可按规定申领失业保险金。"
            "申领可在县政务服务中心人社窗口办理，也可通过网上经办平台或手机应用办理。"
            "领取期限和标准根据缴费年限等确定，以县人社局公布的标准为准。"
            "领取期间应按要求参加求职或培训，重新就业后停止领取。"
        ),
        materials=("身份证", "社会保障卡", "解除或终止劳动关系证明"),
        office="县政务服务中心一楼人社窗口",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M003",
        title="灵活就业人员怎样参加职工养老保险",
        body=(
            "无雇工的个体工商户、未在用人单位参加社保的非全日制从业人员等灵活就业人员，可按规定以个人身份参保。"
            "首次参保需在人社窗口办理登记，之后可按月、按季或按年通过税务渠道缴费。"
            "缴费基数在规定范围内自主选择，具体以县人社局和税务部门公布的标准为准。"
            "中断缴费后可按规定续缴。"
        ),
        materials=("身份证", "社会保障卡"),
        office="县政务服务中心一楼人社窗口",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M004",
        title="城乡居民养老保险参保和缴费",
        body=(
            "年满16周岁、不是在校学生、未参加职工养老保险的城乡居民，可在户籍地参加城乡居民养老保险。"
            "参保登记可到所在社区（村）便民服务站办理，每年可在规定期间选择缴费档次缴费。"
            "多缴多得，长缴多得；缴费档次和政府补贴以县人社局公布的标准为准。"
            "符合领取条件后按月领取养老金。"
        ),
        materials=("身份证", "户口簿"),
        office="社区（村）便民服务站",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M005",
        title="养老金领取资格认证怎么做",
        body=(
            "领取养老保险待遇的人员每年需完成一次领取资格认证。"
            "可通过手机应用刷脸认证，行动不便的老人可请社区（村）工作人员上门协助。"
            "未按期认证的可能暂停发放，完成认证后按规定恢复并补发。"
            "具体认证时间以县人社局通知为准。"
        ),
        materials=("身份证", "社会保障卡"),
        office="社区（村）便民服务站",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M006",
        title="社会保障卡申领、补换和激活",
        body=(
            "参保人员可在县政务服务中心人社窗口或合作银行网点申领社会保障卡。"
            "卡片丢失应先挂失，再办理补卡；即时制卡网点可当场取卡。"
            "新卡需到银行网点激活金融功能后使用。"
            "收费以窗口公示为准。"
        ),
        materials=("身份证", "近期免冠照片"),
        office="县政务服务中心一楼人社窗口或社保卡合作银行网点",
        hours=WORKING_TIME,
        fees="首次申领免费，补换卡按窗口公示标准收取",
    ),
    ArticleSpec(
        matter="M008",
        title="最低生活保障怎么申请",
        body=(
            "家庭人均收入低于当地低保标准且财产状况符合规定的本县户籍家庭，可申请最低生活保障。"
            "申请人向户籍所在社区（村）或乡镇提出书面申请，经入户调查、民主评议、公示后由县民政局审批。"
            "低保标准和保障金额以县民政局公布的标准为准。"
            "家庭情况变化时应及时报告，接受定期复核。"
        ),
        materials=("身份证", "户口簿", "家庭收入及财产情况说明", "银行卡"),
        office="户籍所在社区（村）便民服务站或乡镇便民服务中心",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M009",
        title="特困人员救助供养申请",
        body=(
            "无劳动能力、无生活来源、无法定赡养抚养扶养义务人或其义务人无履行能力的老年人、残疾人和未成年人，可申请特困供养。"
            "由本人或委托他人向户籍所在乡镇提出申请，经调查核实后由县民政局审批。"
            "供养方式分为分散供养和集中供养，本人可自愿选择。"
            "供养标准以县民政局公布的为准。"
        ),
        materials=("身份证", "户口簿"),
        office="户籍所在乡镇便民服务中心民政窗口",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M010",
        title="遇到突发困难怎么申请临时救助",
        body=(
            "因火灾、交通事故、突发重病等导致基本生活暂时出现严重困难的家庭或个人，可申请临时救助。"
            "可向所在乡镇或社区（村）提出申请，情况紧急的可先行救助、后补手续。"
            "救助金额根据困难程度确定，以县民政局公布的标准为准。"
        ),
        materials=("身份证", "户口簿", "困难情况证明材料"),
        office="所在乡镇便民服务中心或社区（村）便民服务站",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M011",
        title="高龄津贴如何申领",
        body=(
            "达到规定年龄的本县户籍老年人可申领高龄津贴。"
            "由本人或家属到户籍所在社区（村）登记，审核后按月或按季发放到本人账户。"
            "发放年龄段和标准以县民政局公布的为准。"
            "领取人去世后家属应及时告知社区（村）停发。"
        ),
        materials=("身份证", "户口簿", "银行卡"),
        office="户籍所在社区（村）便民服务站",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M012",
        title="残疾人两项补贴申请",
        body=(
            "困难残疾人生活补贴面向低保家庭等困难家庭中的残疾人，重度残疾人护理补贴面向残疾等级较重的残疾人。"
            "持残疾人证到户籍所在社区（村）提出申请，经乡镇审核、县民政局审定后发放。"
            "两项补贴可同时享受，补贴标准以县民政局公布的为准。"
        ),
        materials=("身份证", "户口簿", "残疾人证", "银行卡"),
        office="户籍所在社区（村）便民服务站",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M013",
        title="结婚、离婚登记和补领结婚证",
        body=(
            "结婚登记需男女双方本人共同到婚姻登记机关办理。"
            "协议离婚按规定需经过冷静期，双方两次到场。"
            "婚姻登记证遗失可向原登记机关或按规定申请补领。"
            "建议先通过网上预约，具体材料以婚姻登记处告知为准。"
        ),
        materials=("身份证", "户口簿", "近期双人合影照片"),
        office="县民政局婚姻登记处",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M014",
        title="老人需要居家养老服务怎么办",
        body=(
            "社区日间照料中心可为老年人提供助餐、文化娱乐、短期照料等服务。"
            "有上门服务需求的，可向所在社区（村）登记，由工作人员对接养老服务机构。"
            "对经济困难的失能、高龄老人，符合条件的可享受政府购买服务。"
            "服务项目和补助范围以县民政局公布的为准。"
        ),
        materials=("老人身份证",),
        office="所在社区（村）便民服务站或社区日间照料中心",
        hours=WORKING_TIME,
        fees="基本服务免费，个性化服务按公示价格收取",
    ),
    ArticleSpec(
        matter="M015",
        title="困境儿童基本生活保障",
        body=(
            "孤儿、事实无人抚养儿童等可申请基本生活保障。"
            "由监护人或社区（村）儿童主任协助向乡镇提出申请，经核实后报县民政局审批。"
            "保障标准以县民政局公布的为准。"
            "社区（村）儿童主任会定期入户了解儿童生活和学习情况。"
        ),
        materials=("儿童户口簿", "监护人身份证", "相关情况证明"),
        office="所在乡镇便民服务中心民政窗口",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M016",
        title="城乡居民医保怎么参保缴费",
        body=(
            "未参加职工医保的城乡居民可参加城乡居民基本医疗保险，以家庭为单位按年度缴费。"
            "集中缴费期内可通过手机应用、银行或社区（村）代收渠道缴费。"
            "新生儿可在出生后按规定办理参保。"
            "个人缴费标准以县医保局公布的为准，特困、低保等困难群众按规定享受资助参保。"
        ),
        materials=("身份证", "户口簿"),
        office="社区（村）便民服务站或县政务服务中心一楼医保窗口",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M017",
        title="异地就医备案办理",
        body=(
            "长期在外地居住、工作或需要转外地治疗的参保人，就医前应先办理异地就医备案。"
            "可通过国家医保服务平台手机应用自助备案，也可到县医保窗口办理。"
            "备案后在开通直接结算的定点医疗机构可直接结算。"
            "报销比例按备案类型确定，以县医保局公布的政策为准。"
        ),
        materials=("身份证", "社会保障卡"),
        office="县政务服务中心一楼医保窗口",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M018",
        title="门诊慢特病认定申请",
        body=(
            "患有高血压、糖尿病等规定病种的参保人可申请门诊慢特病待遇认定。"
            "申请时提交近期病历、检查报告等材料，经专家评审认定后享受门诊待遇。"
            "认定病种和报销政策以县医保局公布的为准。"
        ),
        materials=("身份证", "社会保障卡", "病历及诊断证明"),
        office="县政务服务中心一楼医保窗口",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M019",
        title="医疗费用手工报销",
        body=(
            "因未备案、急诊抢救等原因未能直接结算的医疗费用，可到医保窗口申请手工报销。"
            "请保留好发票原件、费用清单和出院小结等材料。"
            "审核通过后报销款转入本人账户，报销比例以县医保局公布的政策为准。"
            "申请期限有规定，请尽早办理。"
        ),
        materials=("身份证", "社会保障卡", "医疗费用发票", "费用清单", "出院小结", "银行卡"),
        office="县政务服务中心一楼医保窗口",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M020",
        title="医疗救助怎么申请",
        body=(
            "特困人员、低保对象、防返贫监测对象等困难群众，经基本医保和大病保险报销后个人负担仍较重的，可申请医疗救助。"
            "多数情况在定点医院出院时“一站式”直接结算；未能直接结算的，可向乡镇提出申请。"
            "救助比例和年度限额以县医保局公布的标准为准。"
        ),
        materials=("身份证", "户口簿", "医疗费用票据", "报销结算单"),
        office="所在乡镇便民服务中心",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M021",
        title="医保关系转移接续",
        body=(
            "跨地区流动就业的参保人可办理基本医疗保险关系转移接续。"
            "可通过国家医保服务平台线上申请，也可到转入地医保窗口办理。"
            "转移后缴费年限按规定合并计算。"
            "具体手续以县医保局告知为准。"
        ),
        materials=("身份证", "社会保障卡", "参保凭证"),
        office="县政务服务中心一楼医保窗口",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M022",
        title="公租房申请条件和流程",
        body=(
            "本县城镇中低收入住房困难家庭、新就业无房职工等可申请公共租赁住房。"
            "向所在社区提出申请，经社区初审、住建局审核并公示后进入轮候。"
            "收入和住房困难标准以县住建局公布的为准，房源按轮候顺序配租。"
            "承租后家庭情况发生变化的，应按规定申报。"
        ),
        materials=("身份证", "户口簿", "收入情况证明", "住房情况证明"),
        office="所在社区党群服务中心或县政务服务中心二楼住建窗口",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M025",
        title="农村危房改造申请",
        body=(
            "农村低收入群体等重点对象居住的房屋经鉴定为危房的，可申请危房改造。"
            "向所在村提出申请，乡镇组织入户核查和房屋安全鉴定，县住建局审核。"
            "改造方式和补助标准以县住建局公布的为准。"
            "改造完成后需验收合格方可拨付补助资金。"
        ),
        materials=("身份证", "户口簿", "房屋现状照片"),
        office="所在乡镇便民服务中心",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M028",
        title="户口迁移怎么办理",
        body=(
            "户口迁移分为县内迁移和跨县迁移，跨省迁移已逐步实行“一站式”办理。"
            "符合落户条件的，可直接到迁入地户政窗口申请，无需再回迁出地开具证明。"
            "易地搬迁群众落户由社区协助，按县公安局要求办理。"
            "具体条件以县公安局户政窗口告知为准。"
        ),
        materials=("身份证", "户口簿", "落户地址证明"),
        office="县公安局户政服务大厅",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M029",
        title="居住证怎么办理",
        body=(
            "非本县户籍人员在本县居住并符合合法稳定就业、合法稳定住所或连续就读条件之一的，可申领居住证。"
            "先在居住地派出所办理居住登记，居住满规定期限后申领居住证。"
            "持居住证可按规定享受当地基本公共服务。"
        ),
        materials=("身份证", "居住证明"),
        office="居住地派出所或县公安局户政服务大厅",
        hours=WORKING_TIME,
        fees="首次申领免费",
    ),
    ArticleSpec(
        matter="M030",
        title="身份证申领、换领和补领",
        body=(
            "居民身份证到期前可提前申请换领，遗失后应及时申请补领。"
            "目前可在全国范围内异地办理身份证。"
            "急需用证的可同时申请临时居民身份证。"
            "制证时间和收费以户政窗口公示为准。"
        ),
        materials=("户口簿", "原身份证"),
        office="县公安局户政服务大厅",
        hours=WORKING_TIME,
        fees="按国家规定标准收取工本费，具体以窗口公示为准",
    ),
    ArticleSpec(
        matter="M031",
        title="新生儿出生登记落户",
        body=(
            "新生儿出生后应及时办理出生登记，一般随父亲或母亲落户。"
            "部分地区已实行“出生一件事”联办，可同时办理落户、医保参保和社保卡申领。"
            "具体材料以县公安局户政窗口告知为准。"
        ),
        materials=("出生医学证明", "父母身份证", "父母户口簿", "结婚证"),
        office="县公安局户政服务大厅或县政务服务中心综合窗口",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M032",
        title="家庭医生签约服务",
        body=(
            "居民可自愿与所在社区卫生服务站或乡镇卫生院的家庭医生团队签约。"
            "签约后可获得健康咨询、慢病随访、健康体检等服务，老年人和慢病患者优先。"
            "基础签约服务免费，个性化服务包以县卫体局公布的为准。"
        ),
        materials=("身份证",),
        office="所在社区卫生服务站或乡镇卫生院",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M033",
        title="孩子打疫苗去哪里、要带什么",
        body=(
            "儿童免疫规划疫苗在户籍地或居住地的预防接种门诊接种，免费接种。"
            "接种时请带好预防接种证，按预约时间前往。"
            "错过接种时间的，可咨询接种门诊按规定补种。"
            "接种门诊开放时间以各卫生院公布的为准。"
        ),
        materials=("预防接种证", "儿童户口簿或出生医学证明"),
        office="所在乡镇卫生院或社区卫生服务中心预防接种门诊",
        hours="以各接种门诊公布时间为准",
        fees="免疫规划疫苗免费，非免疫规划疫苗按规定收费",
    ),
    ArticleSpec(
        matter="M034",
        title="计划生育家庭奖励扶助申请",
        body=(
            "符合条件的农村部分计划生育家庭夫妻，达到规定年龄后可申请奖励扶助。"
            "独生子女伤残或死亡的家庭，可申请计划生育特殊家庭扶助。"
            "每年按规定时间在户籍所在乡镇申报，经审核公示后发放。"
            "扶助标准以县卫体局公布的为准。"
        ),
        materials=("身份证", "户口簿", "独生子女父母光荣证"),
        office="户籍所在乡镇便民服务中心",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M035",
        title="小学、初中入学和转学",
        body=(
            "义务教育阶段实行划片就近免试入学，招生范围和报名时间以县教科局每年发布的招生公告为准。"
            "易地搬迁家庭子女按安置社区所属学区入学。"
            "转学一般在学期初办理，需转出、转入学校同意。"
        ),
        materials=("儿童户口簿", "监护人身份证", "房产证明或租房合同", "预防接种证"),
        office="县教育科技局或相关学校",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M036",
        title="家庭困难学生资助",
        body=(
            "学前教育到高等教育各阶段均有相应的学生资助政策。"
            "在校学生一般通过学校申请，家庭经济困难学生可优先认定。"
            "考入大学的学生可在户籍地申请生源地信用助学贷款。"
            "资助项目和标准以县教科局学生资助管理中心公布的为准。"
        ),
        materials=("学生身份证或户口簿", "家庭经济困难情况说明", "学生证或录取通知书"),
        office="县教育科技局学生资助管理中心或就读学校",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M038",
        title="农业补贴怎么申报、怎么查询",
        body=(
            "农机购置补贴、种植类补贴等按年度由乡镇组织申报，经核实公示后发放。"
            "补贴一般通过惠民惠农一卡通发放到本人账户。"
            "补贴品目和标准以县农业农村局公布的为准。"
            "未到账的可到乡镇便民服务中心查询。"
        ),
        materials=("身份证", "惠农一卡通或银行卡"),
        office="所在乡镇便民服务中心农经窗口",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M039",
        title="耕地地力保护补贴",
        body=(
            "耕地地力保护补贴对象原则上为拥有耕地承包权的种地农民。"
            "补贴面积以村组核实、乡镇审核并公示的数据为准。"
            "已改变用途或长期撂荒的耕地按规定不予补贴。"
            "补贴标准以县农业农村局公布的为准。"
        ),
        materials=("身份证", "土地承包经营权证", "惠农一卡通或银行卡"),
        office="所在乡镇便民服务中心农经窗口",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M047",
        title="法律援助怎么申请",
        body=(
            "经济困难公民以及法律规定的特定案件当事人，可申请法律援助。"
            "可到县公共法律服务中心或拨打公共法律服务热线咨询。"
            "经审查符合条件的，由法律援助机构指派律师提供服务。"
            "追索劳动报酬等特定事项不受经济困难条件限制。"
        ),
        materials=("身份证", "经济困难状况说明", "与案件有关的材料"),
        office="县公共法律服务中心",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M048",
        title="信访事项办理进度怎么查",
        body=(
            "已登记的信访事项，可凭受理告知书到县信访局接待大厅或通过网上信访平台查询。"
            "有关部门将在规定期限内作出处理意见并书面答复。"
            "对答复不服的，可按规定申请复查。"
        ),
        materials=("身份证", "受理告知书"),
        office="县信访局接待大厅",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M050",
        title="退役军人优待证申领",
        body=(
            "退役军人和其他优抚对象可申领优待证。"
            "由本人到户籍所在社区（村）退役军人服务站登记，逐级审核后统一制发。"
            "持证可按规定享受交通、文旅等方面的优待，具体以县退役军人局公布的为准。"
        ),
        materials=("身份证", "退役证件", "近期免冠照片"),
        office="所在社区（村）退役军人服务站",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M051",
        title="优抚对象抚恤补助",
        body=(
            "伤残军人、烈士遗属、在乡老复员军人等优抚对象按规定享受抚恤补助。"
            "新认定对象需提交身份证明材料，经审核后按规定发放。"
            "补助标准按国家和省规定执行，以县退役军人局公布的为准。"
        ),
        materials=("身份证", "户口簿", "相关身份证明材料"),
        office="县退役军人服务中心",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M052",
        title="退役军人就业创业扶持",
        body=(
            "退役军人可参加免费的职业技能培训，享受就业推荐和招聘会服务。"
            "自主创业的可按规定申请创业担保贷款等扶持。"
            "具体政策以县退役军人局公布的为准。"
        ),
        materials=("身份证", "退役证件"),
        office="县退役军人服务中心",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M061",
        title="县城公交和城乡班车",
        body=(
            "县城公交线路和城乡客运班线的站点、首末班时间以县交通运输局公布的为准。"
            "节假日和恶劣天气时班次可能调整，请留意客运站公告。"
            "对增设站点或线路的建议可通过热线反映，交通部门统一研究答复。"
        ),
        office="县交通运输局或县汽车客运站",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M063",
        title="不动产登记办理",
        body=(
            "房屋买卖、继承、抵押等需办理不动产登记。"
            "买卖过户一般由买卖双方共同到不动产登记窗口申请。"
            "易地搬迁安置房的办证由安置社区统一组织，进度可向社区咨询。"
            "登记费按规定收取，以窗口公示为准。"
        ),
        materials=("身份证", "户口簿", "购房合同或权属来源材料"),
        office="县政务服务中心不动产登记窗口",
        hours=WORKING_TIME,
        fees="按规定收取登记费，具体以窗口公示为准",
    ),
    ArticleSpec(
        matter="M065",
        title="惠民惠农补贴一卡通查询",
        body=(
            "各项惠民惠农财政补贴原则上通过一卡通发放到本人账户。"
            "可到乡镇财政所或发卡银行查询到账明细。"
            "卡片丢失或需更换账户的，应先到银行挂失补办，再到乡镇登记变更。"
        ),
        materials=("身份证", "一卡通存折或银行卡"),
        office="所在乡镇财政所或发卡银行网点",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M067",
        title="居民用电、用水和供暖价格",
        body=(
            "居民生活用电执行阶梯电价，用水和集中供暖价格由政府按程序核定。"
            "现行价格标准以县发展和改革局公布的为准。"
            "对收费有疑问的，可先向供电、供水或供热单位核实计费情况。"
        ),
        office="县发展和改革局",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M069",
        title="防返贫监测怎么申报",
        body=(
            "因病、因灾、因意外事故等导致收入骤减或支出骤增、存在返贫致贫风险的家庭，可自主申报。"
            "向所在社区（村）提出申请，经入户核实和评议后纳入监测。"
            "纳入后根据风险类型落实相应帮扶措施，风险消除后按程序退出。"
        ),
        materials=("身份证", "户口簿", "困难情况说明"),
        office="所在社区（村）便民服务站",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M070",
        title="易地搬迁后续扶持政策",
        body=(
            "易地扶贫搬迁群众在就业、产业、教育、医疗等方面享受后续扶持政策。"
            "安置社区建立“移民社区—属地乡镇—县直部门”三级联动机制，搬迁户的各项权益有人管、有人帮。"
            "具体政策可到石楼小镇社区党群服务中心咨询，或拨打24小时便民服务热线。"
            "政策内容以县乡村振兴局公布的为准。"
        ),
        materials=("身份证", "户口簿"),
        office="石楼小镇社区党群服务中心",
        hours="24小时便民服务热线；窗口工作日 8:30-12:00，14:30-18:00",
    ),
    ArticleSpec(
        matter="M072",
        title="残疾人证怎么办",
        body=(
            "申请人持户口簿、身份证到县残联窗口申请，再到指定医疗机构进行残疾评定。"
            "评定合格后由县残联审核发证。"
            "行动不便的可申请上门评定。"
            "持证可按规定享受相关补贴和服务。"
        ),
        materials=("身份证", "户口簿", "近期免冠照片"),
        office="县政务服务中心残联窗口",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M073",
        title="残疾人辅助器具适配",
        body=(
            "持证残疾人可申请轮椅、助听器、助行器等基本辅助器具适配。"
            "向县残联提出申请，经评估后适配。"
            "适配项目和补贴范围以县残联公布的为准。"
        ),
        materials=("身份证", "残疾人证"),
        office="县政务服务中心残联窗口",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M075",
        title="妇女技能培训和创业扶持",
        body=(
            "县妇联定期组织家政服务、手工编织、电商等技能培训，城乡妇女均可报名。"
            "有创业意愿的妇女可咨询创业担保贷款等扶持政策。"
            "培训时间和名额以县妇联发布的通知为准。"
        ),
        materials=("身份证",),
        office="县妇女联合会",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M076",
        title="六点半课堂报名",
        body=(
            "社区团工委在放学后开设“六点半课堂”，由志愿者辅导学生完成作业。"
            "家住安置社区的中小学生可由家长到社区党群服务中心报名。"
            "名额有限，按报名先后安排。"
        ),
        materials=("学生户口簿或学生证",),
        office="石楼小镇社区党群服务中心",
        hours="上学日 16:30-18:30",
    ),
    ArticleSpec(
        matter="M077",
        title="青年就业见习",
        body=(
            "离校未就业高校毕业生和符合条件的失业青年可报名参加就业见习。"
            "见习岗位由见习基地提供，见习期间按规定享受见习补贴。"
            "岗位信息和补贴标准以团县委和县人社局发布的为准。"
        ),
        materials=("身份证", "毕业证书"),
        office="团县委或县政务服务中心一楼人社窗口",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M078",
        title="个体工商户营业执照办理",
        body=(
            "经营者可到县政务服务中心市场主体登记窗口办理，也可通过网上登记平台全程网办。"
            "材料齐全、符合法定形式的当场或在短时间内办结。"
            "涉及食品经营等许可事项的，需另行申请相关许可。"
        ),
        materials=("经营者身份证", "经营场所证明"),
        office="县政务服务中心市场主体登记窗口",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M080",
        title="个人所得税年度汇算",
        body=(
            "纳税人可通过个人所得税手机应用办理年度汇算，填报专项附加扣除。"
            "多缴税款可申请退税，少缴的应按期补缴。"
            "办理时间和条件以税务部门当年公告为准。"
            "操作有困难的可到税务窗口获得辅导。"
        ),
        materials=("身份证",),
        office="县政务服务中心税务窗口",
        hours=WORKING_TIME,
    ),
    ArticleSpec(
        matter="M081",
        title="自然人代开发票",
        body=(
            "自然人发生劳务、销售农产品等应税行为需要发票的，可申请代开。"
            "可通过电子税务局或手机应用申请，也可到税务窗口办理。"
            "涉及的税费按规定缴纳，是否享受优惠以税务部门核定为准。"
        ),
        materials=("身份证", "合同或交易证明"),
        office="县政务服务中心税务窗口",
        hours=WORKING_TIME,
        fees="代开免费，税款按规定缴纳",
    ),
    ArticleSpec(
        matter="M084",
        title="交水费、新装水表和过户",
        body=(
            "水费可通过供水公司营业厅、银行代收或线上渠道缴纳。"
            "新建房屋用水报装需提交申请，经现场勘查后安装水表。"
            "房屋买卖后应及时办理用水户过户。"
            "水费标准以县发展和改革局核定的价格为准。"
        ),
        materials=("身份证", "房屋权属证明"),
        office="县供水公司营业厅",
        hours=WORKING_TIME,
        fees="咨询免费；报装工程费用按公示标准收取",
    ),
    ArticleSpec(
        matter="M086",
        title="电费缴纳和电费异常",
        body=(
            "电费可通过供电营业厅、网上国网手机应用或银行渠道缴纳。"
            "欠费停电的，缴清电费后一般可自动或申请复电。"
            "对电量有疑问的，可申请校验电能表。"
            "电价以县发展和改革局公布的为准。"
        ),
        materials=("用电户号或身份证",),
        office="供电营业厅",
        hours="营业厅每日 8:30-17:30；供电服务热线24小时",
    ),
)

DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "M001": (
        "来电人刚从外地打工回来，想在石楼小镇社区办就业登记，问需要带什么材料。",
        "东城社区居民咨询失业登记后能不能享受免费技能培训。",
        "胡家峪村二组村民想办就业创业证，问在村里能不能办。",
        "来电人说去年办过失业登记，现在找到工作了，问怎么变更就业登记。",
    ),
    "M002": (
        "来电人说原单位上月解除劳动合同，想问失业金怎么申领。",
        "西城社区居民反映失业金申领两周了还没到账，要求查询进度。",
        "来电人咨询自己交了几年失业保险，能领几个月失业金。",
        "来电人在外地参保后回石楼居住，问失业金能不能在县里领。",
    ),
    "M003": (
        "来电人在县城开小超市，想以个人身份交职工养老保险，问怎么办。",
        "南关社区居民说之前灵活就业交社保中断了一年，问能不能补缴。",
        "来电人咨询灵活就业缴费基数怎么选，每年什么时候交。",
        "来电人反映手机上交灵活就业社保提示缴费失败，要求核查。",
    ),
    "M004": (
        "罗村镇张家河村村民咨询城乡居民养老保险今年缴费截止到什么时候。",
        "来电人给家里老人交居民养老，问缴费档次有几档、哪档合适。",
        "石楼小镇社区搬迁户反映户口迁过来后居民养老不知道在哪交。",
        "义牒镇薛家坪村村民问居民养老交满十五年后每月能领多少。",
    ),
    "M005": (
        "来电人父亲八十多岁行动不便，问养老金资格认证能否上门办理。",
        "北关社区老人反映这个月养老金没发，怀疑没做资格认证。",
        "来电人用手机刷脸认证一直不通过，请社区帮忙操作。",
        "小蒜镇贺家岔村老人问今年的养老认证什么时候开始做。",
    ),
    "M006": (
        "来电人社保卡丢了，问去哪里挂失补办，能不能当天拿到。",
        "龙泉社区居民咨询新领的社保卡怎么激活金融功能。",
        "来电人孩子刚出生，问小孩能不能办社保卡。",
        "来电人说社保卡芯片坏了看病刷不出来，问怎么换卡。",
    ),
    "M007": (
        "来电人在县城某工地干活三个月，包工头拖欠工资至今未付。",
        "十几名工人反映石楼小镇附近工地停工后工钱一直没结清。",
        "来电人说在辛关镇修路干了两个月零工，老板不接电话不给钱。",
        "来电人反映装修队拖欠半年工资，多次讨要无果，请求帮助。",
        "和合乡郭家塔村村民反映外出务工回来，工资被拖欠过年前没给。",
    ),
    "M008": (
        "胡家峪村二组村民丈夫重病不能劳动，想申请低保，问怎么办理。",
        "来电人咨询低保申请需要哪些材料，家里有辆旧车影响不影响。",
        "石楼小镇社区居民反映申请低保已经一个多月，不知道审到哪一步。",
        "来电人反映家中老人独居、无收入，询问能否单独申请低保。",
    ),
    "M009": (
        "裴沟乡阳坡村一位老人无儿无女、无收入，村民代为咨询特困供养。",
        "来电人反映邻居老人孤身一人生活困难，希望能进敬老院。",
        "曹家垣乡任家沟村村干部咨询特困人员集中供养的办理流程。",
    ),
    "M010": (
        "来电人家里前几天失火，屋里东西烧没了，想申请临时救助。",
        "龙交乡龙交村村民孩子突发重病住院，家里拿不出钱，请求救助。",
        "来电人说丈夫车祸受伤在医院，家里生活困难，问能不能申请临时救助。",
        "西城社区居民反映外地来石楼务工人员钱包被偷，生活无着请求帮助。",
    ),
    "M011": (
        "来电人母亲今年满八十岁，问高龄津贴怎么申请、去哪里办。",
        "屈产社区老人反映高龄津贴好几个月没到账，要求查询。",
        "来电人咨询户口刚迁到石楼的老人能不能领高龄津贴。",
    ),
    "M012": (
        "来电人儿子是一级肢体残疾，问能不能申请重度残疾人护理补贴。",
        "辛关镇枣林村残疾人反映两项补贴今年还没有发放。",
        "来电人咨询低保户中的残疾人能不能同时领两项补贴。",
        "石楼小镇社区搬迁户说残疾补贴迁户口后停了，要求恢复。",
    ),
    "M013": (
        "来电人下个月准备结婚，问结婚登记需要带什么、要不要预约。",
        "来电人结婚证丢失，问补领结婚证要到哪里办理。",
        "来电人咨询户口不在石楼能不能在县里办结婚登记。",
    ),
    "M014": (
        "来电人父母年纪大、子女在外地，问社区有没有上门照顾的服务。",
        "东城社区居民咨询日间照料中心能不能给老人提供午饭。",
        "来电人反映独居老人行动不便，希望安排人定期上门看望。",
        "石楼小镇社区居民问老年食堂开饭时间和收费情况。",
    ),
    "M015": (
        "来电人反映邻居家孩子父母一个去世一个失联，跟爷爷生活困难。",
        "和合乡冯家沟村村干部咨询事实无人抚养儿童的认定条件。",
        "来电人问孤儿基本生活费申请后多长时间能发放。",
    ),
    "M016": (
        "来电人问今年城乡居民医保什么时候开始交、交多少钱。",
        "石楼小镇社区搬迁户说在老家交了医保，问搬过来后在哪里交。",
        "来电人孩子刚出生一个月，问新生儿医保怎么参保。",
        "小蒜镇南峪村村民反映手机上交医保显示已缴费但查不到记录。",
        "来电人说外出打工忘了交医保，问能不能补交。",
    ),
    "M017": (
        "来电人常年在太原带孙子，问在太原看病怎么办异地就医备案。",
        "来电人父亲需要转到省城医院手术，问转诊备案怎么办。",
        "来电人在外省务工，问手机上能不能办理异地就医备案。",
        "来电人说已经备案了但在外地医院结算时提示未备案，要求核查。",
    ),
    "M018": (
        "来电人母亲有糖尿病多年，问门诊慢病卡怎么申请。",
        "西城社区居民咨询高血压能不能办门诊慢特病，需要什么检查。",
        "来电人反映慢特病申请交上去一个多月了，不知道通过没有。",
    ),
    "M019": (
        "来电人在外地住院没能直接结算，问回来后怎么手工报销。",
        "来电人反映住院费用交去报销两个月了还没到账。",
        "罗村镇上庄村村民咨询急诊抢救的费用能不能报销、要带什么。",
        "来电人问手工报销需要出院小结原件还是复印件。",
    ),
    "M020": (
        "来电人家中是低保户，孩子住院自付部分还很高，问能否申请医疗救助。",
        "义牒镇高家沟村村民反映大病报销后仍欠医院不少钱，请求救助。",
        "来电人咨询医疗救助需要先报销还是先申请，在哪里办。",
    ),
    "M021": (
        "来电人从外地单位辞职回石楼，问医保关系怎么转回来。",
        "来电人要去外省工作，问县里的医保怎么转出。",
        "来电人反映医保转移申请提交后一直显示办理中，要求催办。",
    ),
    "M022": (
        "来电人在县城租房住，家庭收入低，问公租房怎么申请。",
        "南关社区居民反映公租房申请已经交了半年，问轮候到哪里了。",
        "来电人咨询新就业的年轻人能不能申请公租房。",
        "来电人问公租房的租金标准和能住多长时间。",
    ),
    "M023": (
        "石楼小镇5号楼居民反映物业不打扫楼道，垃圾堆了好几天。",
        "来电人反映小区物业费上涨没有公示，业主不认可。",
        "东城社区某小区居民反映单元门门禁坏了半个月物业不修。",
        "来电人反映物业停车收费不合理，与物业协商无果。",
    ),
    "M024": (
        "石楼小镇3号楼2单元顶层住户反映下雨屋顶漏水，墙面发霉。",
        "来电人反映安置房卫生间往楼下渗水，楼下邻居天花板也湿了。",
        "西城社区老旧小区居民反映外墙渗水，卧室墙皮大面积脱落。",
        "石楼小镇7号楼住户说楼顶防水层破损，每逢下雨家里漏水。",
    ),
    "M025": (
        "小蒜镇杨家峪村村民反映自家窑洞出现裂缝，担心下雨坍塌。",
        "来电人替村里独居老人咨询危房改造怎么申请。",
        "龙交乡苗家沟村村民反映土坯房墙体开裂，请求鉴定。",
        "和合乡西峪村村干部反映有两户房屋年久失修，申请危房改造。",
    ),
    "M026": (
        "来电人反映家里暖气片冰凉，室温只有十度左右，老人孩子受不了。",
        "北关社区某小区整栋楼暖气不热，已经三天了。",
        "来电人反映暖气管道在楼道里漏水，地面结冰。",
        "石楼小镇6号楼住户说顶楼暖气不热，楼下正常。",
    ),
    "M027": (
        "来电人反映县城东关路路面有大坑，晚上骑电动车差点摔倒。",
        "龙泉社区附近人行道砖松动翘起，老人走路容易绊倒。",
        "来电人反映石楼小镇门口道路下雨后塌陷，车辆无法通行。",
        "西城社区学校门口路面破损严重，雨天积水。",
    ),
    "M028": (
        "来电人要把户口从义牒镇迁到县城，问需要带什么材料。",
        "石楼小镇社区搬迁户咨询户口迁入安置社区的办理流程。",
        "来电人在外省买了房，问户口迁出去需要回石楼开证明吗。",
        "来电人咨询大学毕业后户口迁回原籍怎么办理。",
    ),
    "M029": (
        "来电人是外地人在石楼做生意，问居住证怎么办、多久能拿到。",
        "来电人在县城务工，咨询居住证过期了怎么续签、要不要重新登记。",
        "来电人问孩子在石楼上学，家长办居住证需要哪些材料。",
    ),
    "M030": (
        "来电人身份证下个月到期，问能不能提前换、在哪里换。",
        "来电人身份证丢了，急着坐火车，问能不能办临时身份证。",
        "来电人在外地工作，问能不能在当地补办石楼户籍的身份证。",
        "来电人孩子十岁了，问小孩办身份证需要带什么。",
    ),
    "M031": (
        "来电人孩子刚出生，问新生儿上户口要带哪些材料。",
        "来电人咨询孩子出生证明丢了还能不能落户。",
        "石楼小镇社区居民问孩子上户口能不能同时办医保。",
    ),
    "M032": (
        "来电人父亲有高血压，想签约家庭医生，问怎么签、要不要钱。",
        "东城社区居民反映签约家庭医生后一次也没联系过，要求落实服务。",
        "来电人咨询家庭医生能不能上门给卧床老人看病。",
    ),
    "M033": (
        "来电人孩子该打疫苗了，问石楼小镇附近哪里能接种。",
        "来电人说孩子疫苗漏打了一针，问怎么补种。",
        "来电人说孩子的预防接种本丢了，咨询到哪里补办。",
        "辛关镇马家畔村村民问村卫生室能不能给孩子打疫苗。",
    ),
    "M034": (
        "来电人是独生子女父母，今年满六十岁，问奖励扶助怎么申请。",
        "曹家垣乡杜家峁村村民反映计生奖扶今年还没有发放。",
        "来电人咨询独生子女光荣证丢了还能不能申请奖扶。",
    ),
    "M035": (
        "来电人孩子今年满六岁，问小学一年级什么时候报名、要带什么。",
        "石楼小镇社区搬迁户问孩子从老家学校转到小镇学校怎么办。",
        "来电人咨询在县城租房住，孩子能不能在县城上学。",
        "来电人反映孩子所在学区学校离家太远，问能否调整。",
    ),
    "M036": (
        "来电人家庭困难，孩子上高中，问有没有助学金可以申请。",
        "来电人孩子考上大学，问生源地助学贷款在哪里办。",
        "来电人反映孩子的助学金学校说已发放，但家里没收到。",
        "罗村镇郝家塔村村民咨询雨露计划补助怎么申请。",
    ),
    "M037": (
        "来电人反映孩子报的培训班关门了，剩下的课时费退不回来。",
        "来电人举报县城某小区有人在家里违规办学科培训班。",
        "来电人反映培训机构承诺的课程没上完就换老师，要求退费。",
    ),
    "M038": (
        "来电人去年买了农机，问农机购置补贴怎么申请、多久到账。",
        "义牒镇呼家峁村村民反映今年种植补贴还没到账。",
        "和合乡和合村村民咨询种谷子有没有补贴，找谁申报。",
    ),
    "M039": (
        "来电人反映耕地地力补贴面积比实际承包的少了，要求核实。",
        "裴沟乡赵家坪村村民问地力补贴今年什么时候发。",
        "来电人说承包地流转给别人种了，问地力补贴给谁。",
        "石楼小镇社区搬迁户反映老家的地力补贴停发了，要求查询。",
    ),
    "M040": (
        "罗村镇下庄村两户村民因承包地地界发生争执，请求调解。",
        "来电人反映土地流转合同到期对方不还地，要求处理。",
        "来电人说自家承包地被别人占了种树，多次协商无果。",
        "和合乡曹家岔村村民反映土地确权面积与实际不符，要求更正。",
    ),
    "M041": (
        "义牒镇王家畔村村民反映村里自来水已经停了两天，吃水困难。",
        "罗村镇郝家塔村村民反映村里水泵坏了，全村都没水用。",
        "龙交乡圪针塔村村民反映天冷后供水管道冻裂，要求维修。",
        "来电人反映村里水窖的水浑浊发黄，担心不能喝。",
    ),
    "M042": (
        "辛关镇黄河湾村村民反映村边河道被垃圾和杂物堵塞，担心汛期排水。",
        "来电人举报有人在小蒜镇河道里私自挖沙，河床被挖得坑坑洼洼。",
        "来电人反映雨后村口河堤被冲开一个口子，需要加固。",
    ),
    "M043": (
        "来电人在县城某超市买的牛奶过期了，要求处理。",
        "来电人反映石楼小镇附近一家小饭馆后厨卫生很差。",
        "来电人说在县城某餐馆吃饭后一家人拉肚子，要求查处。",
        "来电人举报某流动摊点售卖来源不明的熟食。",
    ),
    "M044": (
        "来电人在县城某手机店买的手机三天就坏了，商家不给退换。",
        "来电人反映某商店称重缺斤短两，买的菜少了不少。",
        "来电人反映县城某理发店办卡后店铺关门，余额无法退还。",
        "来电人投诉某家具店送货延迟一个多月，且不同意退订金。",
    ),
    "M045": (
        "来电人反映东城社区某小区电梯卡在四楼，里面有人被困。",
        "来电人反映小区电梯经常突然停运，担心安全问题。",
        "石楼小镇某楼电梯运行时有异响和抖动，要求检修。",
    ),
    "M046": (
        "石楼小镇4号楼两户邻居因楼道堆放杂物发生争吵，请求调解。",
        "胡家峪村二组两户村民因排水沟问题产生矛盾，请村里调解。",
        "来电人反映楼上邻居家经常漏水又不配合维修，双方闹僵了。",
        "来电人说邻居在自家门口养狗，狗吠扰人多次沟通无效。",
    ),
    "M047": (
        "来电人被拖欠工资想打官司，家庭困难请不起律师，问法律援助。",
        "来电人咨询交通事故赔偿纠纷能不能申请法律援助。",
        "来电人说老人被子女拒绝赡养，想起诉，问怎么申请法援。",
    ),
    "M048": (
        "来电人去年反映的宅基地问题至今没有答复，要求查询进度。",
        "来电人问在信访局登记的事项转到哪个部门了。",
        "来电人对收到的答复意见有异议，咨询如何申请复查。",
    ),
    "M049": (
        "石楼小镇社区上报一起搬迁户诉求，涉及住建和自然资源两部门，需协调主办。",
        "热线反映某小区排水问题多部门均称不属本单位职责，提请协调。",
        "辛关镇上报一件重复来电诉求，涉及多个部门，申请会商。",
    ),
    "M050": (
        "来电人是退役军人，问优待证怎么申领、需要多久。",
        "来电人父亲是老兵，优待证丢失，问怎么补办。",
        "来电人咨询持退役军人优待证乘坐县城公交能不能免费。",
    ),
    "M051": (
        "来电人是在乡老复员军人家属，问抚恤补助今年调整了没有。",
        "来电人反映伤残抚恤金本季度未到账，要求查询。",
        "来电人咨询烈士遗属能享受哪些抚恤优待，需要到哪里认定。",
    ),
    "M052": (
        "来电人刚退役回到石楼，问有没有就业推荐和技能培训。",
        "来电人退役后想开养殖场，问有什么创业扶持政策。",
        "来电人咨询退役军人参加职业技能培训是否免费。",
    ),
    "M053": (
        "来电人举报县城某商铺在店内大量存放液化气罐，存在安全隐患。",
        "来电人反映小区消防通道被车辆长期堵占，消防车进不来。",
        "来电人反映某小加油点私自储存汽油，离居民区很近。",
        "石楼小镇8号楼居民反映楼道里有人给电动车充电，拉线进楼。",
    ),
    "M054": (
        "和合乡寨子上村村民反映昨晚暴雨后自家院墙倒塌，请求救助。",
        "来电人反映冰雹把大棚和庄稼砸坏了，损失严重。",
        "曹家垣乡韩家岔村村民反映山体滑坡冲毁了院子，一家人无处住。",
        "来电人反映暴雨后窑洞进水，屋里东西全泡了。",
    ),
    "M055": (
        "来电人反映石楼小镇3号楼门前路灯连续三晚不亮，夜里出行不便。",
        "来电人反映县城东关路一段路灯全灭，晚上一片漆黑。",
        "西城社区居民反映小区外路灯白天也亮着，浪费电。",
        "来电人反映南关社区附近一根路灯杆歪斜，担心倒下伤人。",
    ),
    "M056": (
        "石楼小镇1号楼旁的垃圾桶满了三天没人清运，气味很大。",
        "东城社区某巷道垃圾堆积好几天没人收，天热招苍蝇。",
        "来电人反映垃圾站周边到处是散落垃圾，清运车来得太少。",
        "北关社区居民反映垃圾清运车每天凌晨作业声音太大。",
    ),
    "M057": (
        "来电人反映县城农贸市场门口流动摊贩占道经营，车辆过不去。",
        "石楼小镇门口早上卖菜摊点占满人行道，行人只能走机动车道。",
        "来电人反映某饭店在店外摆桌经营，占用人行道。",
        "来电人反映学校门口摊贩聚集，上下学时段交通拥堵。",
    ),
    "M058": (
        "来电人反映东城社区附近工地夜里十一点后还在施工，噪音很大。",
        "石楼小镇广场舞音响声音太大，晚上影响孩子写作业和老人休息。",
        "来电人反映楼下商铺整天用大喇叭外放广告，吵得受不了。",
        "来电人反映小区附近夜市烧烤摊深夜喧哗扰民。",
    ),
    "M059": (
        "来电人举报小区一楼住户在公共绿地上私自搭建彩钢房。",
        "来电人反映县城某楼顶有人私自加盖房屋，存在安全隐患。",
        "西城社区居民反映有人在巷道口私搭棚子，影响通行。",
    ),
    "M060": (
        "来电人反映县城东关路一处井盖丢失，晚上很危险。",
        "石楼小镇2号楼前井盖破裂松动，车辆经过响声很大。",
        "来电人反映学校附近下水井盖缺失，已经有人踩空受伤。",
    ),
    "M061": (
        "来电人问从县城到罗村镇的班车每天几点发车。",
        "来电人建议在石楼小镇门口增设一个公交站点。",
        "来电人咨询县城公交线路是否经过县人民医院。",
        "来电人反映去辛关镇的班车近期减少了班次，出行不便。",
    ),
    "M062": (
        "龙交乡东庄村村民反映通村公路被雨水冲毁一段，车辆无法通行。",
        "来电人反映裴沟乡乡道有塌方落石，需要清理。",
        "来电人反映村口小桥桥面开裂，担心大车通过时垮塌。",
        "曹家垣乡枣坪村村民反映村道坑洼不平，三轮车经常翻。",
    ),
    "M063": (
        "来电人买了二手房，问过户需要带什么材料、交哪些费用。",
        "石楼小镇社区搬迁户咨询安置房的不动产证什么时候能办下来。",
        "来电人父母去世后房产继承，问不动产登记怎么办。",
    ),
    "M064": (
        "来电人举报罗村镇上庄村有人在承包的耕地上打地基建房。",
        "来电人反映有人在小蒜镇村边耕地上大量取土挖坑。",
        "来电人举报有人占用基本农田堆放建筑材料。",
    ),
    "M065": (
        "来电人问自家的惠农补贴都打到哪张卡上了，怎么查。",
        "来电人一卡通存折丢了，问补贴还能不能领、怎么换卡。",
        "石楼小镇社区搬迁户反映一卡通上好几项补贴没到账。",
    ),
    "M066": (
        "乡镇上报高龄津贴资金已审批但迟迟未拨付到位，请求财政协调。",
        "石楼小镇社区反映后扶项目资金未到账，影响项目施工。",
        "和合乡上报危房改造补助资金拨付滞后，群众多次来电询问。",
    ),
    "M067": (
        "来电人咨询居民阶梯电价是怎么分档计费的。",
        "来电人问县城居民用水价格今年有没有调整。",
        "来电人咨询集中供暖按面积收费的标准是多少、谁定的。",
    ),
    "M068": (
        "热线汇总县城某重点项目夜间施工扰民来电多次，需协调项目单位。",
        "某重点工程施工占道导致周边道路拥堵，社区请求协调。",
        "辛关镇上报重点项目征地补偿相关群众诉求，请求协调处理。",
    ),
    "M069": (
        "来电人家中孩子突患重病，花费很大，问能否申报防返贫监测。",
        "小蒜镇小蒜村村民家里遭了灾，收入骤减，询问帮扶政策。",
        "来电人咨询被纳入监测户后有哪些帮扶措施。",
    ),
    "M070": (
        "石楼小镇社区搬迁户咨询搬迁后老家的补贴政策还能不能享受。",
        "来电人问易地搬迁群众有没有就业帮扶和技能培训。",
        "来电人咨询安置社区有没有针对搬迁户的产业扶持项目。",
        "来电人问搬迁后孩子上学、老人看病有什么后续扶持政策。",
    ),
    "M071": (
        "石楼小镇社区搬迁户反映原籍的承包地被他人占种，权益没落实。",
        "来电人反映搬迁后老家林地补贴一直没有发放。",
        "来电人反映搬迁户旧宅复垦后承诺的补助迟迟未兑现。",
    ),
    "M072": (
        "来电人孩子听力有问题，问残疾证怎么办、去哪里评定。",
        "来电人残疾证到期了，问换证需要重新鉴定吗。",
        "来电人母亲卧床不起，问残疾评定能不能上门。",
    ),
    "M073": (
        "来电人父亲腿脚不便，问残联能不能申请轮椅。",
        "来电人孩子听力残疾，咨询助听器适配有没有补助。",
        "来电人反映申请的辅助器具半年了还没发下来。",
    ),
    "M074": (
        "来电人反映丈夫酒后经常打骂自己，请求妇联帮助。",
        "来电人离婚后前夫一直不给孩子抚养费，问怎么维权。",
        "东城社区居民反映邻居家经常传来打骂声，担心孩子受虐。",
    ),
    "M075": (
        "来电人是全职妈妈，想学家政技能找工作，问有没有培训班。",
        "石楼小镇社区妇女咨询手工编织培训什么时候开班。",
        "来电人想在家开网店，问妇女创业有没有扶持政策。",
    ),
    "M076": (
        "来电人孩子上三年级，父母下班晚，问六点半课堂怎么报名。",
        "石楼小镇社区搬迁户咨询六点半课堂还有没有名额。",
        "来电人问石楼小镇社区的六点半课堂寒暑假期间开不开。",
    ),
    "M077": (
        "来电人大学刚毕业在家待业，问县里有没有就业见习岗位。",
        "来电人咨询就业见习期间有没有补贴、见习多长时间。",
        "来电人问中专毕业生能不能参加青年就业见习。",
    ),
    "M078": (
        "来电人想在县城开一家小吃店，问营业执照怎么办。",
        "来电人咨询个体户经营地址变了，营业执照怎么变更。",
        "来电人问营业执照能不能在网上办理，不用跑窗口。",
    ),
    "M079": (
        "来电人反映在政务服务中心办事，窗口让来回跑了三趟还没办成。",
        "来电人投诉某窗口工作人员态度生硬，不解释原因。",
        "来电人反映办事要求提交的材料系统里本来就有，却要重复提交。",
    ),
    "M080": (
        "来电人问个税年度汇算什么时候开始，怎么在手机上办理。",
        "来电人咨询赡养老人专项附加扣除怎么填报。",
        "来电人反映个税退税申请提交很久了还没到账。",
    ),
    "M081": (
        "来电人给单位干了点零活，对方要发票，问个人怎么代开。",
        "来电人卖了一批核桃，收购方要发票，问农户能不能代开。",
        "来电人咨询个人代开劳务发票要交哪些税费、能不能网上办。",
    ),
    "M082": (
        "石楼小镇5号楼从早上开始停水，没有接到任何停水通知。",
        "来电人反映东城社区某小区水压太低，高层根本上不去水。",
        "屈产社区居民反映家里自来水发黄浑浊，放了很久也不清，不敢喝。",
        "西城社区居民反映整条巷子停水一天了，请求尽快恢复。",
    ),
    "M083": (
        "来电人反映县城东关路边地下水管爆裂，水流满了路面。",
        "石楼小镇2号楼单元门口水表井一直往外冒水。",
        "来电人反映自家水表前的管道漏水，水费猛涨。",
        "南关社区居民反映小区主水管漏水，地面已经结冰。",
    ),
    "M084": (
        "来电人反映这个月水费比平时高出很多，怀疑水表有问题。",
        "来电人新买的房子要开通用水，问报装需要什么手续。",
        "来电人问现在交水费有哪些渠道，能不能手机交。",
        "来电人在南关社区买了二手房，问水表过户怎么办理。",
    ),
    "M085": (
        "来电人反映整栋楼突然停电，已经两个多小时了。",
        "胡家峪村二组村民反映村里停电，大棚的设备都停了。",
        "来电人反映家里电压不稳，灯一直闪，电器不敢用。",
        "北关社区居民反映小区又停电了，没有看到停电通知。",
    ),
    "M086": (
        "来电人反映这个月电费突然比平时高了一倍，要求核查电表。",
        "来电人家里欠费停电了，问交了电费后多久能来电。",
        "来电人咨询老人不会用手机，电费还能去哪里交。",
        "来电人在龙泉社区买了新房，问电表怎么过户到自己名下。",
    ),
    "M087": (
        "来电人反映村口电线杆被车撞歪了，电线垂得很低。",
        "来电人反映小区有人私拉电线给电动车充电，线就挂在树上。",
        "石楼小镇附近一处电线断落在地，附近有孩子玩耍，非常危险。",
        "来电人反映变压器附近有杂草起火冒烟，担心引发事故。",
    ),
}


def _check(condition: bool, what: object) -> None:
    # A real raise rather than `assert`, so the check also runs under `python -O`.
    if not condition:
        raise AssertionError(what)


def check_catalogue() -> None:
    """Check the catalogue's invariants; raises AssertionError on the first broken one."""
    _check(len(MATTERS) == MATTER_COUNT, f"{len(MATTERS)} matters")
    codes = [m.code for m in MATTERS]
    _check(codes == [f"M{i:03d}" for i in range(1, MATTER_COUNT + 1)], "codes M001..M087 in order")
    names = [m.name for m in MATTERS]
    _check(len(set(names)) == len(names), "duplicate matter name")
    _check(len(set(UNIT_SHORT_NAMES)) == len(UNIT_SHORT_NAMES) == 27, "27 distinct units")
    _check({m.unit for m in MATTERS} == set(UNIT_SHORT_NAMES), "every unit used, no other")
    for unit in UNIT_SHORT_NAMES:
        _check(sum(m.unit == unit for m in MATTERS) >= 2, f"{unit}: fewer than 2 matters")
    for m in MATTERS:
        _check(m.category in CATEGORIES, (m.code, m.category))
        _check(m.level in LEVELS, (m.code, m.level))
        for amount, limit_unit in (m.response_limit, m.resolution_limit):
            _check(amount > 0, (m.code, "limit not positive"))
            _check(limit_unit in LIMIT_UNITS, (m.code, limit_unit))
        _check(3 <= len(m.keywords) <= 6, (m.code, "3–6 keywords"))
        _check(len(set(m.keywords)) == len(m.keywords), (m.code, "duplicate keyword"))
        _check(len("，".join(m.keywords)) <= 300, (m.code, "keywords too long"))
        _check(0 < len(m.name) <= 100, (m.code, "name"))
        _check(0 < len(m.description) <= 300, (m.code, "description"))
    _check(set(DESCRIPTIONS) == set(codes), "descriptions for every matter, no other")
    for code, texts in DESCRIPTIONS.items():
        _check(3 <= len(texts) <= 5, (code, "3–5 descriptions"))
        _check(len(set(texts)) == len(texts), (code, "duplicate description"))
        for text in texts:
            _check(20 <= len(text) <= 60, (code, text))
    article_codes = [a.matter for a in ARTICLES]
    _check(set(article_codes) <= set(codes), "articles reference existing matters")
    _check(len(set(article_codes)) >= 40, "articles for at least 40 matters")
    for a in ARTICLES:
        _check(0 < len(a.title) <= 100, (a.matter, "title"))
        _check(3 <= a.body.count("。") <= 6, (a.matter, "body of 3–6 sentences"))
        for field in (a.office, a.hours, a.fees):
            _check(0 < len(field) <= 100, (a.matter, field))
