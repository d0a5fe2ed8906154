"""领头雁 training and the collective-asset clean-up (清化收), through the training and assets
services.

Training: the county's 抓党建促基层治理能力提升 series, four sessions this year (centralised
and thematic, targeted and on-demand, offline and online), each for the two committees and
every party member of the registry (the demo's widest honest target group: it holds no
township cadres). Everyone enrolled in one action per session; a few percent on leave or
absent, except the village and community party secretaries, all present at the first
session (every secretary covered); six committee members leave the third session half-way and
miss the first and the fourth, so they fall short of the yearly hours.

Clean-up, as the article reports the county: one completed land recovery, 胡家峪村's 50 mu of
坝沟地 mortgaged to villagers by a former cadre — found, talked through, the mortgage agreements
annulled and 50 mu recovered, each step with its evidence. The other villages' problems are the
campaign under way: recorded, verified (with evidence, 清理中), talks held and agreements being
negotiated, no land recovered yet; only the unpaid contract fees have been partly paid back
(yuan). So the county's recovered mu is 胡家峪村's 50, from rows.

Deterministic for a seed: it draws from its own `random.Random`.
"""

from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass

from PIL import Image

from grassroots.areas.models import Area
from grassroots.assets import services as assets
from grassroots.cases.attachments import CleanFile
from grassroots.demo.case_plan import Clock
from grassroots.training import services as training
from grassroots.training.choices import Attendance

SERIES = "抓党建促基层治理能力提升"
# (title, theme, mode, delivery, hours, venue, share of the year elapsed when it starts)
SESSIONS = [
    (
        "全县村（社区）党组织书记和党员集中轮训",
        "基层党建与支部引领",
        "centralised",
        "offline",
        24,
        "县委党校",
        0.1,
    ),
    ("乡村振兴专题培训", "乡村振兴与集体经济", "thematic", "online", 8, "石楼县党员教育平台", 0.35),
    (
        "基层治理能力提升精准培训",
        "矛盾纠纷排查化解与网格治理",
        "targeted",
        "offline",
        16,
        "各乡镇党校分校",
        0.6,
    ),
    ("按需点单培训", "集体资产管理与清化收", "on_demand", "online", 8, "石楼县党员教育平台", 0.85),
]


@dataclass
class Trained:
    sessions: int = 0
    person_times: int = 0
    short: int = 0


@dataclass
class Cleaned:
    problems: int = 0
    resolved: int = 0
    mu_recovered: int = 0
    yuan_recovered: int = 0


def _evidence(name: str) -> CleanFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return CleanFile(name, "image/png", out.getvalue())


def load_training(*, seed: int, clock: Clock) -> Trained:
    rng = random.Random(seed * 16 + 7)
    today = clock.today
    jan1 = datetime.date(today.year, 1, 1)
    elapsed = (today - jan1).days
    county = Area.objects.get(level="county")
    out = Trained()
    short: set[int] = set()
    for i, (title, theme, mode, delivery, hours, venue, at) in enumerate(SESSIONS):
        start = jan1 + datetime.timedelta(days=int(elapsed * at))
        session = training.session_create(
            actor=None,
            area=county,
            title=f"{SERIES}·{title}",
            theme=theme,
            mode=mode,
            delivery=delivery,
            starts_on=start,
            ends_on=min(start + datetime.timedelta(days=2), today),
            hours=hours,
            organiser="中共石楼县委组织部",
            target="party_members",
            venue=venue,
            series=SERIES,
        )
        training.enrol_target_group(actor=None, session=session)
        roll = list(session.enrolments.select_related("cadre").prefetch_related("cadre__terms"))
        if i == 0:
            members = [e.cadre_id for e in roll if e.cadre_id and not _is_secretary(e, start)]
            short = set(rng.sample(sorted(members), min(6, len(members))))
        rows = []
        for e in roll:
            status, credited = Attendance.PRESENT, hours
            if e.cadre_id in short and i in (0, 3):
                status = Attendance.LEAVE if i == 0 else Attendance.ABSENT
            elif e.cadre_id in short and i == 2:
                credited = hours // 2  # left half-way
            elif not (i == 0 and e.cadre_id and _is_secretary(e, start)):
                r = rng.random()
                status = (
                    Attendance.LEAVE
                    if r < 0.02
                    else Attendance.ABSENT
                    if r < 0.03
                    else Attendance.PRESENT
                )
            key = {"cadre": e.cadre_id} if e.cadre_id else {"resident": e.resident_id}
            rows.append({**key, "status": status, "hours": credited})
        training.attendance_record(actor=None, session=session, rows=rows)
        out.sessions += 1
        out.person_times += sum(1 for r in rows if r["status"] == Attendance.PRESENT)
    out.short = len(short)
    return out


def _is_secretary(enrolment: object, day: datetime.date) -> bool:
    cadre = enrolment.cadre  # type: ignore[attr-defined]
    return any(
        t.post == "secretary" and t.started_on <= day and (t.ended_on is None or t.ended_on >= day)
        for t in cadre.terms.all()
    )


# The campaign under way in the other villages: (village index, kind, title, mu, yuan, steps),
# each step (days after found, action, new status or None, yuan recovered, evidence file or "").
# Every problem verified and in hand (清理中), none finished, no land recovered yet.
OTHERS: list[tuple[int, str, str, int, int, tuple[tuple[int, str, str | None, int, str], ...]]] = [
    (
        1,
        "fees_unpaid",
        "耕地承包费三年未缴",
        0,
        36000,
        (
            (
                7,
                "核对承包合同和收缴台账，确认12户三年欠缴承包费共36000元",
                "in_progress",
                0,
                "欠费核对表.png",
            ),
            (30, "逐户催缴，4户补缴承包费12000元，已入村集体账", None, 12000, "收款凭证.png"),
            (60, "其余8户约谈催缴，正在商定分期缴纳协议", None, 0, ""),
        ),
    ),
    (
        2,
        "occupied",
        "村集体旧学校被个人占用",
        0,
        0,
        (
            (
                10,
                "现场核实旧学校校舍及院落被个人占用情况，调取原始档案",
                "in_progress",
                0,
                "现场核实记录.png",
            ),
            (35, "约谈占用人，告知限期腾退，正在协商腾退方案", None, 0, ""),
        ),
    ),
    (
        3,
        "debt",
        "村集体历史欠款",
        0,
        85000,
        (
            (
                14,
                "乡镇经管站牵头逐笔核对村集体债权债务，登记造册",
                "in_progress",
                0,
                "债务清查表.png",
            ),
            (50, "与债权人协商化债方案，分期偿还协议正在协商", None, 0, ""),
        ),
    ),
    (
        4,
        "irregular_contract",
        "林地承包合同期限过长、价格过低",
        120,
        0,
        (
            (
                10,
                "核查林地承包合同，经村民代表会议认定期限过长、承包费明显偏低",
                "in_progress",
                0,
                "合同核查意见.png",
            ),
            (45, "与承包方协商变更合同期限和承包费，补充协议正在协商", None, 0, ""),
        ),
    ),
    (
        5,
        "occupied",
        "集体建设用地被违规占用",
        6,
        0,
        (
            (
                12,
                "会同自然资源所实地测量，确认6亩集体建设用地被违规占用",
                "in_progress",
                0,
                "测量图.png",
            ),
            (40, "约谈占用人，下达限期退还通知，退还协议正在协商", None, 0, "限期退还通知书.png"),
        ),
    ),
]


def load_clean_up(*, seed: int, clock: Clock) -> Cleaned:
    today = clock.today
    out = Cleaned()
    hjy = Area.objects.get(name="胡家峪村", level="village")
    land = assets.asset_record(
        actor=None, area=hjy, kind="land", name="后沟坝沟地", land_type="dam_land", area_mu=50
    )
    found = today - datetime.timedelta(days=150)
    problem = assets.problem_record(
        actor=None,
        area=hjy,
        asset=land,
        kind="mortgaged",
        title="原村干部私自将50亩坝沟地抵押给村民",
        description="清产核资中发现：原村干部以个人名义将村集体50亩坝沟地分块抵押给6户村民，"
        "抵押所得未入村集体账。",
        found_on=found,
        area_mu=50,
    )
    steps = [
        (
            10,
            "乡镇经管站会同村务监督委员会入户核实，逐户登记抵押情况",
            "in_progress",
            0,
            "核实登记表.png",
        ),
        (40, "约谈原村干部，责令退还抵押所得；与6户村民逐户协商解除抵押", None, 0, "约谈记录.png"),
        (90, "签订解除抵押协议，收回坝沟地32亩", None, 32, "解除抵押协议（一）.png"),
        (
            120,
            "收回其余坝沟地18亩，重新确权并纳入村集体统一发包",
            "resolved",
            18,
            "解除抵押协议（二）.png",
        ),
    ]
    for days, text, status, mu, name in steps:
        assets.problem_act(
            actor=None,
            problem_id=problem.pk,
            taken_on=found + datetime.timedelta(days=days),
            description=text,
            status=status,
            recovered_mu=mu,
            evidence=_evidence(name),
        )
    out.problems, out.resolved = 1, 1
    out.mu_recovered = sum(mu for _d, _t, _s, mu, _n in steps)
    villages = list(Area.objects.filter(level="village").exclude(pk=hjy.pk).order_by("code"))
    rng = random.Random(seed * 16 + 9)
    for index, kind, title, mu, yuan, actions in OTHERS:
        village = villages[(index * 7 + rng.randrange(3)) % len(villages)]
        found = today - datetime.timedelta(days=100 + 10 * index)
        p = assets.problem_record(
            actor=None,
            area=village,
            kind=kind,
            title=title,
            found_on=found,
            area_mu=mu,
            amount_yuan=yuan,
        )
        out.problems += 1
        for days, text, status, paid, name in actions:
            assets.problem_act(
                actor=None,
                problem_id=p.pk,
                taken_on=found + datetime.timedelta(days=days),
                description=text,
                status=status,
                recovered_yuan=paid,
                evidence=_evidence(name) if name else None,
            )
            out.yuan_recovered += paid
    return out
