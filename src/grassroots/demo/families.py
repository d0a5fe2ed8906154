"""The county seat's synthetic households as plain values: who lives where, born when, with what.

`draw_families` is pure apart from the seeded generator it is given: the same seed always gives the
same families, names, ID numbers and phones. Every ID number is a valid, unique GB 11643 number
(`people.idnumber.make_id`); every phone a unique synthetic mobile. Nobody here is a real person.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from grassroots.demo import addresses, data
from grassroots.demo.names import SURNAMES, person_name
from grassroots.people.choices import Education as Edu
from grassroots.people.choices import Employment as Job
from grassroots.people.choices import Politics, Relation
from grassroots.people.idnumber import FEMALE, MALE, make_id

# The demo's "today": ages, move-in dates and the case history are counted to this day.
NOW_DATE = datetime.date(2026, 11, 27)
HOME_REGION = "141126"
# Other counties of Lüliang, where some spouses and newcomers were first registered.
NEARBY_REGIONS = ("141102", "141123", "141124", "141125", "141127", "141128", "141129", "141130")
SCHOOL_AGES = range(6, 16)
# Households per micro grid, and household sizes 1–6 (weights), in town and in the relocation
# community, whose families are larger and younger.
HOUSEHOLDS_PER_GRID = (6, 11)
SIZES = (1, 2, 3, 4, 5, 6)
SIZE_WEIGHTS = (10, 24, 28, 22, 10, 6)
RELOCATED_SIZE_WEIGHTS = (6, 16, 24, 28, 16, 10)
ETHNICITIES = (("汉族", 992), ("回族", 4), ("蒙古族", 2), ("满族", 2))
OCCUPATIONS: dict[str, tuple[str, ...]] = {
    Job.EMPLOYED: ("教师", "医生", "护士", "公务员", "司机", "厨师", "保安", "保洁员", "会计"),
    Job.SELF_EMPLOYED: ("个体商户", "小吃店经营", "理发店经营", "农产品经销", "汽车修理"),
    Job.MIGRANT: ("建筑工人", "工厂工人", "货车司机", "家政服务员"),
    Job.FARMING: ("农民", "红枣种植", "核桃种植"),
}
# Mobile prefixes of the three carriers; the other eight digits are drawn at random.
_MOBILE_PREFIXES = tuple(str(n) for n in (*range(130, 140), *range(150, 160), *range(180, 190)))


@dataclass
class Member:
    """One person of a household, as the ledger lists them."""

    name: str
    female: bool
    birth: datetime.date
    relation: str
    id_number: str = ""
    phone: str = ""
    ethnicity: str = "汉族"
    education: str = ""
    employment: str = ""
    occupation: str = ""
    politics: str = Politics.MASSES
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    moved_in: datetime.date | None = None

    @property
    def age(self) -> int:
        return age_on(self.birth, NOW_DATE)


@dataclass
class Family:
    """A household in one micro grid: its number, dwelling and members (the head first)."""

    number: str
    grid: str
    community: str
    place: addresses.Place
    relocated: bool
    members: list[Member] = field(default_factory=list)


def age_on(birth: datetime.date, day: datetime.date) -> int:
    """Whole years from `birth` to `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def birth_for(rng: random.Random, age: int) -> datetime.date:
    """A birth date that makes someone exactly `age` on `NOW_DATE`."""
    latest = NOW_DATE.replace(year=NOW_DATE.year - age)
    return latest - datetime.timedelta(days=rng.randrange(365))


class IdMaker:
    """Unique ID numbers: the order code (`seq`, 0–499 per region, birth date and sex) counts up."""

    def __init__(self) -> None:
        self._next: dict[tuple[str, datetime.date, bool], int] = {}

    def __call__(self, region: str, birth: datetime.date, female: bool) -> str:
        key = (region, birth, female)
        seq = self._next.get(key, 0)
        self._next[key] = seq + 1
        return make_id(region, birth, seq, FEMALE if female else MALE)


class PhoneMaker:
    """Unique synthetic mobiles: a common prefix and eight random digits."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def __call__(self) -> str:
        while True:
            phone = self.rng.choice(_MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if phone not in self.used:
                self.used.add(phone)
                return phone


# -- who lives together ------------------------------------------------------------------------

Slot = tuple[str, bool, int]  # relation, female, age


def _couple(rng: random.Random, low: int, high: int) -> list[Slot]:
    husband = rng.randint(low, high)
    return [
        (Relation.HEAD, False, husband),
        (Relation.SPOUSE, True, max(18, husband - rng.randint(-2, 5))),
    ]


def _children(
    rng: random.Random, mother: int, n: int, relation: str = Relation.CHILD
) -> list[Slot]:
    """`n` children 1–5 years apart, the eldest born when the mother was 21–32 (never before 19)."""
    gaps = [rng.randint(1, 5) for _ in range(n - 1)]
    eldest = min(max(mother - rng.randint(21, 32), sum(gaps)), mother - 19)
    ages = [max(0, eldest)]
    for gap in gaps:
        ages.append(max(0, ages[-1] - gap))
    return [(relation, rng.random() < 0.48, age) for age in ages]


def _parents(rng: random.Random, head: int, n: int) -> list[Slot]:
    father = min(97, head + rng.randint(24, 34))
    slots: list[Slot] = [
        (Relation.PARENT, False, father),
        (Relation.PARENT, True, max(head + 19, father - rng.randint(0, 4))),
    ]
    return slots if n == 2 else [slots[rng.random() < 0.65]]


def _three_generations(rng: random.Random, grandchildren: int) -> list[Slot]:
    elders = _couple(rng, 52, 72)
    son = max(20, elders[1][2] - rng.randint(22, 30))
    daughter_in_law = max(19, son - rng.randint(-1, 4))
    young: list[Slot] = [(Relation.CHILD, False, son), (Relation.IN_LAW, True, daughter_in_law)]
    return elders + young + _children(rng, daughter_in_law, grandchildren, Relation.GRANDCHILD)


def household_slots(rng: random.Random, size: int) -> tuple[list[Slot], str]:
    """The members of a household of `size` (relation, female, age) and its kind."""
    r = rng.random()
    if size == 1:
        if r < 0.45:
            return [(Relation.HEAD, rng.random() < 0.6, rng.randint(62, 92))], "elderly_alone"
        return [(Relation.HEAD, rng.random() < 0.4, rng.randint(22, 59))], "single"
    if size == 2:
        if r < 0.45:
            return _couple(rng, 60, 86), "elderly_couple"
        if r < 0.9:
            return _couple(rng, 23, 59), "couple"
        parent = rng.randint(30, 52)
        head: list[Slot] = [(Relation.HEAD, rng.random() < 0.7, parent)]
        return head + _children(rng, parent, 1), "single_parent"
    if size in (3, 4) and r < 0.07:
        # grandparents raising grandchildren while the parents work away (留守儿童)
        grandparents = _couple(rng, 55, 74)
        kids = [
            (Relation.GRANDCHILD, rng.random() < 0.48, rng.randint(3, 15)) for _ in range(size - 2)
        ]
        return grandparents + kids, "left_behind"
    if (size == 5 and r < 0.2) or (size == 6 and r < 0.4):
        return _three_generations(rng, size - 4), "three_generations"
    couple = _couple(rng, 22 + 2 * size, 56)
    mother = couple[1][2]
    if size == 3:
        rest = _children(rng, mother, 1) if r < 0.88 else _parents(rng, couple[0][2], 1)
    elif size == 4:
        rest = (
            _children(rng, mother, 2)
            if r < 0.8
            else _children(rng, mother, 1) + _parents(rng, couple[0][2], 1)
        )
    elif size == 5:
        rest = (
            _children(rng, mother, 3)
            if r < 0.45
            else _children(rng, mother, 2) + _parents(rng, couple[0][2], 1)
        )
    else:
        rest = _children(rng, mother, 2) + _parents(rng, couple[0][2], 2)
    return couple + rest, "family"


# -- what each person is like ------------------------------------------------------------------

_EDU = (Edu.NONE, Edu.PRIMARY, Edu.JUNIOR, Edu.SENIOR, Edu.COLLEGE, Edu.BACHELOR, Edu.POSTGRADUATE)
_EDU_BY_AGE = (  # (from age, weights over _EDU)
    (65, (25, 40, 25, 8, 1, 1, 0)),
    (45, (4, 22, 44, 20, 6, 4, 0)),
    (30, (1, 8, 38, 24, 15, 13, 1)),
    (18, (0, 3, 22, 30, 24, 19, 2)),
)
_JOBS: tuple[str, ...] = (Job.EMPLOYED, Job.SELF_EMPLOYED, Job.MIGRANT, Job.FARMING)
_JOBS += (Job.UNEMPLOYED, Job.UNABLE, Job.UNKNOWN)
_JOB_WEIGHTS = {False: (38, 16, 18, 10, 8, 2, 8), True: (22, 8, 32, 22, 10, 3, 3)}
_OLD = (Job.RETIRED, Job.FARMING, Job.UNABLE, Job.UNKNOWN)
_OLD_WEIGHTS = {False: (40, 25, 10, 25), True: (10, 50, 12, 28)}


def _education(rng: random.Random, age: int, relocated: bool) -> str:
    if age < 6:
        return Edu.UNKNOWN
    if age < 12:
        return Edu.PRIMARY
    if age < 15:
        return Edu.JUNIOR
    if age < 18:
        return Edu.SENIOR if rng.random() < 0.8 else Edu.JUNIOR
    weights: tuple[float, ...] = next(w for start, w in _EDU_BY_AGE if age >= start)
    if relocated:  # fewer years of school in the remote villages the families came from
        weights = tuple(w * 1.6 if i < 3 else w for i, w in enumerate(weights))
    return rng.choices(_EDU, weights)[0]


def _employment(rng: random.Random, age: int, education: str, relocated: bool) -> str:
    if age < 6:
        return Job.PRESCHOOL
    if age < 18:
        return Job.STUDENT
    if age < 23 and (education in (Edu.COLLEGE, Edu.BACHELOR) or rng.random() < 0.3):
        return Job.STUDENT
    if age >= 60:
        return rng.choices(_OLD, _OLD_WEIGHTS[relocated])[0]
    return rng.choices(_JOBS, _JOB_WEIGHTS[relocated])[0]


def _politics(rng: random.Random, age: int, female: bool) -> str:
    r = rng.random()
    if age >= 18:
        party = 0.04 if female else (0.13 if age >= 60 else 0.09)
        if r < party:
            return Politics.PARTY
        if r < party + 0.003:
            return Politics.PROBATIONARY
        if r < party + 0.005:
            return Politics.OTHER_PARTY
    if 14 <= age <= 28 and rng.random() < 0.45:
        return Politics.LEAGUE
    return Politics.MASSES


def _tags(rng: random.Random, m: Member, kind: str, family: Family, low_income: bool) -> list[str]:
    age, tags = m.age, []
    if family.relocated:
        tags.append("relocated")
    if kind == "elderly_alone":
        tags.append("elderly_alone")
    if kind == "left_behind" and m.relation == Relation.GRANDCHILD and age < 16:
        tags.append("left_behind_child")
    if rng.random() < (0.05 if age >= 60 else 0.012):
        tags.append("disabled")
    if low_income:
        tags.append("low_income")
    if 18 <= age <= 65 and rng.random() < 0.003:
        tags.append("key_person")
    if not m.female and 22 <= age <= 80 and rng.random() < 0.03:
        tags.append("veteran")
    return tags


def _has_phone(rng: random.Random, age: int) -> bool:
    if age < 12:
        return False
    share = 0.05 if age < 16 else 0.93 if age < 70 else 0.6 if age < 80 else 0.3
    return rng.random() < share


def _moved_in(rng: random.Random, relocated: bool) -> datetime.date:
    if relocated:  # the relocation community was settled from spring 2019 to autumn 2021
        return datetime.date(2019, 5, 1) + datetime.timedelta(days=rng.randrange(915))
    year = max(1990, NOW_DATE.year - int(rng.expovariate(1 / 9)))
    last = (NOW_DATE - datetime.date(year, 1, 1)).days - 60 if year == NOW_DATE.year else 364
    return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(max(1, last)))


def _ethnicity(rng: random.Random) -> str:
    return rng.choices([e for e, _w in ETHNICITIES], [w for _e, w in ETHNICITIES])[0]


def _surname(rng: random.Random, relation: str, female: bool, line: str, kind: str) -> str:
    """Children take the family line's surname (the father's); spouses and mothers their own."""
    if relation == Relation.HEAD and not female:
        return line
    if relation == Relation.CHILD or (relation == Relation.PARENT and not female):
        return line
    if relation == Relation.GRANDCHILD:
        # grandparents often raise a daughter's children, who carry their father's surname
        return rng.choice(SURNAMES) if kind == "left_behind" and rng.random() < 0.25 else line
    return rng.choice(SURNAMES)


def _fill(
    rng: random.Random,
    family: Family,
    ids: IdMaker,
    phones: PhoneMaker,
    origins: Sequence[tuple[str, str]],
) -> None:
    sizes = RELOCATED_SIZE_WEIGHTS if family.relocated else SIZE_WEIGHTS
    slots, kind = household_slots(rng, rng.choices(SIZES, sizes)[0])
    line = rng.choice(SURNAMES)
    low_income = rng.random() < (0.09 if family.relocated else 0.03)
    ethnicity = _ethnicity(rng)
    moved_in = _moved_in(rng, family.relocated)
    for relation, female, age in slots:
        birth = birth_for(rng, age)
        married_in = relation in (Relation.SPOUSE, Relation.IN_LAW)
        home = rng.random() < (0.8 if married_in else 0.97 if age >= 18 else 0.995)
        m = Member(
            name=person_name(rng, _surname(rng, relation, female, line, kind), female=female),
            female=female,
            birth=birth,
            relation=relation,
            id_number=ids(HOME_REGION if home else rng.choice(NEARBY_REGIONS), birth, female),
            ethnicity=_ethnicity(rng) if married_in else ethnicity,
            moved_in=max(moved_in, birth),
        )
        m.education = _education(rng, age, family.relocated)
        m.employment = _employment(rng, age, m.education, family.relocated)
        jobs = OCCUPATIONS.get(m.employment)
        m.occupation = rng.choice(jobs) if jobs and rng.random() < 0.6 else ""
        m.politics = _politics(rng, age, female)
        m.phone = phones() if _has_phone(rng, age) else ""
        m.tags = _tags(rng, m, kind, family, low_income)
        family.members.append(m)
    if family.relocated:
        township, village = rng.choice(origins)
        family.members[0].notes = f"易地扶贫搬迁安置，原籍{township}{village}"


def draw_families(
    rng: random.Random, communities: Sequence[tuple[str, Sequence[str]]]
) -> list[Family]:
    """Households for every micro grid of `communities` (name, grid3 codes in tree order).

    Guarantees: 6–11 households per grid of 1–6 members each; exactly one head per household,
    listed first; ages fit relations (children younger than their mother by 19+ years); ID
    numbers valid and unique; phones unique; the relocation community's members carry the
    `relocated` tag and its heads their home village in the notes.
    """
    ids, phones = IdMaker(), PhoneMaker(rng)
    origins = [(t.name, v) for t in data.TOWNSHIPS if t is not data.SEAT for v in t.villages]
    families: list[Family] = []
    for ci, (community, grids) in enumerate(communities, 1):
        streets = addresses.Streets(community)
        serial = 0
        for gi, grid in enumerate(grids):
            for place in streets.places(rng, gi, rng.randint(*HOUSEHOLDS_PER_GRID)):
                serial += 1
                family = Family(
                    number=f"LQ{ci}-{serial:05d}",
                    grid=grid,
                    community=community,
                    place=place,
                    relocated=community == data.RELOCATION_COMMUNITY,
                )
                _fill(rng, family, ids, phones, origins)
                families.append(family)
    return families
