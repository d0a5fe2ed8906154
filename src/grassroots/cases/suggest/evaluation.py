"""Scoring a suggester on the resident-talk set (`evalset`), and the baseline it must beat.

The baseline is what the desk could do before the model: a crude vote over every
two-character window of the text through the catalogue's keyword search (`matter_list(q=…)`,
name, keywords and pinyin initials); each window gives one vote to every matter it finds,
ties go to the lower code. `seeds_of_catalogue` and `demo_cases` give the pure-data world of
`catalogue_data` (the demo's catalogue and case texts) for tests and the bench without a
database.

`cross_validate` is the development measure the model's settings were chosen by — never the
resident-talk set: each of the demo's case texts of a matter is held out in turn (fold k holds
out every matter's k-th text) and a model trained on the seeds and the other folds ranks it.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from grassroots.cases import catalogue_data as cd
from grassroots.cases.search import terms_of
from grassroots.cases.suggest.evalset import RESIDENT_TALK
from grassroots.cases.suggest.model import Example, Model, train
from grassroots.cases.suggest.text import scrub
from grassroots.cases.suggest.training import (
    CASE_WEIGHT,
    Seed,
    catalogue_words,
    merge,
    seed_examples,
)

Suggester = Callable[[str], list[str]]


@dataclass(frozen=True)
class Score:
    name: str
    top1: int
    top3: int
    total: int
    median_ms: float


def evaluate(
    name: str, suggest: Suggester, cases: Sequence[tuple[str, str]] = RESIDENT_TALK
) -> Score:
    """How often the right matter is first and among the first three, with the median time."""
    first = three = 0
    times = []
    for text, matter in cases:
        t0 = time.perf_counter()
        codes = suggest(text)[:3]
        times.append(time.perf_counter() - t0)
        first += bool(codes) and codes[0] == matter
        three += matter in codes
    times.sort()
    median = times[len(times) // 2] * 1000 if times else 0.0
    return Score(name, first, three, len(cases), round(median, 2))


def keyword_vote(text: str, search: Callable[[str], Sequence[str]]) -> list[str]:
    """The baseline: every two-character window of `text` searched, each found matter a vote."""
    votes: Counter[str] = Counter()
    for window in terms_of(text):
        votes.update(set(search(window)))
    return [code for code, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))]


def seeds_of_catalogue() -> list[Seed]:
    """The demo's catalogue and knowledge base as seeds (no database)."""
    articles: dict[str, list[tuple[str, str]]] = {}
    for a in cd.ARTICLES:
        articles.setdefault(a.matter, []).append((a.title, a.body))
    return [
        Seed(m.code, m.name, m.keywords, m.description, articles.get(m.code, []))
        for m in cd.MATTERS
    ]


def demo_cases() -> list[tuple[str, str]]:
    """The demo's case texts with their matters (each text once)."""
    return [(t, code) for code, texts in cd.DESCRIPTIONS.items() for t in texts]


# A run this long shared with a training text makes a resident-talk description "seen".
SHARED_RUN = 7


def training_texts() -> list[str]:
    """Every text the demo's model learns from: the seeds and the demo's case texts."""
    seeds = seeds_of_catalogue()
    return [e.text for e in seed_examples(seeds)] + [scrub(t) for t, _ in demo_cases()]


def unseen(
    cases: Sequence[tuple[str, str]] = RESIDENT_TALK, n: int = SHARED_RUN
) -> list[tuple[str, str]]:
    """The descriptions of `cases` sharing no run of `n` characters with a training text (the
    evaluation set was written apart from the training data, but everyday phrases such as
    "超市买的牛奶过期" turn up in both; the bench also scores the set without them)."""
    texts = training_texts()

    def seen(text: str) -> bool:
        t = scrub(text)
        return any(t[i : i + n] in x for i in range(len(t) - n + 1) for x in texts)

    return [(text, matter) for text, matter in cases if not seen(text)]


def _ranker(model: Model) -> Suggester:
    return lambda text: [g.matter for g in model.suggest(text, top=3)]


def cross_validate(folds: int = 4) -> Score:
    """The demo's case texts each ranked by a model that did not see it (seeds + other folds):
    how often the right matter is first and among the first three."""
    seeds = seeds_of_catalogue()
    seeded, words = seed_examples(seeds), catalogue_words(seeds)
    first = three = total = 0
    for k in range(folds):
        kept = [
            (text, code)
            for code, texts in cd.DESCRIPTIONS.items()
            for i, text in enumerate(texts)
            if i % folds != k
        ]
        held = [
            (text, code)
            for code, texts in cd.DESCRIPTIONS.items()
            for i, text in enumerate(texts)
            if i % folds == k
        ]
        cases = [Example(scrub(t), code, CASE_WEIGHT) for t, code in kept]
        score = evaluate(f"fold {k}", _ranker(train(merge(seeded + cases), words=words)), held)
        first, three, total = first + score.top1, three + score.top3, total + score.total
    return Score("cross-validation", first, three, total, 0.0)
