"""Suggestions for the desk, the API, patrol and Open311: the model's, else the keyword vote.

The suggestion never decides: it lists matters, the operator picks one, and the picked
matter's routing works as without it. With `area` the unit shown is where `routing.route`
would send the case; without, the matter's own unit. When no model can be read (none trained
yet, a missing or corrupt file) the answer comes from the catalogue's keyword search
(`evaluation.keyword_vote`) and says so (`source`), never an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.areas.selectors import area_get
from grassroots.cases import routing, selectors
from grassroots.cases.models import Matter
from grassroots.cases.search import terms_of
from grassroots.cases.suggest import store
from grassroots.cases.suggest.evaluation import keyword_vote
from grassroots.cases.suggest.model import TOP
from grassroots.cases.suggest.text import MAX_CHARS, scrub
from grassroots.core.models import User
from grassroots.core.roles import Perm

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
