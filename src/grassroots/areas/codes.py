"""Area codes: 12-digit administrative division codes, and generated codes for grids. Pure."""

from __future__ import annotations

import re

from grassroots.areas.choices import ADMIN_CODE_LEVELS, Level

_ADMIN = re.compile(r"^\d{12}$")
# Significant digits of an administrative code per level: 6 for a county (141126),
# 9 for a township (141126100), 12 for a community or village.
SIGNIFICANT = {Level.COUNTY: 6, Level.TOWNSHIP: 9, Level.COMMUNITY: 12, Level.VILLAGE: 12}
# A grid's code is its parent's code plus this many digits.
GRID_SUFFIX = {Level.GRID1: 2, Level.GRID2: 2, Level.GRID3: 3}


def code_problem(code: str, level: str, parent_code: str | None) -> str | None:
    """Why `code` cannot name a node of `level` under a parent coded `parent_code`, or None."""
    lv = Level(level)
    if lv in ADMIN_CODE_LEVELS:
        if not _ADMIN.match(code):
            return "an administrative code has exactly 12 digits"
        keep = SIGNIFICANT[lv]
        if lv != Level.COMMUNITY and lv != Level.VILLAGE and code[keep:] != "0" * (12 - keep):
            return f"a {lv.value} code has {keep} significant digits followed by zeros"
        if code[:keep] == "0" * keep:
            return "the code is all zeros"
        if parent_code is not None:
            parent_keep = keep - 3
            if code[:parent_keep] != parent_code[:parent_keep]:
                return f"the code must start with the parent's {parent_code[:parent_keep]}"
        return None
    width = GRID_SUFFIX[lv]
    if parent_code is None:
        return "a grid needs a parent"
    if not (
        len(code) == len(parent_code) + width
        and code.startswith(parent_code)
        and code[len(parent_code) :].isdigit()
    ):
        return f"a {lv.value} code is the parent's code followed by {width} digits"
    return None


def grid_code(parent_code: str, level: str, number: int) -> str:
    """The code of the `number`-th (1-based) grid of `level` under `parent_code`."""
    width = GRID_SUFFIX[Level(level)]
    return f"{parent_code}{number:0{width}d}"
