"""What the model learns from, and how well it does on cases it has not seen.

The examples are the county's closed cases — their description (scrubbed) and their final
matter, the one left after returns and re-dispatch, not the desk's first guess — and the
catalogue and knowledge base as seed examples: each matter's name, keywords and description,
each article's title and policy text. A county with no history gets a model from the seeds
alone. A seed weighs SEED_WEIGHT, a case CASE_WEIGHT; a text repeated for one matter is one
example (repeats add no wording; how common a matter is still shows in how many different
texts it has).

The held-out measure splits by time: the closed cases registered in the newest HOLDOUT_DAYS
are the test, a model trained on the older ones (and the seeds) is scored on them, top 1 and
top 3; the model kept is then trained on all of them. Its `meta` carries the date, the counts
and that evaluation.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from grassroots.cases.choices import State
from grassroots.cases.models import Article, Case, Matter
from grassroots.cases.suggest.model import TOP, Example, Model, train
from grassroots.cases.suggest.text import scrub

HOLDOUT_DAYS = 30
# The newest closed cases a model learns from: a county's words and matters drift, and the cap
# bounds training time and memory however long the history grows (at 100,000 cases: see the
# README's benchmark).
MAX_CASES = 30_000
# A seed example is the catalogue's own word for its matter; a closed case is one resident's
# account, often with a place and circumstances that say nothing about the matter. Chosen by
# the cross-validation over the demo's case texts (0.5 beside 1 or 3: 88, 80 and 76 % top 1).
SEED_WEIGHT = 1.0
CASE_WEIGHT = 0.5


@dataclass(frozen=True)
class Seed:
    """A matter as the catalogue describes it (from the database or `catalogue_data`)."""

    code: str
    name: str
    keywords: Sequence[str]
    description: str
    articles: Sequence[tuple[str, str]] = ()  # (title, body)


class NothingToTrain(ValueError):
    """No active matter to learn: a county whose catalogue is still empty (the desk searches
    by keyword until there is one)."""


def catalogue_words(seeds: Iterable[Seed]) -> list[str]:
    """The words jieba must keep whole: matter names, keywords, article titles."""
    out: list[str] = []
    for s in seeds:
        out += [s.name, *s.keywords, *(title for title, _ in s.articles)]
    return out


def seed_examples(seeds: Iterable[Seed]) -> list[Example]:
    """One example per name, keyword, description, article title and article text."""
    out = []
    for s in seeds:
        texts = [s.name, *s.keywords, s.description]
        for title, body in s.articles:
            texts += [title, body]
        out += [Example(scrub(t), s.code, SEED_WEIGHT) for t in texts if scrub(t)]
    return out


def merge(examples: Iterable[Example]) -> list[Example]:
    """Repeated (text, matter) pairs as one example with the largest of their weights."""
    weights: dict[tuple[str, str], float] = {}
    for e in examples:
        weights[(e.text, e.matter)] = max(weights.get((e.text, e.matter), 0.0), e.weight)
    return [Example(text, matter, w) for (text, matter), w in weights.items()]


def county_seeds() -> list[Seed]:
    """The active catalogue and its knowledge base, as seeds."""
    articles: dict[int, list[tuple[str, str]]] = {}
    for a in Article.objects.filter(matter__active=True).order_by("id"):
        articles.setdefault(a.matter_id, []).append((a.title, a.body))
    return [
        Seed(m.code, m.name, m.keywords.split(), m.description, articles.get(m.pk, []))
        for m in Matter.objects.filter(active=True).order_by("code")
    ]


def registry_names() -> set[str]:
    """Every name in the registry (residents), to be removed from training texts."""
    from grassroots.people.models import Resident

    return {n for n in Resident.objects.values_list("name", flat=True).distinct() if n}


@dataclass(frozen=True)
class Closed:
    """A closed case's scrubbed text, final matter and registration time."""

    text: str
    matter: str
    created_at: datetime.datetime


def closed_cases(names: set[str]) -> list[Closed]:
    """The county's closed cases of active matters, oldest first, scrubbed of personal data
    (those the model learns from are the newest MAX_CASES)."""
    rows = (
        Case.objects.filter(state=State.CLOSED, matter__active=True)
        .order_by("created_at", "id")
        .values_list("description", "reporter_name", "matter__code", "created_at")
    )
    out = []
    for description, reporter, code, created in rows.iterator(chunk_size=2000):
        text = scrub(description, names | {reporter} if reporter else names)
        if text:
            out.append(Closed(text, code, created))
    return out


CONFUSED = 10


def accuracy(model: Model, tests: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Top-1 and top-3 accuracy of `model` on (text, matter) pairs, in percent, and the
    CONFUSED pairs (right matter, first suggestion, count) most often mistaken."""
    first = three = 0
    confused: dict[tuple[str, str], int] = {}
    for text, matter in tests:
        codes = [g.matter for g in model.suggest(text, top=3)]
        first += bool(codes) and codes[0] == matter
        three += matter in codes
        if codes and codes[0] != matter:
            confused[(matter, codes[0])] = confused.get((matter, codes[0]), 0) + 1
    n = max(len(tests), 1)
    worst = sorted(confused.items(), key=lambda kv: (-kv[1], kv[0]))[:CONFUSED]
    return {
        "top1": round(100 * first / n, 1),
        "top3": round(100 * three / n, 1),
        "confused": [[right, wrong, count] for (right, wrong), count in worst],
    }


def train_county(*, now: datetime.datetime | None = None) -> Model:
    """Train the county's model from its closed cases and catalogue, with the held-out
    evaluation of the newest HOLDOUT_DAYS in its `meta`."""
    now = now or timezone.now()
    started = time.monotonic()
    seeds = county_seeds()
    if not seeds:
        raise NothingToTrain("the catalogue has no active matters")
    words = catalogue_words(seeds)
    seeded = seed_examples(seeds)
    cases = closed_cases(registry_names())[-MAX_CASES:]
    cut = now - datetime.timedelta(days=HOLDOUT_DAYS)
    older = [Example(c.text, c.matter, CASE_WEIGHT) for c in cases if c.created_at < cut]
    newest = [(c.text, c.matter) for c in cases if c.created_at >= cut]
    evaluation: dict[str, Any] = {"held_out": len(newest), "since": cut.date().isoformat()}
    if newest and older:
        evaluation.update(accuracy(train(merge(seeded + older), words=words), newest))
    examples = merge(seeded + [Example(c.text, c.matter, CASE_WEIGHT) for c in cases])
    meta = {
        "cases": len(cases),
        "seeds": len(seeded),
        "evaluation": evaluation,
        "top": TOP,
    }
    model = train(examples, words=words, meta=meta)
    model.meta["seconds"] = round(time.monotonic() - started, 1)
    return model
