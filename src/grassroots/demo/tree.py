"""The demo's area tree as plain values, before anything is written: codes, names, rectangles.

`build_tree` is pure apart from the seeded random generator it is given, so the same seed always
gives the same tree; `area_rows` turns it into the rows of one `area_import`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from grassroots.areas.choices import Level
from grassroots.areas.codes import grid_code
from grassroots.areas.services import AreaRow
from grassroots.demo import data, geometry
from grassroots.demo.geometry import Rect


@dataclass
class Node:
    """One area of the plan; `children` tile `rect` exactly."""

    code: str
    name: str
    level: str
    rect: Rect
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)

    def add(self, code: str, name: str, level: str, rect: Rect) -> Node:
        child = Node(code=code, name=name, level=level, rect=rect, parent=self)
        self.children.append(child)
        return child

    def walk(self) -> Iterator[Node]:
        """This node, then its descendants depth first, in the order they were added."""
        yield self
        for child in self.children:
            yield from child.walk()


def spread(total: int, parts: int, rng: random.Random) -> list[int]:
    """`parts` counts summing to `total`, each ⌊total/parts⌋ or one more; `rng` picks which."""
    base, extra = divmod(total, parts)
    bigger = set(rng.sample(range(parts), extra))
    return [base + (1 if i in bigger else 0) for i in range(parts)]


def _township_rects() -> dict[str, Rect]:
    cells = geometry.grid(data.COUNTY_RECT, 3, 3)
    return {t.code: cells[t.cell[0]][t.cell[1]] for t in data.TOWNSHIPS}


def _add_grids(communities: list[Node], rng: random.Random) -> None:
    grid1_counts = sorted(spread(data.GRID1_TOTAL, len(communities), rng), reverse=True)
    grid2_counts = spread(data.GRID2_TOTAL, data.GRID1_TOTAL, rng)
    grid3_counts = spread(data.GRID3_TOTAL, data.GRID2_TOTAL, rng)
    # Large grids are numbered 1–60 across the whole town, so "3-2-4微网格" names one grid.
    g1_number = g2_index = 0
    for community, n1 in zip(communities, grid1_counts, strict=True):
        for i1, r1 in enumerate(geometry.split(community.rect, n1), 1):
            g1_number += 1
            g1 = community.add(
                grid_code(community.code, Level.GRID1, i1), f"第{g1_number}大网格", Level.GRID1, r1
            )
            n2 = grid2_counts[g1_number - 1]
            for i2, r2 in enumerate(geometry.split(r1, n2), 1):
                g2 = g1.add(
                    grid_code(g1.code, Level.GRID2, i2), f"{g1_number}-{i2}小网格", Level.GRID2, r2
                )
                n3 = grid3_counts[g2_index]
                g2_index += 1
                for i3, r3 in enumerate(geometry.split(r2, n3), 1):
                    g2.add(
                        grid_code(g2.code, Level.GRID3, i3),
                        f"{g1_number}-{i2}-{i3}微网格",
                        Level.GRID3,
                        r3,
                    )


def build_tree(rng: random.Random) -> Node:
    """The whole demo tree under 石楼县, drawn with `rng` (how many grids go where).

    Guarantees: 9 townships; 4–8 villages each; 7 communities under 灵泉镇 holding exactly
    60 / 214 / 1,116 grids of levels 1 / 2 / 3; codes valid for their level and parent; every
    node's children tile its rectangle, except that 灵泉镇's villages and communities together
    tile it (the communities tile the county seat's built-up area).
    """
    county = Node(data.COUNTY_CODE, data.COUNTY_NAME, Level.COUNTY, data.COUNTY_RECT)
    rects = _township_rects()
    communities: list[Node] = []
    for township in data.TOWNSHIPS:
        trect = rects[township.code]
        tnode = county.add(township.code, township.name, Level.TOWNSHIP, trect)
        prefix = township.code[:9]
        if township is data.SEAT:
            urban = geometry.split(data.URBAN_RECT, len(data.COMMUNITIES))
            for i, (name, rect) in enumerate(zip(data.COMMUNITIES, urban, strict=True), 1):
                communities.append(tnode.add(f"{prefix}{i:03d}", name, Level.COMMUNITY, rect))
            outskirts = geometry.frame(trect, data.URBAN_RECT)
            village_rects = geometry.fill(outskirts, len(township.villages))
        else:
            village_rects = geometry.split(trect, len(township.villages))
        for i, (name, rect) in enumerate(zip(township.villages, village_rects, strict=True)):
            code = f"{prefix}{data.FIRST_VILLAGE + i:03d}"
            tnode.add(code, name, Level.VILLAGE, rect)
    _add_grids(communities, rng)
    return county


def area_rows(county: Node) -> list[AreaRow]:
    """One `AreaRow` per node, parents before children, each with its rectangle as polygon."""
    return [
        AreaRow(
            line=line,
            code=node.code,
            name=node.name,
            level=node.level,
            parent_code=node.parent.code if node.parent else None,
            polygon=geometry.polygon(node.rect),
        )
        for line, node in enumerate(county.walk(), 1)
    ]
