"""The default indicators of the 三化三力 scorecard: the article's figures and the issue's
indicators, each a registered figure or a ratio of two (docs/scorecard.md lists them). A county
changes them in the admin; this only fills an empty table."""

from django.db import migrations

C, R = "count", "rate"
COMMUNITY, CADRES, RELOCATION = "community", "cadres", "relocation"

# (code, pillar, label, label_en, definition, definition_en, unit, figure, per)
DEFAULTS = [
    ("grids_level1", COMMUNITY, "一级网格", "First-level grids",
     "区域内现有的一级网格数（大网格）。",
     "First-level (large) grids in the area, now.", C, "grids_level1", ""),
    ("grids_level2", COMMUNITY, "二级网格", "Second-level grids",
     "区域内现有的二级网格数（小网格）。",
     "Second-level (small) grids in the area, now.", C, "grids_level2", ""),
    ("grids_level3", COMMUNITY, "三级网格（微网格）", "Third-level (micro) grids",
     "区域内现有的三级网格数（微网格）。",
     "Third-level (micro) grids in the area, now.", C, "grids_level3", ""),
    ("grids_staffed", COMMUNITY, "微网格配备率", "Micro grids staffed",
     "今天有网格员在岗的微网格 ÷ 全部微网格。",
     "Micro grids with a grid worker in post today, divided by all micro grids.",
     R, "grids_staffed", "grids_level3"),
    ("grid_duty_lists", COMMUNITY, "职责清单到岗率", "Duty lists in place",
     "网格员岗位有职责清单的微网格 ÷ 配备网格员的微网格。",
     "Staffed micro grids whose grid worker's post has a duty list, divided by staffed "
     "micro grids.", R, "grids_with_duties", "grids_staffed"),
    ("units_county", COMMUNITY, "县级职能部门", "County units",
     "承接职能事项的县级单位数。",
     "County-level units that own functional matters, now.", C, "units_county", ""),
    ("matters_active", COMMUNITY, "职能事项", "Functional matters",
     "在用的职能事项数，按责任单位的服务区域统计。",
     "Functional matters in use, placed where their responsible unit serves.",
     C, "matters_active", ""),
    ("cases_received", COMMUNITY, "受理诉求", "Requests received",
     "本期登记的诉求件数（热线、巡查、走访、联络站等各渠道）。",
     "Requests registered in the period, by every channel.", C, "received", ""),
    ("served_person_times", COMMUNITY, "服务群众人次", "Residents served (person-times)",
     "本期服务群众的人次：一户一天无论通过诉求、入户走访还是参加活动，均只计一人次；"
     "没有登记户的诉求每件计一人次。",
     "Person-times served in the period: a household counts once a day, whether served by "
     "a request, a home visit or an activity; a request with no household counts once.",
     C, "served_person_times", ""),
    ("response_rate", COMMUNITY, "响应率", "Response rate",
     "本期登记的诉求中，按时签收的 ÷ 应签收的。",
     "Of the period's requests, those accepted within the response limit, divided by "
     "those due for acceptance.", R, "response_rate", ""),
    ("resolution_rate", COMMUNITY, "办结率", "Resolution rate",
     "本期交办的诉求中，办结且未重办的 ÷ 交办的。",
     "Of the period's requests handed to a unit, those resolved and never reopened, "
     "divided by those handed.", R, "resolution_rate", ""),
    ("satisfaction_rate", COMMUNITY, "满意率", "Satisfaction rate",
     "本期回访的诉求中，满意和基本满意的 ÷ 已回访的。",
     "Of the period's reviewed requests, those satisfied or basically satisfied, divided "
     "by those reviewed.", R, "satisfaction_rate", ""),
    ("visits", COMMUNITY, "入户走访人次", "Home visits",
     "本期记录的入户走访次数（千名党员进万户）。",
     "Home visits logged in the period.", C, "visits", ""),
    ("visit_plan_coverage", COMMUNITY, "走访计划按期率", "Visit plans on schedule",
     "纳入走访计划的户中，下次走访未逾期的 ÷ 全部计划户（现时数）。",
     "Households under a visit plan whose next visit is not overdue, divided by all "
     "planned households, now.", R, "plan_coverage", ""),
    ("disputes_settled", COMMUNITY, "矛盾纠纷化解", "Disputes settled",
     "本期化解的矛盾纠纷件数。", "Disputes settled in the period.", C, "settled", ""),
    ("disputes_high_risk_open", COMMUNITY, "高风险纠纷未化解", "High-risk disputes open",
     "红色风险且尚未化解的矛盾纠纷（现时数）。",
     "Red-risk disputes still open, now.", C, "high_risk_open", ""),
    ("stars_5", CADRES, "五星村干部", "Five-star cadres",
     "本期确认的年度考核中评为五星的村（社区）干部。",
     "Annual appraisals confirmed in the period with five stars.", C, "cadre_stars_5", ""),
    ("stars_4", CADRES, "四星村干部", "Four-star cadres",
     "本期确认的年度考核中评为四星的。",
     "Annual appraisals confirmed in the period with four stars.", C, "cadre_stars_4", ""),
    ("stars_3", CADRES, "三星村干部", "Three-star cadres",
     "本期确认的年度考核中评为三星的。",
     "Annual appraisals confirmed in the period with three stars.", C, "cadre_stars_3", ""),
    ("stars_2", CADRES, "二星村干部", "Two-star cadres",
     "本期确认的年度考核中评为二星的。",
     "Annual appraisals confirmed in the period with two stars.", C, "cadre_stars_2", ""),
    ("stars_1", CADRES, "一星村干部", "One-star cadres",
     "本期确认的年度考核中评为一星的。",
     "Annual appraisals confirmed in the period with one star.", C, "cadre_stars_1", ""),
    ("grade_excellent", CADRES, "考核优秀", "Appraised excellent",
     "本期确认的年度考核中等次为优秀的。",
     "Annual appraisals confirmed in the period graded excellent.",
     C, "cadre_grade_excellent", ""),
    ("training_sessions", CADRES, "培训班次", "Training sessions",
     "本期开班的干部培训班次。", "Cadre training sessions starting in the period.",
     C, "training_sessions", ""),
    ("training_person_times", CADRES, "培训人次", "Training attendances",
     "本期开班的培训中到课的人次。",
     "Attendances marked present at sessions starting in the period.",
     C, "training_person_times", ""),
    ("training_secretary_coverage", CADRES, "书记培训覆盖率", "Secretaries trained",
     "在任村（社区）党组织书记中，本年度参加过培训的 ÷ 在任书记（现时数）。",
     "Village and community party secretaries in post who attended a session this year, "
     "divided by all in post, now.", R, "training_secretary_coverage", ""),
    ("assets_mu_recovered", CADRES, "收回土地（亩）", "Land recovered (mu)",
     "本期清化收行动收回的集体土地亩数之和。",
     "Collective land recovered by the clean-up actions taken in the period, in mu.",
     "mu", "asset_mu_recovered", ""),
    ("assets_problems_open", CADRES, "待化解资产问题", "Asset problems open",
     "清化收中发现且尚未化解的问题（现时数）。",
     "Collective-asset problems found and not yet resolved, now.",
     C, "asset_problems_open", ""),
    ("entitlements_fulfilled", RELOCATION, "权益落实率", "Entitlements fulfilled",
     "搬迁户应落实的权益事项中，已落实的 ÷ 应落实的（现时数）。",
     "Entitlement items of relocated households fulfilled, divided by those that apply, "
     "now.", R, "relocation_items_fulfilled", "relocation_items_due"),
    ("omissions_open", RELOCATION, "未消除漏项", "Omissions open",
     "漏项排查发现、尚未消除的漏项（现时数）。",
     "Omissions found and not yet closed, now.", C, "relocation_omissions_open", ""),
    ("service_centre_area", RELOCATION, "党群服务中心面积（平方米）",
     "Service centre floor area (m²)",
     "登记的党群服务中心面积之和（现时数）。",
     "Floor area of the recorded party-and-public service centres, now.",
     "sqm", "service_centre_area", ""),
    ("enrolled_pupils", RELOCATION, "在校学生", "Pupils enrolled",
     "在学校或幼儿园就读的登记儿童（现时数）。",
     "Registered children enrolled at a school or kindergarten, now.",
     C, "enrolled_pupils", ""),
    ("medical_staff", RELOCATION, "卫生室医护人员", "Clinic medical staff",
     "在卫生室在岗的医护人员（现时数）。", "Staff working at a clinic, now.",
     C, "medical_staff", ""),
    ("class630_households", RELOCATION, "六点半课堂覆盖户数", "6:30 class households",
     "本期参加“六点半课堂”的不同户数。",
     "Distinct households reached by the 6:30 class in the period.",
     C, "class630_households", ""),
    ("class630_pupils", RELOCATION, "六点半课堂覆盖学生", "6:30 class pupils",
     "本期参加“六点半课堂”的不同学生数。",
     "Distinct pupils reached by the 6:30 class in the period.", C, "class630_pupils", ""),
    ("activity_reach", RELOCATION, "活动参与人次", "Activity participation",
     "本期社区活动的参与人次。", "Participations in community activities in the period.",
     C, "activity_participations", ""),
    ("liaison_visits", RELOCATION, "县领导进站次数", "Leaders' station visits",
     "本期县领导到人大代表联络站的次数。",
     "County leaders' visits to deputies' liaison stations in the period.",
     C, "liaison_visits", ""),
    ("liaison_issues", RELOCATION, "联络站收集问题", "Liaison issues collected",
     "本期进站收集的问题数。", "Issues collected at those visits in the period.",
     C, "liaison_issues", ""),
    ("liaison_issues_closed", RELOCATION, "联络站问题办结", "Liaison issues closed",
     "本期收集的问题中，对应诉求已结案的。",
     "Of the issues collected in the period, those whose request is closed.",
     C, "liaison_issues_closed", ""),
]


def create(apps, schema_editor):
    Indicator = apps.get_model("scorecard", "Indicator")
    if Indicator.objects.exists():
        return
    for position, row in enumerate(DEFAULTS):
        code, pillar, label, label_en, definition, definition_en, unit, figure, per = row
        Indicator.objects.create(
            code=code,
            pillar=pillar,
            label=label,
            label_en=label_en,
            definition=definition,
            definition_en=definition_en,
            unit=unit,
            figure=figure,
            per=per,
            position=position,
        )


class Migration(migrations.Migration):
    dependencies = [("scorecard", "0001_indicator")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
