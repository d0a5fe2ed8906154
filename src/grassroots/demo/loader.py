"""Loading the Shilou demo: the whole county, its grids, units, staff and ten log-in accounts,
the matter catalogue, the county seat's households and residents, the year of cases up to the
moment of loading (or ``--as-of`` a date) and the leaders' dashboard rollups built from them.

`load_demo` is what ``grassroots loaddemo`` runs and what tests call. It writes only through the
services (actor: the system, or the staff who hold the posts), audited with source
``command:loaddemo``, in one transaction: a failure leaves nothing behind.
"""

from __future__ import annotations

import datetime
import random
import time
from typing import Protocol

from django.db import transaction
from django.utils import timezone

from grassroots.areas.models import Area, Post
from grassroots.areas.services import area_import
from grassroots.core.audit import audit_source
from grassroots.core.models import User
from grassroots.demo import data, passwords, report
from grassroots.demo.cadring import load_cadres
from grassroots.demo.case_plan import Clock, clock_for
from grassroots.demo.community import load_communities
from grassroots.demo.disputing import load_disputes
from grassroots.demo.history import load_history, staff_on_duty
from grassroots.demo.lead_geese import load_clean_up, load_training
from grassroots.demo.matters import load_catalogue
from grassroots.demo.people import DEMO_USERNAMES, create_staff, create_units, define_post_types
from grassroots.demo.relocating import load_relocation
from grassroots.demo.report import DemoResult
from grassroots.demo.residents import communities_of, load_residents
from grassroots.demo.suggesting import train_first_model
from grassroots.demo.tree import area_rows, build_tree
from grassroots.demo.visiting import load_visits
from grassroots.figures.counts import counts_refresh
from grassroots.figures.services import figures_refresh
from grassroots.figures.states import states_refresh

__all__ = ["AUDIT_SOURCE", "DEMO_USERNAMES", "DemoConflict", "DemoResult", "is_loaded", "load_demo"]

AUDIT_SOURCE = "command:loaddemo"


class Writer(Protocol):
    """Where progress lines go: a text stream or a command's ``self.stdout``."""

    def write(self, message: str, /) -> object: ...


class DemoConflict(Exception):
    """The database already holds data that is not the demo; the demo never mixes with it."""


def is_loaded() -> bool:
    """Whether the demo county (石楼县, 141126000000) is in the database."""
    return Area.objects.filter(code=data.COUNTY_CODE).exists()


def _check_empty() -> None:
    if Area.objects.exists():
        raise DemoConflict(
            "数据库中已有其他区划数据，演示数据不会与之混合；请使用空数据库 "
            "(the database already holds areas that are not the demo; use an empty database)"
        )
    demo_users = User.objects.filter(username__in=DEMO_USERNAMES)
    taken = sorted(demo_users.values_list("username", flat=True))
    if taken:
        raise DemoConflict(
            f"演示账号已被占用：{', '.join(taken)}；请使用空数据库 "
            "(demo usernames already exist; use an empty database)"
        )


def _say(stdout: Writer | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def _result(*, created: bool, password: str | None, changed: bool, started: float) -> DemoResult:
    return DemoResult(
        created=created,
        password=password,
        password_changed=changed,
        password_file=passwords.password_path(),
        accounts=report.demo_accounts(DEMO_USERNAMES),
        areas=report.area_counts(),
        units=report.unit_counts(),
        posts=Post.objects.count(),
        users=User.objects.count(),
        seconds=time.monotonic() - started,
        registry=report.registry_counts(),
        cases=report.case_counts(),
    )


def _reuse(password: str | None, started: float) -> DemoResult:
    stored = passwords.read_password()
    changed = False
    if password is not None and password != stored:
        with audit_source(AUDIT_SOURCE), transaction.atomic():
            passwords.set_demo_passwords(DEMO_USERNAMES, password)
        passwords.store_password(password)
        changed = True
    return _result(
        created=False,
        password=password if password is not None else stored,
        changed=changed,
        started=started,
    )


def _load(*, password: str, seed: int, clock: Clock, stdout: Writer | None) -> None:
    rng = random.Random(seed)
    tree = build_tree(rng)
    rows = area_rows(tree)
    t0 = time.monotonic()
    area_import(actor=None, rows=rows)
    _say(stdout, f"区划网格 {len(rows):,} 个（{time.monotonic() - t0:.1f} 秒）")
    areas = dict(Area.objects.in_bulk(field_name="code"))
    t0 = time.monotonic()
    places = create_units(tree, areas)
    types = define_post_types()
    _say(
        stdout,
        f"单位 {len(places.county_units) + len(places.offices) + len(places.stations)} 个，"
        f"岗位类型 {len(types)} 种（{time.monotonic() - t0:.1f} 秒）",
    )
    t0 = time.monotonic()
    logins = create_staff(tree=tree, places=places, types=types, rng=rng, password=password)
    _say(stdout, f"人员与岗位（{time.monotonic() - t0:.1f} 秒）")
    t0 = time.monotonic()
    catalogue = load_catalogue(
        county_units=places.county_units, rng=rng, review_year=clock.today.year + 1
    )
    _say(
        stdout,
        f"职能事项 {len(catalogue.matters)} 项，知识库 "
        f"{sum(len(a) for a in catalogue.articles.values())} 篇（{time.monotonic() - t0:.1f} 秒）",
    )
    t0 = time.monotonic()
    registry = load_residents(tree=tree, rng=rng, source=AUDIT_SOURCE)
    _say(
        stdout,
        f"户 {len(registry.families):,}，居民 {registry.resident_count:,}"
        f"（台账导入，{time.monotonic() - t0:.1f} 秒）",
    )
    t0 = time.monotonic()
    grids = {name: [areas[c] for c in codes] for name, codes in communities_of(tree)}
    swept = load_history(
        rng=rng,
        logins=logins,
        registry=registry,
        catalogue=catalogue,
        grids=grids,
        clock=clock,
        progress=lambda n: _say(stdout, f"  诉求 {n:,} 件……（{time.monotonic() - t0:.0f} 秒）"),
    )
    cases = report.case_counts()
    _say(
        stdout,
        f"一年诉求 {sum(v for k, v in cases.items() if k != 'overdue'):,} 件"
        f"（{clock.first_day} 至 {clock.now:%Y-%m-%d %H:%M}）；时限巡检：提醒 "
        f"{swept['reminded']}，超期 {swept['overdue']}，提级 {swept['escalated']}"
        f"（{time.monotonic() - t0:.1f} 秒）",
    )
    t0 = time.monotonic()
    visiting = load_visits(
        seed=seed,
        registry=registry,
        areas=areas,
        grid_workers=staff_on_duty(logins).grid_workers,
        clock=clock,
    )
    _say(
        stdout,
        f"党员 {visiting.party_members:,} 名，结对 {visiting.pairings:,} 户，走访 "
        f"{visiting.visits:,} 次，其中发现问题转为诉求 {visiting.cases} 件"
        f"（{time.monotonic() - t0:.1f} 秒）",
    )
    t0 = time.monotonic()
    disputing = load_disputes(seed=seed, registry=registry, areas=areas, clock=clock)
    _say(
        stdout,
        f"矛盾纠纷 {disputing.disputes} 件：化解 {disputing.settled}，提级 "
        f"{disputing.escalated}，未化解 {disputing.open}（{time.monotonic() - t0:.1f} 秒）",
    )
    t0 = time.monotonic()
    cadring = load_cadres(seed=seed, clock=clock)
    _say(
        stdout,
        f"村（社区）干部 {cadring.cadres} 名（一肩挑 {cadring.both_posts}），书记考核 "
        f"{cadring.appraised} 人，星级 {cadring.stars}，报酬表 {cadring.sheets} 张"
        f"（{time.monotonic() - t0:.1f} 秒）",
    )
    t0 = time.monotonic()
    relocating = load_relocation(seed=seed, registry=registry, areas=areas, clock=clock)
    _say(
        stdout,
        f"易地搬迁户 {relocating.households} 户，权益事项 {relocating.items} 项：已落实 "
        f"{relocating.fulfilled}，落实中 {relocating.in_progress}，提级 {relocating.escalated}，"
        f"漏项 {relocating.omissions}（{time.monotonic() - t0:.1f} 秒）",
    )
    t0 = time.monotonic()
    built = load_communities(seed=seed, areas=areas, clock=clock)
    _say(
        stdout,
        f"社区建设：在校学生 {built.pupils} 名，活动 {built.activities} 场，县领导进站 "
        f"{built.visits} 次，收集办结问题 {built.issues} 件（{time.monotonic() - t0:.1f} 秒）",
    )
    t0 = time.monotonic()
    trained, cleaned = load_training(seed=seed, clock=clock), load_clean_up(seed=seed, clock=clock)
    _say(
        stdout,
        f"领头雁培训 {trained.sessions} 期 {trained.person_times} 人次（学时未达标 "
        f"{trained.short} 人）；清化收问题 {cleaned.problems} 个，化解 {cleaned.resolved} 个，"
        f"收回土地 {cleaned.mu_recovered} 亩、资金 {cleaned.yuan_recovered} 元"
        f"（{time.monotonic() - t0:.1f} 秒）",
    )
    _say(stdout, report.today_line(clock.now))
    t0 = time.monotonic()
    figures = figures_refresh(full=True)
    # the households' visit state (grid health, coverage), then the visit and dispute counts
    states_refresh(now=figures.refreshed_at, full=True)
    counts_refresh(now=figures.refreshed_at, full=True)
    _say(stdout, f"领导看板汇总 {figures.days} 天（{time.monotonic() - t0:.1f} 秒）")


def load_demo(
    *,
    password: str | None,
    seed: int = 1,
    as_of: datetime.date | None = None,
    stdout: Writer | None = None,
) -> DemoResult:
    """Load the demo into an empty database, or reuse the one already there.

    The year of cases ends now (the moment of loading): today has cases, some registered
    minutes ago, some due later today, and the overdue ones flagged by the real sweep; the
    leaders' figures are refreshed last. With `as_of` (a date, not after today) "now" is
    `case_plan.AS_OF_TIME` on that day, so the same `seed` and `as_of` give the same history.

    Fresh load: the tree, units, post types, staff and the accounts `DEMO_USERNAMES`, whose
    password is `password`, else the stored one, else a new random one; it is then stored in
    ``VAR_DIR/demo_password`` (mode 600). The same `seed` always gives the same names and grid
    distribution. All or nothing: on any error the database is unchanged.

    Demo already loaded: nothing is loaded again; a `password` that differs from the stored one
    is set on the ten demo accounts (and stored).

    Raises DemoConflict, writing nothing, if the database holds other areas or demo usernames.
    Progress lines go to `stdout` when given.
    """
    if password == "":
        raise ValueError("password must not be empty")
    started = time.monotonic()
    clock = clock_for(as_of, real_now=timezone.now())
    if is_loaded():
        return _reuse(password, started)
    _check_empty()
    chosen = password or passwords.read_password() or passwords.generate_password()
    with audit_source(AUDIT_SOURCE), transaction.atomic():
        _load(password=chosen, seed=seed, clock=clock, stdout=stdout)
    passwords.store_password(chosen)
    _say(stdout, train_first_model())  # from the committed year of cases
    return _result(created=True, password=chosen, changed=False, started=started)
