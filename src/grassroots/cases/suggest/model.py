"""The classifier: word and character n-grams of a description, a linear model over matters.

Two TF-IDF views of a scrubbed description — jieba's words (one and two in a row) and
characters (one to three in a row, which catch "黑" in "黑乎乎的" and typos the words miss) —
side by side, and a multinomial logistic regression over the matters with class weights that
make each matter's examples weigh alike in total (dampened by a square root, so the county's
common matters keep their prior): a matter with five seed examples stays reachable beside one
with five thousand cases. Its probabilities are the scores; the features that pushed the top
matters up most are the "why".
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
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from grassroots.cases.suggest.text import Segmenter, scrub

# Up to this many suggestions, and this many words of "why" for each.
TOP = 5
WHY = 4
# Regularisation of the logistic regression (larger: fits the examples more closely).
C = 20.0
# The most frequent n-grams kept per view: bounds the model (and the solver's memory, which
# holds a few copies of matters × features) however large the history grows.
FEATURES = 20_000
FORMAT = 1


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
    clf: LogisticRegression
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
        proba = self.clf.predict_proba(x)[0]
        order = np.argsort(-proba)[:top]
        names = self._names()
        row = x.getrow(0)
        guesses = []
        for k in order:
            contrib = row.data * self.clf.coef_[k, row.indices]
            ranked = [names[row.indices[j]] for j in np.argsort(-contrib) if contrib[j] > 0]
            guesses.append(
                Guess(matter=str(self.clf.classes_[k]), score=float(proba[k]), why=_why(ranked))
            )
        return guesses

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
    a word already listed are left out, a word pair is shown as its two words."""
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
        tokenizer=str.split, token_pattern=None, lowercase=False, ngram_range=(1, 2),
        sublinear_tf=True, max_features=FEATURES,
    )  # fmt: skip
    char_vec = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, max_features=FEATURES
    )
    joined = [" ".join(seg.words_of(t)) for t in texts]
    runs = [" ".join(_runs(t)) for t in texts]
    x = sparse.hstack([word_vec.fit_transform(joined), char_vec.fit_transform(runs)], "csr")
    totals: dict[str, float] = {}
    for e in examples:
        totals[e.matter] = totals.get(e.matter, 0.0) + e.weight
    mean = sum(totals.values()) / len(totals)
    weights = np.array([e.weight * math.sqrt(mean / totals[e.matter]) for e in examples])
    clf = LogisticRegression(C=C, max_iter=300)
    # one BLAS thread: on a shared machine more threads fight each other (three times slower)
    with threadpool_limits(limits=1):
        clf.fit(x, labels, sample_weight=weights)
    info = {
        "trained_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "examples": len(examples),
        "matters": len(totals),
        **(meta or {}),
    }
    return Model(words=seg.words, word_vec=word_vec, char_vec=char_vec, clf=clf, meta=info)
