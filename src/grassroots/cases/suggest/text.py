"""A description as the model sees it: personal data removed, then segmented by jieba.

Phone numbers, ID numbers and the names of the registry (and the case's own reporter) are
replaced by nothing before a description is used for training, so that neither the training
text nor the model's vocabulary holds them. Segmentation uses jieba's dictionary with the
catalogue's matter names, keywords and knowledge-base titles added, so that "路灯不亮" and
"拖欠工资" stay whole words.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Collection, Iterable

import jieba

# The longest text the model reads: a 10,000-character paste is cut, not refused.
MAX_CHARS = 500

# mobile numbers, landlines with or without the area code's dash, ID numbers (18 or 15 digits)
_ID = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{7,8})(?!\d)")
_SPACE = re.compile(r"\s+")
# a name is two to four characters long (复姓 with two given characters at most)
_NAME_LENGTHS = (4, 3, 2)

jieba.setLogLevel(logging.WARNING)


def scrub(text: str, names: Collection[str] = ()) -> str:
    """`text` without ID numbers, phone numbers and any of `names`, whitespace collapsed,
    cut to MAX_CHARS. Names are matched as whole strings of two to four characters."""
    text = _ID.sub(" ", text[: MAX_CHARS * 2])
    text = _PHONE.sub(" ", text)
    if names:
        text = _drop_names(text, names)
    return _SPACE.sub(" ", text).strip()[:MAX_CHARS]


def _drop_names(text: str, names: Collection[str]) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        for n in _NAME_LENGTHS:
            if text[i : i + n] in names:
                out.append(" ")
                i += n
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


class Segmenter:
    """jieba with extra words; one dictionary per set of words, built once per process."""

    _cache: dict[tuple[str, ...], Segmenter] = {}
    _lock = threading.Lock()

    def __init__(self, words: tuple[str, ...]) -> None:
        self.words = words
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.initialize()
        for w in words:
            self._tokenizer.add_word(w, freq=2000)

    @classmethod
    def of(cls, words: Iterable[str]) -> Segmenter:
        key = tuple(sorted({w.strip() for w in words if len(w.strip()) > 1}))
        with cls._lock:
            found = cls._cache.get(key)
            if found is None:
                found = cls._cache[key] = cls(key)
            return found

    def words_of(self, text: str) -> list[str]:
        """The words of `text`: jieba's segments without punctuation and spaces, lower-cased."""
        return [w for w in self._tokenizer.lcut(text.lower(), HMM=True) if _is_word(w)]


def _is_word(w: str) -> bool:
    return any(ch.isalnum() for ch in w)
