"""docs/forms-inventory.md from the inventory: deterministic (sorted, no dates), so a test can
regenerate it and compare."""

from __future__ import annotations

from collections.abc import Iterable

from grassroots.inventory import rules
from grassroots.inventory.collect import Entry, Field

HEADER = """# Forms inventory (generated)

Generated from the code by `grassroots forms-inventory`; do not edit by hand.
`tests/test_forms_inventory.py` fails when this file is stale, and when a form breaks the rule
below. How the rule works: [docs/forms-rule.md](forms-rule.md).

**The rule ("nothing asked twice").** A form filled for a record (its *subject*: a household, a
resident) asks nothing the platform already holds for that record unless it starts from the
record (*prefill*); and no form writes a second copy of an attribute that has a canonical home
(a person's phone and ID number live in `people.Resident`) without a stated reason.

Columns: *field* (`*` required; *by hand*: parsed by the form, not a declared field), *fills*
(the canonical attribute, `app.Model.attribute`), *from* (where that mapping comes from: `model`
= ModelForm/ModelSerializer meta, `writes` = the class's `writes` model, `declared` = its
`fills`), *prefill* (the record attribute the field starts from), *reason* (why it may ask what
the platform holds, or write a copy).
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") if text else ""


def _row(f: Field) -> str:
    name = f"`{f.name}`" + (" *" if f.required else "") + (" (by hand)" if f.by_hand else "")
    fills = f"`{f.fills}`" if f.fills else "—"
    copy = rules.canonical_of(f.fills) if f.fills else ""
    if copy and copy != f.fills:
        fills += f" (copy of `{copy}`)"
    prefill = f"`{f.prefill}`" if f.prefill else ""
    return f"| {name} | {fills} | {f.source} | {prefill} | {_cell(f.reason)} |"


def _entry(e: Entry) -> list[str]:
    title = "upload" if e.kind == "upload" else f"`{e.path}`"
    lines = [f"### {title}", ""]
    used = ", ".join(f"`{u}`" for u in e.used_at) or "(no page or operation found)"
    lines.append(f"- used at: {used}")
    if e.subject:
        lines.append(f"- subject: `{e.subject}`, chosen by `{e.subject_from or '?'}`")
    lines.append("")
    if not e.fields:
        lines += ["(no fields described)", ""]
        return lines
    lines += ["| field | fills | from | prefill | reason |", "|---|---|---|---|---|"]
    lines += [_row(f) for f in e.fields]
    lines.append("")
    return lines


def _known(entries: list[Entry]) -> list[str]:
    lines = [
        "## Known exceptions, with reasons",
        "",
        "Every field the check lets through only because of a stated reason.",
        "",
        "| form | field | fills | reason |",
        "|---|---|---|---|",
    ]
    for e in entries:
        for f in e.fields:
            if f.reason:
                lines.append(f"| `{e.name}` | `{f.name}` | `{f.fills}` | {_cell(f.reason)} |")
    for view, keys in sorted(rules.HAND_PARSED.items()):
        for key, (attr, reason) in sorted(keys.items()):
            lines.append(f"| `{view}` (page) | `{key}` | `{attr}` | {_cell(reason)} |")
    return [*lines, ""]


def _copies() -> list[str]:
    lines = [
        "## Copies of canonical attributes",
        "",
        "Attributes that hold a second copy of a person's identifier, and the canonical home. "
        "The check fails on a new one that is not listed here (`inventory.rules.COPIES`).",
        "",
        "| attribute | copy of |",
        "|---|---|",
    ]
    lines += [f"| `{a}` | `{c}` |" for a, c in sorted(rules.COPIES.items())]
    lines += ["", "Named like an identifier, but not a person's:", ""]
    lines += [f"- `{a}`: {why}" for a, why in sorted(rules.NOT_PERSONAL.items())]
    return [*lines, ""]


def _pages(pages: Iterable[tuple[str, str, list[str]]]) -> list[str]:
    lines = [
        "## Pages that read input by hand",
        "",
        "Views that read `request.POST` by key (found in their source, one helper call deep; "
        "a key looped over from a literal counts), "
        "next to or instead of a form class. A personal identifier read here must be declared "
        "by the page's form or in `inventory.rules.HAND_PARSED`.",
        "",
        "| page | view | keys |",
        "|---|---|---|",
    ]
    for where, view, keys in pages:
        lines.append(f"| `{where}` | `{view}` | {', '.join(f'`{k}`' for k in keys)} |")
    return [*lines, ""]


def markdown(entries: list[Entry], pages: list[tuple[str, str, list[str]]]) -> str:
    """The whole document."""
    forms = [e for e in entries if e.kind == "form"]
    apis = [e for e in entries if e.kind != "form"]
    fields = sum(len(e.fields) for e in entries)
    violations = rules.check(entries) + rules.check_pages(pages, entries)
    lines = [HEADER]
    lines.append(
        f"{len(forms)} Django forms and {len(apis)} API inputs, {fields} fields; "
        f"{len(pages)} pages read input by hand. Violations of the rule: {len(violations)}."
    )
    lines.append("")
    lines += [f"- VIOLATION {v}" for v in violations]
    lines += ["", *_known(entries), *_copies()]
    lines += ["## Django forms", ""]
    for e in forms:
        lines += _entry(e)
    lines += ["## API inputs", ""]
    for e in apis:
        lines += _entry(e)
    lines += _pages(pages)
    return "\n".join(lines).rstrip() + "\n"
