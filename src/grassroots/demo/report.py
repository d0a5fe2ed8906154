"""What the demo holds, read back from the database, and the text `loaddemo` prints about it."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Count, Q
from django.utils import timezone

from grassroots.areas.choices import Level, UnitLevel
from grassroots.areas.models import Area, Post, Unit
from grassroots.cases.choices import OPEN_STATES, State
from grassroots.cases.models import Article, Case, Matter
from grassroots.core.models import User
from grassroots.people.models import Household, Resident


@dataclass(frozen=True)
class DemoAccount:
    """One demo log-in: its posts (Chinese names) and the scope each covers."""

    username: str
    full_name: str
    posts: str
    scope: str


@dataclass(frozen=True)
class DemoResult:
    """The outcome of `load_demo`.

    `created` is False when an existing demo was reused; `password` is None only when it was
    reused, none was given and none is stored; `password_changed` says the accounts were reset.
    """

    created: bool
    password: str | None
    password_changed: bool
    password_file: Path
    accounts: tuple[DemoAccount, ...]
    areas: dict[str, int]
    units: dict[str, int]
    posts: int
    users: int
    seconds: float
    registry: dict[str, int] = field(default_factory=dict)
    cases: dict[str, int] = field(default_factory=dict)


def _area_path(area: Area, names: dict[int, str]) -> str:
    """The area, after its community if it is a grid, e.g. ``石楼小镇社区 / 1-1-1微网格``."""
    if area.community_id is None or area.community_id == area.pk:
        return area.name
    return f"{names.get(area.community_id, '?')} / {area.name}"


def demo_accounts(usernames: tuple[str, ...]) -> tuple[DemoAccount, ...]:
    """The named accounts with their active posts, in the order given; missing ones skipped."""
    today = timezone.localdate()
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    posts = list(
        Post.objects.filter(person__in=users.values(), started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .select_related("post_type", "area", "unit")
        .order_by("id")
    )
    community_ids = {p.area.community_id for p in posts if p.area and p.area.community_id}
    names = dict(Area.objects.filter(pk__in=community_ids).values_list("pk", "name"))
    by_person: dict[int, list[Post]] = {}
    for post in posts:
        by_person.setdefault(post.person_id, []).append(post)
    rows = []
    for username in usernames:
        user = users.get(username)
        if user is None:
            continue
        held = by_person.get(user.pk, [])
        rows.append(
            DemoAccount(
                username=username,
                full_name=user.full_name,
                posts="、".join(p.post_type.name for p in held),
                scope="；".join(
                    _area_path(p.area, names) if p.area is not None else str(p.unit) for p in held
                ),
            )
        )
    return tuple(rows)


def area_counts() -> dict[str, int]:
    """Areas per level, in the order of `Level` (levels without areas included as 0)."""
    found = dict(Area.objects.values_list("level").annotate(n=Count("id")).order_by())
    return {level.value: found.get(level.value, 0) for level in Level}


def unit_counts() -> dict[str, int]:
    """Units per level, in the order of `UnitLevel`."""
    found = dict(Unit.objects.values_list("level").annotate(n=Count("id")).order_by())
    return {level.value: found.get(level.value, 0) for level in UnitLevel}


def registry_counts() -> dict[str, int]:
    """Matters (and the units owning them), knowledge-base articles, households, residents."""
    return {
        "matters": Matter.objects.count(),
        "matter_units": Matter.objects.values("unit").distinct().count(),
        "articles": Article.objects.count(),
        "households": Household.objects.count(),
        "residents": Resident.objects.count(),
    }


def case_counts() -> dict[str, int]:
    """Cases per state, in the order of `State`, then "overdue": open cases flagged overdue."""
    found = dict(Case.objects.values_list("state").annotate(n=Count("id")).order_by())
    counts = {state.value: found.get(state.value, 0) for state in State}
    counts["overdue"] = Case.objects.filter(state__in=OPEN_STATES, overdue=True).count()
    return counts


def today_counts(now: datetime.datetime) -> dict[str, int]:
    """What the demo's today looks like at `now`: cases registered today, those of them still at
    the desk or awaiting acceptance (received, dispatched), open cases falling due later today,
    and open cases flagged overdue."""
    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    tomorrow = midnight + datetime.timedelta(days=1)
    today = Case.objects.filter(created_at__gte=midnight, created_at__lt=tomorrow)
    running = Case.objects.filter(state__in=OPEN_STATES)
    return {
        "registered": today.count(),
        "fresh": today.filter(state__in=[State.RECEIVED, State.DISPATCHED]).count(),
        "due": running.filter(resolution_due__gte=now, resolution_due__lt=tomorrow).count(),
        "overdue": running.filter(overdue=True).count(),
    }


def today_line(now: datetime.datetime) -> str:
    """`today_counts` as one progress line."""
    c = today_counts(now)
    return (
        f"今天（{timezone.localtime(now):%Y-%m-%d %H:%M}）登记 {c['registered']} 件，"
        f"其中待派单或待签收 {c['fresh']} 件；今天到期 {c['due']} 件；超期未办结 {c['overdue']} 件"
    )


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def format_table(rows: Sequence[tuple[str, ...]]) -> list[str]:
    """`rows` (the first is the header) as aligned text lines."""
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def format_result(result: DemoResult) -> str:
    """The account table, the password and the counts, as `loaddemo` prints them."""
    lines = []
    header = ("账号", "姓名", "岗位", "范围")
    table = [header] + [(a.username, a.full_name, a.posts, a.scope) for a in result.accounts]
    lines += format_table(table)
    lines.append("")
    if result.password is None:
        lines.append("密码：未保存，可用 --password 重新设置 (password unknown; use --password)")
    else:
        lines.append(f"密码 (password)：{result.password}")
        lines.append(f"（已保存到 {result.password_file}，仅本人可读）")
    lines.append("")
    level_names = {level.value: str(level.label) for level in Level}
    unit_names = {level.value: str(level.label) for level in UnitLevel}
    lines.append(
        "区划网格：" + "，".join(f"{level_names[k]} {v:,}" for k, v in result.areas.items() if v)
    )
    lines.append("单位：" + "，".join(f"{unit_names[k]} {v}" for k, v in result.units.items() if v))
    lines.append(f"岗位 {result.posts:,}，账号 {result.users:,}")
    r = result.registry
    if r:
        lines.append(
            f"职能事项 {r['matters']} 项（{r['matter_units']} 个单位），知识库 {r['articles']} 篇；"
            f"户 {r['households']:,}，居民 {r['residents']:,}"
        )
    if result.cases:
        states = {state.value: str(state.label) for state in State}
        by_state = "，".join(f"{states[k]} {result.cases.get(k, 0):,}" for k in states)
        total = sum(result.cases.get(k, 0) for k in states)
        lines.append(f"诉求 {total:,}：{by_state}；超期未办结 {result.cases['overdue']:,}")
    if result.created:
        lines.append(f"用时 {result.seconds:.1f} 秒")
    return "\n".join(lines)
