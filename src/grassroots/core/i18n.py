"""Text stored in the source language (Chinese), shown in the reader's language.

Work that runs without a reader — a background import, a command — stores its messages in
Chinese, the source language, whatever language the person who started it uses. Pages translate
them when they show them: `translate_stored` finds the catalogue entry the text was made from,
including entries with placeholders (``文件中有 %(n)d 行有错误…``), and renders that entry in the
active language with the same values. Text that no entry made is shown as stored.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, trans_real

_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?([sdif%])")
_CJK = re.compile(r"[\u3400-\u9fff]")


def in_source_language() -> Any:
    """A context in which gettext gives the source text: for messages that are stored."""
    return translation.override(settings.LANGUAGE_CODE)


@functools.lru_cache(maxsize=8)
def _patterns(language: str) -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """(pattern, msgid, longest literal) of every Chinese catalogue entry with placeholders,
    the most specific (longest literal text) first."""
    catalog = getattr(trans_real.translation(language), "_catalog", None)
    keys = [k for k in (catalog.keys() if catalog is not None else []) if isinstance(k, str)]
    found = []
    for msgid in keys:
        if "%" not in msgid or not _CJK.search(msgid):
            continue
        parts, names, literal, pos = [], set(), [], 0
        for m in _PLACEHOLDER.finditer(msgid):
            literal.append(msgid[pos : m.start()])
            parts.append(re.escape(msgid[pos : m.start()]))
            name, kind = m.group(1), m.group(2)
            pos = m.end()
            if kind == "%":
                parts.append("%")
                continue
            if name is None:  # positional placeholders are not used in stored messages
                break
            value = r"-?\d+" if kind in "di" else r"-?\d+(?:\.\d+)?" if kind == "f" else ".+?"
            parts.append(f"(?P={name})" if name in names else f"(?P<{name}>{value})")
            names.add(name)
        else:
            literal.append(msgid[pos:])
            parts.append(re.escape(msgid[pos:]))
            text = "".join(literal)
            if len(text) >= 2:
                found.append((re.compile("".join(parts), re.S), msgid, max(literal, key=len)))
    found.sort(key=lambda f: -len(f[1]))
    return tuple(found)


def translate_stored(text: str) -> str:
    """`text`, stored in the source language, in the active language (unchanged if unknown)."""
    language = translation.get_language()
    if not text or not language or language == settings.LANGUAGE_CODE:
        return text
    exact = gettext(text)
    if exact != text:
        return exact
    for pattern, msgid, literal in _patterns(language):
        if literal not in text:
            continue
        m = pattern.fullmatch(text)
        if m is None:
            continue
        values: dict[str, Any] = {}
        for name, value in m.groupdict().items():
            kind = re.search(rf"%\({name}\)([sdif])", msgid)
            code = kind.group(1) if kind else "s"
            values[name] = int(value) if code in "di" else float(value) if code == "f" else value
        try:
            return gettext(msgid) % values
        except (KeyError, TypeError, ValueError):
            return text
    return text
