"""How a checked row differs from what the registry holds: the preview's field-by-field changes.

Values in a change are what people may see on any page: names, choice labels, household numbers
and the masked phone, never a full ID number or phone (SECURITY.md 10). An empty optional cell
means "keep what is stored", so it never shows as a change.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import models

from grassroots.people.choices import Education, Employment, Politics, Relation
from grassroots.people.ledger.columns import chinese_labels
from grassroots.people.ledger.validate import House, Person
from grassroots.people.privacy import tag_token

# What the planner reads of an existing resident and household (`QuerySet.values`).
RESIDENT_VALUES = (
    "pk",
    "id_number_index",
    "name",
    "phone_index",
    "phone_masked",
    "relation",
    "ethnicity",
    "education",
    "employment",
    "occupation",
    "politics",
    "notes",
    "status",
    "household_id",
    "household__number",
    "area_id",
)
HOUSEHOLD_VALUES = (
    "pk",
    "number",
    "area_id",
    "notes",
    "dwelling__address",
    "dwelling__building",
    "dwelling__unit",
    "dwelling__room",
)
_TEXT = (("ethnicity", "民族"), ("occupation", "职业"), ("notes", "备注"))
_CHOICES: dict[str, tuple[str, type[models.TextChoices]]] = {
    "relation": ("与户主关系", Relation),
    "education": ("文化程度", Education),
    "employment": ("就业状况", Employment),
    "politics": ("政治面貌", Politics),
}


@functools.cache
def _labels(field: str) -> dict[str, str]:
    return chinese_labels(_CHOICES[field][1])


def change(field: str, label: str, old: str, new: str) -> dict[str, str]:
    """One changed field as the preview shows it."""
    return {"field": field, "label": label, "old": old, "new": new}


def same_place(decl: House, current: dict[str, Any]) -> bool:
    """Whether a declared household is where the registered one is (blank parts match anything)."""
    if decl.area_id != current["area_id"] or decl.address != current["dwelling__address"]:
        return False
    return all(
        not getattr(decl, f) or getattr(decl, f) == current[f"dwelling__{f}"]
        for f in ("building", "unit", "room")
    )


def resident_changes(
    person: Person, current: dict[str, Any], tokens: set[str], tag_names: dict[str, str]
) -> list[dict[str, str]]:
    """The fields `person` would change on the registered resident `current` (values() row)."""
    out: list[dict[str, str]] = []
    if person.name != current["name"]:
        out.append(change("name", "姓名", current["name"], person.name))
    if person.household != current["household__number"]:
        out.append(
            change("household", "户编号", current["household__number"] or "", person.household)
        )
    for fld in ("relation", "education", "employment", "politics"):
        new = getattr(person, fld)
        if new and new != current[fld]:
            labels = _labels(fld)
            old = current[fld]
            out.append(change(fld, _CHOICES[fld][0], labels.get(old, old), labels.get(new, new)))
    if person.phone_index and person.phone_index != current["phone_index"]:
        out.append(change("phone", "联系电话", current["phone_masked"], person.phone_masked))
    for fld, label in _TEXT:
        new = getattr(person, fld)
        if new and new != current[fld]:
            out.append(change(fld, label, current[fld], new))
    added = [code for code in person.tags if tag_token(code) not in tokens]
    if added:
        out.append(change("tags", "标签", "", "、".join("+" + tag_names.get(c, c) for c in added)))
    return out
