"""The check of an uploaded PDF (SECURITY.md 25; issue 15, defect 8).

A header is not a PDF: ``%PDF-1.4`` followed by an HTML page was once stored as a PDF. `pdf_clean`
parses the whole file with pypdf and refuses what is not a PDF a reader can display, what it
cannot look inside, and what runs code. It refuses:

- a file that pypdf cannot parse, or whose page tree has no page;
- an encrypted PDF (its content cannot be checked; the user can save it without a password);
- a PDF with active or hidden content anywhere in its object graph: JavaScript (``/JS``,
  ``/JavaScript``), launch actions (``/Launch``), embedded files (``/EmbeddedFile``,
  ``/EmbeddedFiles``), XFA forms and rich media — none belongs in a case's evidence;
- a graph of more than MAX_OBJECTS objects (too large to check).

What is kept is pypdf's rewrite of the parsed document, not the upload: bytes after the last
``%%EOF``, earlier revisions and objects nothing refers to are gone, as the metadata of a photo
is when it is re-encoded. It is still served only as a download with ``nosniff``.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

MAX_OBJECTS = 200_000
ACTIVE = frozenset(
    {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/XFA", "/RichMedia"}
)


class PdfRefused(Exception):
    """Why a PDF is refused: ``unreadable``, ``encrypted``, ``active`` or ``too_complex``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _active(root: object) -> bool:
    """Whether any object reachable from `root` names active content; PdfRefused beyond
    MAX_OBJECTS objects."""
    stack, seen, visited = [root], set(), 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise PdfRefused("too_complex")
        if isinstance(node, DictionaryObject):
            for name, value in node.items():
                if name in ACTIVE or (isinstance(value, NameObject) and value in ACTIVE):
                    return True
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return False


def pdf_clean(raw: bytes) -> bytes:
    """The PDF `raw` rewritten by pypdf, or PdfRefused saying why it is not kept."""
    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted:
            raise PdfRefused("encrypted")
        if len(reader.pages) == 0:
            raise PdfRefused("unreadable")
        for page in reader.pages:
            page.mediabox  # noqa: B018 — reads each page's geometry: a broken page fails here
        if _active(reader.trailer):
            raise PdfRefused("active")
        out = io.BytesIO()
        PdfWriter(clone_from=reader).write(out)
    except PdfRefused:
        raise
    except Exception:  # pypdf raises many types (and RecursionError) for malformed files
        raise PdfRefused("unreadable") from None
    return out.getvalue()
