"""Synthetic Chinese person names for the demo staff, from a seeded random generator."""

from __future__ import annotations

import random

# Common surnames, the frequent ones of Lüliang listed twice so they come up more often.
SURNAMES = (
    "王王李李张张刘刘郭郭高高贺贺薛任杨马白曹冯韩霍武田赵孙陈崔史温康冀梁宋申段苗乔吕胡郝呼闫常雷"
)

# Characters of given names; a name takes one or two of them.
GIVEN = (
    "建国伟芳军红丽强敏静磊燕勇艳涛霞明斌杰娟鹏慧亮婷华平刚英俊晓文志玉海林"
    "宇欣雪彦瑞云峰荣琴波超辉宏璐佳晨春秀兰梅凤卫东利萍鑫昊浩博楠洁晶永宁丹"
)

# People named in the article (seed/000_*.txt); the demo never gives anyone these names.
REAL_NAMES = frozenset(
    {"张瑞军", "郑云平", "王小东", "王廷洪", "陈俊琦", "郑慧梅", "杨海良", "刘洋"}
)
# Names that read as something else (a country, a famous figure, a plain word).
ODD_NAMES = frozenset({"韩国", "王国", "高明", "高超", "马超", "白雪", "田园", "常春"})


class NameMaker:
    """Draws names from `rng`: the same seed gives the same names in the same order.

    Guarantees: every name is 2 or 3 characters, none is repeated, none is a real name from
    the article or reads as something other than a name.
    """

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def __call__(self) -> str:
        while True:
            given_len = 2 if self._rng.random() < 0.75 else 1
            name = self._rng.choice(SURNAMES) + "".join(
                self._rng.choice(GIVEN) for _ in range(given_len)
            )
            if name not in self._used and name not in REAL_NAMES and name not in ODD_NAMES:
                self._used.add(name)
                return name


# Characters of given names by sex, for residents (staff names above are drawn without it).
MALE_GIVEN = "建国伟军强磊勇涛明斌杰鹏亮平刚俊志海林宇峰波超辉宏昊浩博永东卫利鑫龙福生旺成"
FEMALE_GIVEN = "芳红丽敏静燕艳霞娟慧婷英晓玉欣雪琴璐佳晨秀兰梅凤萍丹晶洁楠宁桂香翠莲娜"


def person_name(rng: random.Random, surname: str, *, female: bool) -> str:
    """A resident's name with `surname`: one or two characters fitting the sex, never one of
    `REAL_NAMES` or `ODD_NAMES`. Names may repeat (a county has many 王伟)."""
    pool = FEMALE_GIVEN if female else MALE_GIVEN
    while True:
        given_len = 2 if rng.random() < 0.7 else 1
        name = surname + "".join(rng.choice(pool) for _ in range(given_len))
        if name not in REAL_NAMES and name not in ODD_NAMES:
            return name
