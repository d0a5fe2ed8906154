"""Suggestions for the desk, the API, patrol and Open311: the model's, else the keyword vote.

The suggestion never decides: it lists matters, the operator picks one, and the picked
matter's routing works as without it. With `area` the unit shown is where `routing.route`
would send the case; without, the matter's own unit. When no model can be read (none trained
yet, a missing or corrupt file) the answer comes from the catalogue's keyword search
(`evaluation.keyword_vote`) and says so (`source`), never an error.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.areas.selectors import area_get
from grassroots.cases import routing, selectors
from grassroots.cases.models import Case, Matter
from grassroots.cases.search import terms_of
from grassroots.cases.suggest import store
from grassroots.cases.suggest.evaluation import keyword_vote
from grassroots.cases.suggest.model import TOP
from grassroots.cases.suggest.text import MAX_CHARS, scrub
from grassroots.core.models import User
from grassroots.core.roles import Perm

# The keyword fallback reads this much of the text (each two-character window is a query).
FALLBACK_CHARS = 120
MODEL = "model"
KEYWORDS = "keywords"


@dataclass(frozen=True)
class Suggestion:
    matter: Matter
    score: float
    why: list[str]
    unit: Any  # Unit | None (the county hotline desk)


@dataclass
class Suggestions:
    items: list[Suggestion] = field(default_factory=list)
    source: str = MODEL
    problem: str = ""


_CODE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")


def shown_extra(value: Any) -> dict[str, Any]:
    """The case's `extra` for the suggestions the desk showed ("M055,M082,M083" from the form),
    so that a suggestion the operator ignored is counted (`ignored_counts`); {} if none."""
    codes = [c for c in str(value or "").split(",") if _CODE.match(c)][:TOP]
    return {"suggested": codes} if codes else {}


def ignored_counts(*, since: datetime.datetime) -> dict[str, int]:
    """Of the cases registered since `since` with suggestions shown: how many took the first,
    another of those shown, or a matter not suggested at all (the operator ignored them)."""
    counts = {"shown": 0, "first": 0, "other": 0, "ignored": 0}
    rows = Case.objects.filter(created_at__gte=since, extra__has_key="suggested").values_list(
        "extra", "matter__code"
    )
    for extra, code in rows.iterator(chunk_size=2000):
        shown = extra.get("suggested") or []
        counts["shown"] += 1
        if shown and shown[0] == code:
            counts["first"] += 1
        elif code in shown:
            counts["other"] += 1
        else:
            counts["ignored"] += 1
    return counts


def _keyword_search(text: str) -> list[str]:
    return list(selectors.matter_list(q=text).values_list("code", flat=True))


def guesses(
    description: str, top: int = TOP
) -> tuple[list[tuple[str, float, list[str]]], str, str]:
    """(matter code, score, why) best first, the source and the model's problem if any."""
    text = scrub(description[: MAX_CHARS * 4])
    if len(text) < 2:
        return [], MODEL, ""
    loaded = store.load()
    if loaded.model is not None:
        found = loaded.model.suggest(text, top=top)
        return [(g.matter, g.score, g.why) for g in found], MODEL, ""
    text = text[:FALLBACK_CHARS]  # one catalogue query per window: the start of the call
    codes = keyword_vote(text, _keyword_search)[:top]
    windows = terms_of(text)
    out = []
    for code in codes:
        matter = selectors.matter_list().filter(code=code).first()
        words = [w for w in windows if matter and (w in matter.name or w in matter.keywords)]
        out.append((code, 0.0, words[:4]))
    return out, KEYWORDS, loaded.problem


def suggest(
    *, actor: User, description: str, area: int | str | None = None, top: int = TOP
) -> Suggestions:
    """Up to `top` matters for `description`, best first; `area` (in scope, else 404) decides
    the unit shown. Needs the right to register cases."""
    scope_for(actor).require(Perm.CREATE_CASES)
    place: Area | None = area_get(actor=actor, pk=area) if area not in (None, "") else None
    found, source, problem = guesses(description, top)
    matters = selectors.matter_list().in_bulk([code for code, _, _ in found], field_name="code")
    items = []
    for code, score, why in found:
        matter = matters.get(code)
        if matter is None:  # retired from the catalogue since the model was trained
            continue
        unit = routing.route(matter, place).unit if place is not None else matter.unit
        items.append(Suggestion(matter, round(score, 3), why, unit))
    return Suggestions(items, source, problem)
