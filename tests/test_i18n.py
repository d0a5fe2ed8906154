"""Chinese is the source language; the English catalogue must be complete and compiled."""

import gettext
import re
from pathlib import Path

import grassroots

SRC = Path(grassroots.__file__).parent
PO = SRC / "locale/en/LC_MESSAGES/django.po"
MO = SRC / "locale/en/LC_MESSAGES/django.mo"


def _unescape(s):
    return s.replace('\\"', '"').replace("\\n", "\n")


def catalogue():
    """{msgid: [msgstr forms]} of the .po (continuation lines joined; the header skipped)."""
    entries, key, current, msgid, forms = {}, None, None, None, []

    def flush():
        if msgid:
            entries[msgid] = forms

    for line in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        if m := re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line):
            key, text = m.group(1), _unescape(m.group(2))
            if key == "msgid":
                flush()
                msgid, forms = text, []
            elif key.startswith("msgstr"):
                forms.append(text)
            current = key
        elif line.startswith('"') and current:
            text = _unescape(line[1:-1])
            if current == "msgid":
                msgid += text
            elif current.startswith("msgstr"):
                forms[-1] += text
        elif not line.strip():
            current = None
    flush()
    return entries


def test_every_english_entry_is_translated():
    empty = [k for k, forms in catalogue().items() if any(not f for f in forms)]
    assert empty == []
    assert "fuzzy" not in PO.read_text(encoding="utf-8")


def test_compiled_catalogue_matches_the_source():
    with MO.open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    for msgid, forms in catalogue().items():
        assert mo.gettext(msgid) == forms[0] or len(forms) > 1, msgid


def test_every_marked_string_is_in_the_catalogue():
    known = set(catalogue())
    marked = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts or "demo" in path.parts:
            continue
        marked |= {
            _unescape(s) for s in re.findall(r'\b_\("((?:[^"\\]|\\.)*)"\)', path.read_text())
        }
    for path in SRC.rglob("*.html"):
        marked |= set(re.findall(r'{% translate "([^"]*)" %}', path.read_text()))
    missing = sorted(s for s in marked if s and s not in known)
    assert missing == [], "run `make messages` and translate: " + ", ".join(missing)
