"""Cell values for spreadsheet exports that cannot run as formulas (SECURITY.md 13). Pure.

Every exported value goes through `safe_cell`; ID numbers and other long digit strings through
`text_cell`, so Excel shows ``110101199003071234`` rather than ``1.10101E+17``. With openpyxl::

    cell = ws.cell(row=r, column=c, value=safe_cell(value))

    text = text_cell(id_number)
    cell = ws.cell(row=r, column=c, value=text.value)
    cell.number_format = text.number_format
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar, overload

from grassroots.core.text import xlsx_text

# The characters that make Excel, LibreOffice or openpyxl read a cell as a formula (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEXT_FORMAT = "@"

T = TypeVar("T")


@overload
def safe_cell(value: str) -> str: ...
@overload
def safe_cell(value: T) -> T: ...
def safe_cell(value: object) -> object:
    """A string loses what a cell cannot hold (`core.text.xlsx_text`: control characters stored
    before input was cleaned) and, starting with = + - @ tab or carriage return, gets a leading
    ``'``. Anything else, including numbers and dates, comes back unchanged.
    """
    if not isinstance(value, str):
        return value
    text = xlsx_text(value)
    return "'" + text if text.startswith(FORMULA_START) else text


@dataclass(frozen=True, slots=True)
class TextCell:
    """A value to write as text: set the cell's value and its `number_format` ("@")."""

    value: str
    number_format: str = TEXT_FORMAT


def text_cell(value: str) -> TextCell:
    """`value` made formula-safe, with the text number format, so digits stay digits."""
    return TextCell(safe_cell(value))
