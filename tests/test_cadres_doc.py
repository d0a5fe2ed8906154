"""docs/cadres.md's worked example, reproduced exactly from the inputs the page shows."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

from grassroots.cadres import pay as p
from grassroots.cadres import scoring as s

DOC = (Path(__file__).resolve().parents[1] / "docs" / "cadres.md").read_text(encoding="utf-8")
EXAMPLE = DOC[DOC.index("## A worked example") : DOC.index("## API")]


def _inputs() -> dict:
    block = re.search(r"```json\n(.*?)\n```", EXAMPLE, re.S)
    assert block is not None
    return json.loads(block.group(1))


def _table() -> dict[str, str]:
    rows = re.findall(r"^\| `([^`]+)` \| ([^|]+) \|$", EXAMPLE, re.M)
    assert len(rows) >= 15
    return {key: value.strip() for key, value in rows}


def test_the_documented_example_is_what_the_rules_compute() -> None:
    raw = _inputs()
    expected = _table()
    result = s.annual_score(s.DEFAULT_SCHEME, s.annual_input_from_json(raw))
    shown = {line.label: str(line.value) for line in result.lines}
    shown.update({k: str(v) for k, v in result.parts.items()})
    got = {
        **shown,
        "total": str(result.total),
        "grade": result.grade,
        "stars": str(result.stars),
        "caps": ", ".join(result.caps) or "none",
    }
    pay = raw["pay"]
    base = p.monthly_base(
        p.DEFAULT_PAY_RULE,
        post=pay["post"],
        tenure_years=pay["tenure_years"],
        both_posts=pay["both_posts"],
    )
    performance = p.annual_performance(
        p.DEFAULT_PAY_RULE,
        stars=result.stars,
        grade=result.grade,
        adjustments=[p.adjustment_of(*a) for a in pay["adjustments"]],
    )
    got["monthly_base"] = str(base.amount)
    got["performance"] = str(performance.amount)
    got["year_pay"] = str(base.amount * 12 + performance.amount)
    for key, value in expected.items():
        assert got[key] == value, key
    assert result.total == Decimal(expected["total"])


def test_the_documented_cap_holds() -> None:
    raw = _inputs()
    raw["reviews"]["representatives"] = {
        "votes": {"excellent": 20, "competent": 13, "incompetent": 15}
    }
    result = s.annual_score(s.DEFAULT_SCHEME, s.annual_input_from_json(raw))
    assert result.stars == 2 and result.warning_talk
