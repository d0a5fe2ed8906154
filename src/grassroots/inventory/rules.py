"""The rule "nothing asked twice", checked over the inventory (`collect.Entry`).

A form that is filled for a record (its `subject`: a household, a resident, a cadre) must not ask
for an attribute the platform already holds for that record, unless it starts the field from the
record (`prefill`); and no form may write a second copy of an attribute that has a canonical home
(a person's phone or ID number lives in `people.Resident`) without saying why (`reasons`).

What a subject holds is derived from the models: the subject's own attributes, those of the
records it points to (forward foreign keys, three steps deep: a cadre's resident's household's
dwelling), and those of its own app's records that point to it (a household's members).

The violations, each a sentence naming the form and field:

- ``unknown``: a declared `fills`, `prefill` or `subject` names no model attribute;
- ``undeclared``: a field named like a personal identifier (phone, ID number) fills nothing
  declared, so nobody has said where it goes;
- ``re-asked``: the field fills an attribute the subject holds (directly or as a copy of it) and
  is neither prefilled from the record nor explained;
- ``copy``: the field writes a copy of a canonical attribute (`COPIES`) without a reason;
- ``required-prefill``: an API field said to start from the record is nevertheless required
  (an API's prefill is "omitted keeps the record's value").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models

from grassroots.inventory.collect import Entry, attributes, label_of, resolve

# Attributes that copy a canonical one: a second place the same fact about a person is written.
COPIES: dict[str, str] = {
    "cases.Case.reporter_phone": "people.Resident.phone",
    "cases.Case.reporter_name": "people.Resident.name",
    "disputes.Party.phone": "people.Resident.phone",
    "disputes.Party.id_number": "people.Resident.id_number",
    "disputes.Party.name": "people.Resident.name",
    "visits.RegistryProposal.phone": "people.Resident.phone",
}

# Attributes named like a personal identifier that are not about a person, with why.
NOT_PERSONAL: dict[str, str] = {
    "areas.Unit.office_phone": "a unit's office line, published to residents; no person's number",
}

# The canonical homes of personal identifiers, by the word in an attribute's name.
CANONICAL: dict[str, str] = {
    "phone": "people.Resident.phone",
    "id_number": "people.Resident.id_number",
}

PERSONAL = re.compile(r"(^|[_.\[\]-])(phone|mobile|tel|id_number|id_card|idcard)($|[_.\[\]<-])")
DEPTH = 3


@dataclass(frozen=True)
class Violation:
    """One breach of the rule, said in a sentence that names the form and the field."""

    entry: str
    field: str
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.entry}.{self.field}: {self.kind}: {self.message}"


def canonical_of(attr: str) -> str:
    """The canonical attribute `attr` is a copy of, or `attr` itself."""
    return COPIES.get(attr, attr)


def _related(model: type[models.Model]) -> Iterable[type[models.Model]]:
    for f in model._meta.get_fields():
        if f.concrete and f.is_relation and f.related_model is not None and not f.many_to_many:
            yield f.related_model


def _members(model: type[models.Model]) -> Iterable[type[models.Model]]:
    """Records of the model's own app that point to it (a household's residents)."""
    for f in model._meta.get_fields():
        if f.auto_created and not f.concrete and f.related_model is not None:
            other = f.related_model
            if other._meta.app_label == model._meta.app_label:
                yield other


@cache
def held_by(subject: str) -> frozenset[str]:
    """Every attribute ("app.Model.attr") the platform holds for a record of `subject`."""
    root = apps.get_model(subject)
    seen: set[type[models.Model]] = set()
    frontier = [root, *_members(root)]
    for _ in range(DEPTH + 1):
        nxt: list[type[models.Model]] = []
        for model in frontier:
            if model in seen:
                continue
            seen.add(model)
            nxt.extend(_related(model))
        frontier = nxt
    return frozenset(f"{label_of(m)}.{a}" for m in seen for a in attributes(m))


def _unknown(entry: Entry) -> list[Violation]:
    found = []
    if entry.subject:
        try:
            apps.get_model(entry.subject)
        except (LookupError, ValueError):
            found.append(Violation(entry.path, "-", "unknown", f"subject {entry.subject!r}"))
    for f in entry.fields:
        for what, attr in (("fills", f.fills), ("prefill", f.prefill)):
            if attr and resolve(attr) is None:
                msg = f"{what} {attr!r} names no model attribute"
                found.append(Violation(entry.path, f.name, "unknown", msg))
    return found


def check_entry(entry: Entry) -> list[Violation]:
    """The violations of one inventory entry (empty when it keeps the rule)."""
    found = _unknown(entry)
    if found:
        return found
    held = held_by(entry.subject) if entry.subject else frozenset()
    for f in entry.fields:
        where = (entry.path, f.name)
        if not f.fills:
            if PERSONAL.search(f.name):
                msg = "asks a personal identifier but declares no attribute it fills (`fills`)"
                found.append(Violation(*where, "undeclared", msg))
            continue
        canonical = canonical_of(f.fills)
        if canonical in held and not (f.prefill or f.reason):
            msg = (
                f"asks {canonical}, which {entry.subject} already holds, without starting from "
                "the record (`prefill`) or a reason"
            )
            found.append(Violation(*where, "re-asked", msg))
        if canonical != f.fills and not f.reason:
            msg = f"writes {f.fills}, a copy of {canonical}, without a reason (`reasons`)"
            found.append(Violation(*where, "copy", msg))
        if entry.kind == "serializer" and f.required and f.prefill:
            msg = "starts from the record but is required: the client must send it again"
            found.append(Violation(*where, "required-prefill", msg))
    return found


def check(entries: Iterable[Entry]) -> list[Violation]:
    """Every violation across the inventory."""
    return [v for e in entries for v in check_entry(e)]


def personal_attributes() -> list[str]:
    """Every model attribute of the project named like a personal identifier."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("grassroots."):
            continue
        for attr in sorted(attributes(model)):
            if PERSONAL.search(attr) or attr in CANONICAL:
                found.append(f"{label_of(model)}.{attr}")
    return found


def unexplained_copies() -> list[str]:
    """Personal-identifier attributes that are neither canonical, nor a listed copy, nor listed
    as not personal: a new second home for a person's phone or ID number must be named here."""
    canonical = set(CANONICAL.values())
    return [
        a
        for a in personal_attributes()
        if a not in canonical and a not in COPIES and a not in NOT_PERSONAL
    ]


# Personal identifiers read by hand on a page with no form class that declares them:
# view -> key -> (the attribute it fills, why it may be asked).
HAND_PARSED: dict[str, dict[str, tuple[str, str]]] = {
    "grassroots.cases.views.desk.desk_lookup": {
        "phone": (
            "people.Resident.phone",
            "a lookup key: finds the caller in the registry by their phone; writes nothing",
        ),
    },
    "grassroots.visits.views.visit_dispute": {
        "outsider_phone": (
            "disputes.Party.phone",
            "the one outsider party's phone; the household's members are ticked from the "
            "registry (party_<id>), never retyped",
        ),
    },
}

_PLACEHOLDER = re.compile(r"<[^>]*>|-N-")


def _shape(key: str) -> str:
    return _PLACEHOLDER.sub("<…>", key.replace("-N-", "-<…>-"))


def check_pages(
    pages: Iterable[tuple[str, str, list[str]]], entries: Iterable[Entry]
) -> list[Violation]:
    """A page reading a personal identifier by hand must have it declared: by a form used on
    that page (a field, or a `fills` key), or in `HAND_PARSED` with the attribute and a reason."""
    declared: dict[str, set[str]] = {}
    for e in entries:
        for where in e.used_at:
            declared.setdefault(where, set()).update(_shape(f.name) for f in e.fields)
    found = []
    for where, view, keys in pages:
        for key in keys:
            if not PERSONAL.search(key.replace("<…>", "")):
                continue
            if _shape(key) in declared.get(where, set()) or key in HAND_PARSED.get(view, {}):
                continue
            msg = f"page {where} reads a personal identifier by hand, declared nowhere"
            found.append(Violation(view, key, "undeclared", msg))
    return found
