"""A year of the hotline's cases as plain values: what comes in, when, where from, how it goes.

`draw_plan` is pure apart from the seeded generator: it decides each case's matter, channel,
description, registration time, place (as a hint read from the description) and fate; the
history loader then plays the cases through the real services, drawing the exact times of each
step from the limits the services set. About 3,500 cases over the year that ends at the demo's
`Clock.now` (the moment of loading, or a fixed hour of ``--as-of``), the article's
"服务群众3000余人次"; today always has a few, some registered minutes before now.
"""

from __future__ import annotations

import datetime
import random
import re
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from grassroots.cases import catalogue_data as cd
from grassroots.cases.choices import Channel, Satisfaction
from grassroots.demo import data

SHANGHAI = ZoneInfo("Asia/Shanghai")
CASES = 3500
# The history covers this many days, today included.
DAYS = 365
# "Now" of a load ``--as-of`` a date: mid-morning, so that today has cases already in and
# others still due later in the day.
AS_OF_TIME = datetime.time(10, 30)
# Cases registered today whatever the hour of loading (besides those the year's draw puts on
# today), the last `VERY_FRESH` of them minutes before now: still at the desk.
TODAY_CASES = 8
VERY_FRESH = 2
# First day of the Spring Festival (正月初一) by year: fewer calls in the week around it.
SPRING_FESTIVAL = {
    2024: datetime.date(2024, 2, 10),
    2025: datetime.date(2025, 1, 29),
    2026: datetime.date(2026, 2, 17),
    2027: datetime.date(2027, 2, 6),
    2028: datetime.date(2028, 1, 26),
    2029: datetime.date(2029, 2, 13),
    2030: datetime.date(2030, 2, 3),
    2031: datetime.date(2031, 1, 23),
    2032: datetime.date(2032, 2, 11),
}

# How often each matter comes in, relative to 1 (street lights, water, pensions, medical
# insurance and disputes most); matters absent here weigh 1.
WEIGHTS: dict[str, float] = {
    "M055": 9, "M082": 8, "M083": 6, "M085": 6, "M005": 6, "M004": 5, "M016": 6, "M046": 6,
    "M023": 5, "M056": 5, "M058": 4, "M057": 3, "M026": 8, "M011": 3, "M008": 3, "M007": 3,
    "M070": 3, "M071": 2, "M032": 2, "M086": 3, "M084": 3, "M060": 2, "M017": 2, "M065": 2,
    "M012": 2, "M019": 2, "M053": 2, "M062": 2, "M041": 2, "M076": 2, "M030": 2,
}  # fmt: skip
# Matters that come in only in some months (heating, floods, tax returns, school entry ...).
SEASONS: dict[str, tuple[int, ...]] = {
    "M026": (11, 12, 1, 2, 3),
    "M042": (6, 7, 8, 9),
    "M054": (5, 6, 7, 8, 9),
    "M080": (3, 4, 5, 6),
    "M035": (6, 7, 8, 9),
    "M076": (2, 3, 8, 9),
}
CHANNELS = {Channel.HOTLINE: 62, Channel.PATROL: 14, Channel.VISIT: 10, Channel.STATION: 4}
CHANNELS[Channel.WEB] = 10
# Outages many people call about at once: the later calls are merged into the first one.
OUTAGES = frozenset({"M055", "M060", "M082", "M083", "M085", "M087"})
# Matters a county leader tends to put under supervision (督办).
SERIOUS = frozenset({"M007", "M045", "M049", "M053", "M054", "M071", "M074", "M087"})
# Fates: how a case ends (or where it stands at the demo's now).
ANSWER, NORMAL, REJECT, REDIRECT, ESCALATE, STALL, UNACCEPTED = (
    "answer",
    "normal",
    "reject",
    "redirect",
    "escalate",
    "stall",
    "unaccepted",
)

_SPEC = {m.code: m for m in cd.MATTERS}
_WITH_ARTICLES = frozenset(a.matter for a in cd.ARTICLES)
_VILLAGES = sorted(
    ((v, t.name) for t in data.TOWNSHIPS for v in t.villages), key=lambda p: -len(p[0])
)
_TOWNSHIPS = tuple(t.name for t in data.TOWNSHIPS)
_BLOCK = re.compile(r"石楼小镇(\d+)号楼")
# How a visit or a liaison-station day is written down before what the resident said.
_SETTING: dict[str, str] = {Channel.VISIT: "入户走访中，", Channel.STATION: "代表联络站接待日，"}


@dataclass(frozen=True)
class Clock:
    """The demo's "now": every step of the history happens before it and the sweep runs at it.

    Its `today` (Asia/Shanghai) is the last day of the year of history.
    """

    now: datetime.datetime

    @property
    def today(self) -> datetime.date:
        return self.now.astimezone(SHANGHAI).date()

    @property
    def first_day(self) -> datetime.date:
        return self.today - datetime.timedelta(days=DAYS - 1)


def clock_for(as_of: datetime.date | None, *, real_now: datetime.datetime) -> Clock:
    """The clock of a load at `real_now`: that moment itself, or `AS_OF_TIME` on `as_of`.

    A past `as_of` gives the same clock whenever the demo is loaded (reproducible tests); an
    `as_of` of today never puts "now" after the real moment. Raises ValueError for a future date.
    """
    real = real_now.astimezone(SHANGHAI)
    if as_of is None:
        return Clock(real)
    if as_of > real.date():
        raise ValueError(f"--as-of {as_of} is after today ({real.date()})")
    return Clock(min(datetime.datetime.combine(as_of, AS_OF_TIME, tzinfo=SHANGHAI), real))


def _festival(day: datetime.date) -> bool:
    new_year = SPRING_FESTIVAL.get(day.year) or SPRING_FESTIVAL.get(day.year + 1)
    if new_year is None:
        return False
    return -2 <= (day - new_year).days <= 6


@dataclass(frozen=True)
class Where:
    """Where a case comes from, as far as its text says.

    `kind`: "grid" (a micro grid of `community`, any when empty; of `block` in 石楼小镇),
    "village" (`village` of `township`, any when empty) or "township" (the township itself);
    "anywhere" leaves the choice to the loader (mostly the county seat).
    """

    kind: str
    community: str = ""
    block: int = 0
    village: str = ""
    township: str = ""


@dataclass(frozen=True)
class Draft:
    """One case to play: intake, then its fate, with the turns it takes on the way."""

    created: datetime.datetime
    matter: str
    channel: str
    description: str
    where: Where
    fate: str
    anonymous: bool
    late_accept: bool
    late_resolve: bool
    reviews: tuple[str, ...]  # the satisfaction given at each review visit
    urge: bool
    supervise: bool
    duplicates: int


def where_of(text: str) -> Where:
    """The place a description names: a village, a township, a community (or block), or none."""
    rest = text
    township = next((t for t in _TOWNSHIPS if t in text), "")
    if township:
        rest = rest.replace(township, "")
    village = next(((v, t) for v, t in _VILLAGES if v in rest), None)
    if village is not None:
        return Where("village", village=village[0], township=village[1])
    if township:
        return Where("township", township=township)
    if "石楼小镇" in text:
        block = _BLOCK.search(text)
        return Where("grid", data.RELOCATION_COMMUNITY, block=int(block.group(1)) if block else 0)
    community = next((c for c in data.COMMUNITIES if c in text), "")
    if community:
        return Where("grid", community)
    if "村" in text:
        return Where("village")
    return Where("anywhere")


def channel_text(text: str, channel: str) -> str | None:
    """The description as the channel would record it, or None if it does not fit the channel."""
    if channel == Channel.HOTLINE:
        return text
    if channel == Channel.PATROL:
        if text.startswith("来电人反映"):
            return "网格员巡查发现" + text.removeprefix("来电人反映")
        plain = not any(w in text for w in ("来电人", "问", "咨询", "上报"))
        return text if plain else None
    if "上报" in text:
        return None
    said = text.replace("来电人", "网民" if channel == Channel.WEB else "居民")
    return _SETTING.get(channel, "") + said


def _fits(where: Where, level: str, channel: str) -> bool:
    grid_only = level == cd.COMMUNITY or channel in (
        Channel.PATROL,
        Channel.VISIT,
        Channel.STATION,
    )
    if grid_only and where.kind not in ("grid", "anywhere"):
        return False
    return channel != Channel.STATION or where.community in ("", data.RELOCATION_COMMUNITY)


# Calls per hour of the day on the 24-hour line: busiest in office hours, a few at night.
_HOTLINE_HOURS = (1, 1, 1, 1, 1, 2, 4, 8, 14, 16, 15, 12, 8, 8, 12, 14, 14, 12, 8, 6, 4, 3, 2, 1)


def _created(rng: random.Random, day: datetime.date, channel: str) -> datetime.datetime:
    if channel == Channel.HOTLINE:
        hour = rng.choices(range(24), _HOTLINE_HOURS)[0]
    elif channel == Channel.WEB:
        hour = rng.randrange(7, 24)
    else:
        hour = rng.choice((9, 10, 11, 15, 16, 17))
    moment = datetime.datetime.combine(
        day, datetime.time(hour, rng.randrange(60), rng.randrange(60))
    )
    return moment.replace(tzinfo=SHANGHAI)


def _day(rng: random.Random, channel: str, clock: Clock) -> datetime.date:
    while True:
        day = clock.first_day + datetime.timedelta(days=rng.randrange(DAYS))
        weekend = day.weekday() >= 5
        festival = _festival(day)
        keep = 0.45 if festival else 0.65 if weekend else 1.0
        if channel in (Channel.VISIT, Channel.STATION) and (weekend or festival):
            keep = 0.05
        if rng.random() < keep:
            return day


def _matter(rng: random.Random, month: int, channel: str) -> str:
    codes = [
        m.code
        for m in cd.MATTERS
        if month in SEASONS.get(m.code, (month,))
        and (channel != Channel.PATROL or m.needs_site_check)
    ]
    return rng.choices(codes, [WEIGHTS.get(c, 1.0) for c in codes])[0]


def _fate(rng: random.Random, day: datetime.date, level: str, question: bool, clock: Clock) -> str:
    if question and rng.random() < 0.55:
        return ANSWER
    r = rng.random()
    if r < 0.012:
        return REJECT
    if r < 0.03:
        return REDIRECT
    if level != cd.COUNTY and rng.random() < 0.06:
        return ESCALATE
    age = (clock.today - day).days  # some recent cases still lie with a slow handler
    if 4 <= age <= 120 and rng.random() < 0.035:
        return STALL
    if 3 <= age <= 60 and rng.random() < 0.01:
        return UNACCEPTED
    return NORMAL


def _reviews(rng: random.Random, level: str) -> tuple[str, ...]:
    def once() -> str:
        r = rng.random()
        if r < 0.78:
            return Satisfaction.SATISFIED
        return Satisfaction.BASIC if r < 0.95 else Satisfaction.UNSATISFIED

    first = once()
    if first != Satisfaction.UNSATISFIED:
        return (first,)
    # a second "unsatisfied" escalates the case (`workflow._reopen`), which a county unit cannot
    if level != cd.COUNTY and rng.random() < 0.2:
        return (first, Satisfaction.UNSATISFIED, Satisfaction.BASIC)
    return (first, Satisfaction.SATISFIED if rng.random() < 0.6 else Satisfaction.BASIC)


def _draft(rng: random.Random, clock: Clock, created: datetime.datetime | None = None) -> Draft:
    while True:
        channel = rng.choices(list(CHANNELS), list(CHANNELS.values()))[0]
        day = created.astimezone(SHANGHAI).date() if created else _day(rng, channel, clock)
        code = _matter(rng, day.month, channel)
        spec = _SPEC[code]
        raw = rng.choice(cd.DESCRIPTIONS[code])
        text = channel_text(raw, channel)
        where = where_of(raw)
        if text is not None and _fits(where, spec.level, channel):
            break
    question = (
        channel == Channel.HOTLINE
        and code in _WITH_ARTICLES
        and any(w in raw for w in ("问", "咨询"))
    )
    fate = _fate(rng, day, spec.level, question, clock)
    outage = code in OUTAGES and channel == Channel.HOTLINE and fate != ANSWER
    late_resolve = rng.random() < 0.08
    return Draft(
        created=created or _created(rng, day, channel),
        matter=code,
        channel=channel,
        description=text,
        where=where,
        fate=fate,
        anonymous=rng.random() < (0.5 if where.kind in ("village", "township") else 0.12),
        late_accept=rng.random() < 0.06,
        late_resolve=late_resolve,
        reviews=_reviews(rng, spec.level),
        urge=rng.random() < (0.5 if late_resolve else 0.01),
        supervise=rng.random() < (0.25 if code in SERIOUS else 0.004),
        duplicates=rng.choice((1, 1, 2)) if outage and rng.random() < 0.12 else 0,
    )


def _today(rng: random.Random, clock: Clock) -> list[Draft]:
    """`TODAY_CASES` cases registered today before now, the last `VERY_FRESH` of them within
    the last few minutes and still to be handled (never answered at the seat or merged)."""
    midnight = datetime.datetime.combine(clock.today, datetime.time(0), tzinfo=SHANGHAI)
    since = max(midnight, clock.now - datetime.timedelta(hours=9))
    window = (clock.now - since).total_seconds()
    drafts = []
    for i in range(TODAY_CASES):
        fresh = i >= TODAY_CASES - VERY_FRESH
        back = rng.uniform(20, 170) if fresh else rng.uniform(300, max(301.0, window))
        created = clock.now - datetime.timedelta(seconds=min(back, window))
        draft = _draft(rng, clock, created)
        if fresh:
            draft = replace(draft, fate=NORMAL, duplicates=0)
        drafts.append(draft)
    return drafts


def draw_plan(rng: random.Random, clock: Clock, count: int = CASES) -> list[Draft]:
    """About `count` cases of the year up to `clock.now`, in order of registration, all
    registered before it; `TODAY_CASES` of them registered today whatever the hour.

    Guarantees: community-level matters and the patrol, visit and liaison-station channels come
    from the county seat's micro grids (liaison-station cases from the relocation community);
    patrol cases are site problems (`needs_site_check` matters) in the grid worker's words;
    only hotline questions on matters with knowledge-base articles are answered at the seat;
    a second unsatisfied review only for matters below county level.
    """
    drafts = [_draft(rng, clock) for _ in range(count)]
    drafts = [d for d in drafts if d.created < clock.now] + _today(rng, clock)
    drafts.sort(key=lambda d: d.created)
    return drafts
