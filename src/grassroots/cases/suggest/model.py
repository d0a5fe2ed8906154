"""The classifier: words and characters of a description, a linear model over matters.

Two TF-IDF views of a scrubbed description — jieba's words and characters (one and two in a
row, within runs of letters and digits: they catch "黑" in "黑乎乎的" and typos the words miss)
— side by side, and a linear support vector machine per matter (scikit-learn's LinearSVC,
one against the rest) with class weights that make each matter's examples weigh alike in total
(dampened by a square root, so the county's common matters keep part of their prior): a matter
with five seed examples stays reachable beside one with five thousand cases. The scores are a
softmax of the margins at TEMPERATURE; the features that pushed the top matters up most are
the "why".

The settings (the n-gram ranges, C, the case weight in `training`, the temperature) were chosen
by 4-fold cross-validation over the demo's case texts (`evaluation.cross_validate`), never on
the resident-talk evaluation set (docs/cases.md, "How it is measured").
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from grassroots.cases.suggest.text import Segmenter, scrub

# Up to this many suggestions, and this many words of "why" for each.
TOP = 5
WHY = 4
# Regularisation of the support vector machines (larger: fits the examples more closely).
C = 0.3
# The softmax temperature that turns margins into scores: the one with the least log-loss of
# the right matter in the cross-validation (a score above 0.8 was right 95 times in 100 there).
TEMPERATURE = 0.06
# The most frequent n-grams kept per view: bounds the model however large the history grows.
FEATURES = 20_000
FORMAT = 2


@dataclass(frozen=True)
class Example:
    """One training text (already scrubbed) and its matter; `weight` counts repeats."""

    text: str
    matter: str
    weight: float = 1.0


@dataclass(frozen=True)
class Guess:
    matter: str
    score: float
    why: list[str]


@dataclass
class Model:
    """A trained suggester with what it was trained on (`meta`: date, counts, evaluation)."""

    words: tuple[str, ...]
    word_vec: TfidfVectorizer
    char_vec: TfidfVectorizer
    classes: np.ndarray  # the matters' codes, in the order of `coef`'s rows
    coef: np.ndarray  # matters × features, float32
    intercept: np.ndarray  # one per matter
    meta: dict[str, Any] = field(default_factory=dict)
    format: int = FORMAT

    @property
    def segmenter(self) -> Segmenter:
        return Segmenter.of(self.words)

    def _features(self, texts: Sequence[str]) -> Any:
        seg = self.segmenter
        words = [seg.words_of(t) for t in texts]
        return sparse.hstack(
            [
                self.word_vec.transform([" ".join(w) for w in words]),
                self.char_vec.transform([" ".join(w) for w in map(_runs, texts)]),
            ],
            format="csr",
        )

    def vocabulary(self) -> list[str]:
        """Every feature the model knows (the privacy test reads it)."""
        return [*self.word_vec.get_feature_names_out(), *self.char_vec.get_feature_names_out()]

    def suggest(self, description: str, top: int = TOP) -> list[Guess]:
        """The `top` likeliest matters for `description`, best first, each with its why."""
        text = scrub(description)
        if len(text) < 2:
            return []
        x = self._features([text])
        if x.nnz == 0:
            return []
        proba = self.scores(x)[0]
        order = np.argsort(-proba)[:top]
        names = self._names()
        row = x.getrow(0)
        guesses = []
        for k in order:
            contrib = row.data * self.coef[k, row.indices]
            ranked = [names[row.indices[j]] for j in np.argsort(-contrib) if contrib[j] > 0]
            guesses.append(
                Guess(matter=str(self.classes[k]), score=float(proba[k]), why=_why(ranked))
            )
        return guesses

    def scores(self, x: Any) -> np.ndarray:
        """Each matter's score (0–1, summing to 1) for each row of features `x`."""
        margins = np.asarray(x @ self.coef.T) + self.intercept
        z = (margins - margins.max(axis=1, keepdims=True)) / TEMPERATURE
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def _names(self) -> list[str]:
        names = getattr(self, "_feature_names", None)
        if names is None:
            names = self._feature_names = self.vocabulary()
        return names


_RUNS = re.compile(r"[^\W_]+")


def _runs(text: str) -> list[str]:
    """The runs of letters and digits of `text` (punctuation and spaces make no n-grams)."""
    return _RUNS.findall(text.lower())


def _why(ranked: list[str]) -> list[str]:
    """The strongest features as words a person reads: one-character grams and grams inside
    a word already listed are left out, a word pair is shown as its two words; when only
    single characters drove it ("黑" of "黑乎乎的"), the strongest of those."""
    out: list[str] = []
    for feature in ranked:
        for word in feature.split(" "):
            word = word.strip()
            if len(word) < 2 or any(word in w for w in out):
                continue
            out = [w for w in out if w not in word]
            out.append(word)
        if len(out) >= WHY:
            break
    if not out:
        singles = dict.fromkeys(f.strip() for f in ranked if len(f.strip()) == 1)
        out = [c for c in singles if c.isalnum()]
    return out[:WHY]


def train(
    examples: Sequence[Example], *, words: Sequence[str], meta: dict[str, Any] | None = None
) -> Model:
    """Fit a model on `examples` (at least two matters); `words` join jieba's dictionary."""
    if len({e.matter for e in examples}) < 2:
        raise ValueError("training needs examples of at least two matters")
    seg = Segmenter.of(words)
    texts = [e.text for e in examples]
    labels = [e.matter for e in examples]
    word_vec = TfidfVectorizer(
        tokenizer=str.split, token_pattern=None, lowercase=False, sublinear_tf=True,
        max_features=FEATURES, dtype=np.float32,
    )  # fmt: skip
    char_vec = TfidfVectorizer(
        analyzer="char", ngram_range=(1, 2), sublinear_tf=True, max_features=FEATURES,
        dtype=np.float32,
    )  # fmt: skip
    joined = [" ".join(seg.words_of(t)) for t in texts]
    runs = [" ".join(_runs(t)) for t in texts]
    x = sparse.hstack([word_vec.fit_transform(joined), char_vec.fit_transform(runs)], "csr")
    totals: dict[str, float] = {}
    for e in examples:
        totals[e.matter] = totals.get(e.matter, 0.0) + e.weight
    mean = sum(totals.values()) / len(totals)
    weights = np.array([e.weight * math.sqrt(mean / totals[e.matter]) for e in examples])
    clf = LinearSVC(C=C)
    # one BLAS thread: on a shared machine more threads fight each other
    with threadpool_limits(limits=1):
        clf.fit(x, labels, sample_weight=weights)
    coef, intercept = clf.coef_, clf.intercept_
    if len(clf.classes_) == 2:  # one margin for two matters: the second's, the first's is minus it
        coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
    info = {
        "trained_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "examples": len(examples),
        "matters": len(totals),
        **(meta or {}),
    }
    return Model(
        words=seg.words, word_vec=word_vec, char_vec=char_vec, classes=clf.classes_,
        coef=coef.astype(np.float32), intercept=intercept.astype(np.float32), meta=info,
    )  # fmt: skip
