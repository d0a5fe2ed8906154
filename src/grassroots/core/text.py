"""Free text at the boundary, and text for formats that forbid characters. Pure.

What comes in — form fields and query strings (`core.middleware.CleanTextMiddleware`), API bodies
(`core.rest.strict_data`), spreadsheet and CSV cells (`people.ledger.layout.cell_text`) — passes
through `clean_text` once: Unicode NFC; CR LF and a lone CR become LF; every other C0 control
character except tab and newline is *removed*, as are DEL, lone surrogates and the
non-characters U+FFFE and U+FFFF. Removed rather than refused: they are invisible, never mean
anything in a name or a complaint, and arrive by copy and paste from other programs; refusing
would fail whole imports over a character nobody can see (docs/security.md).

What goes out keeps its own guard, for rows stored before the boundary cleaned them:
`xml_text` drops what XML 1.0 forbids (Open311's XML), `xlsx_text` what a worksheet cell cannot
hold (every .xlsx export, through `core.xlsx_safe.safe_cell`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.utils.datastructures import MultiValueDict

# C0 controls but tab and newline, DEL, lone surrogates, and the two non-characters XML forbids.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# What XML 1.0 forbids (its Char production; tab, LF and CR are allowed). A worksheet is XML
# too: openpyxl refuses the same controls in a cell (its ILLEGAL_CHARACTERS_RE).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """`value` in NFC with LF line ends and without control characters (see the module)."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = _FORBIDDEN.sub("", text)
    return unicodedata.normalize("NFC", text)


def clean_data(value: Any) -> Any:
    """`value` with every string in it (keys too) cleaned, through dicts and lists."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, MultiValueDict):  # a form body: keep every value of every key
        copy = value.copy()
        for key, values in value.lists():
            copy.setlist(key, [clean_data(v) for v in values])
        return copy
    if isinstance(value, dict):
        return {clean_data(k): clean_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_data(v) for v in value]
    return value


def xml_text(value: str) -> str:
    """`value` without the characters an XML 1.0 document cannot carry."""
    return _NOT_XML.sub("", value)


def xlsx_text(value: str) -> str:
    """`value` without the characters a worksheet cell cannot hold."""
    return _NOT_XML.sub("", value)
