"""Dwellings of the county seat's communities: estates, blocks and street numbers. Pure.

The relocation community (石楼小镇) is all apartment blocks, four micro grids to a block (one
stairwell each), so "石楼小镇3号楼" in a case names the grids of block 3. The other communities mix
estates of blocks with courtyard houses along their streets. Every address is unique county-wide.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from grassroots.demo import data

GRIDS_PER_BLOCK = 4
_FLOORS = 11
_ROOMS_PER_FLOOR = 4

# Streets and estates of each ordinary community (invented names).
STREETS: dict[str, tuple[str, ...]] = {
    "东城社区": ("东关街", "东城路", "文化巷"),
    "西城社区": ("西关街", "西城路", "育才巷"),
    "南关社区": ("南关街", "迎宾路", "南河巷"),
    "北关社区": ("北关街", "北环路", "粮站巷"),
    "龙泉社区": ("龙泉路", "龙泉巷", "新华街"),
    "屈产社区": ("屈产路", "屈产巷", "人民街"),
}
ESTATES: dict[str, tuple[str, ...]] = {
    "东城社区": ("东城花园", "阳光小区"),
    "西城社区": ("西城佳苑", "和谐家园"),
    "南关社区": ("南关新村", "河畔小区"),
    "北关社区": ("北关小区", "锦绣苑"),
    "龙泉社区": ("龙泉御景", "翠苑小区"),
    "屈产社区": ("屈产花园", "怡和苑"),
}
RELOCATION_ESTATE = "石楼小镇"


@dataclass(frozen=True)
class Place:
    """A dwelling: its full address and, for a flat, block, stairwell and room."""

    address: str
    building: str = ""
    unit: str = ""
    room: str = ""


def block_of(grid_index: int) -> int:
    """The block (1-based) of the relocation community's `grid_index`-th (0-based) micro grid."""
    return grid_index // GRIDS_PER_BLOCK + 1


class Streets:
    """Hands out the dwellings of one community, micro grid by micro grid."""

    def __init__(self, community: str) -> None:
        self.community = community
        self.relocation = community == data.RELOCATION_COMMUNITY
        self._blocks: dict[str, int] = {}
        self._numbers: dict[str, int] = {}

    def places(self, rng: random.Random, grid_index: int, count: int) -> list[Place]:
        """`count` distinct dwellings for the community's `grid_index`-th micro grid."""
        if self.relocation:
            block = block_of(grid_index)
            stair = grid_index % GRIDS_PER_BLOCK + 1
            return self._flats(rng, RELOCATION_ESTATE, block, stair, count)
        if rng.random() < 0.55:
            estate = rng.choice(ESTATES[self.community])
            block = self._blocks[estate] = self._blocks.get(estate, 0) + 1
            return self._flats(rng, estate, block, rng.randint(1, 3), count)
        street = rng.choice(STREETS[self.community])
        first = self._numbers.get(street, 0) + 1
        self._numbers[street] = first + count - 1
        return [Place(f"{street}{n}号") for n in range(first, first + count)]

    @staticmethod
    def _flats(rng: random.Random, estate: str, block: int, stair: int, count: int) -> list[Place]:
        rooms = sorted(rng.sample(range(_FLOORS * _ROOMS_PER_FLOOR), count))
        places = []
        for r in rooms:
            room = f"{r // _ROOMS_PER_FLOOR + 1}{r % _ROOMS_PER_FLOOR + 1:02d}"
            places.append(
                Place(
                    f"{estate}{block}号楼{stair}单元{room}室", f"{block}号楼", f"{stair}单元", room
                )
            )
        return places
