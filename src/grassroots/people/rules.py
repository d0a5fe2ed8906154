"""The registry's rules on one resident's plain values, shared by every path that writes one.

`resident_register` / `resident_set_tags` (services) and the ledger import (`ledger/validate.py`
per row, `ledger/plan.py` once a row's household and so its grid is known) all ask
`resident_refusals`, so a person refused on one path is refused on the other with the same code.
Pure: plain values in, a list of refusals out; no query (a `Scope` is plain data).

ID numbers and phones are checked by `people.privacy.sealed_id` / `sealed_phone` on every path;
uniqueness of the ID number needs the database and stays with each writer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from grassroots.areas.scope import Scope
from grassroots.core.roles import Perm
from grassroots.people.choices import Education, Employment, Politics, Relation
from grassroots.people.errors import PeopleErrorCode

# The fields with named choices, and their choices ("" is "not given" where a choice allows it).
CHOICES: dict[str, Any] = {
    "relation": Relation,
    "education": Education,
    "employment": Employment,
    "politics": Politics,
}


@dataclass(frozen=True, slots=True)
class Refusal:
    """One broken rule: the field it concerns, a stable code, a message for people."""

    field: str
    code: PeopleErrorCode
    message: str


def may_tag_vulnerable(scope: Scope | None, area: Any) -> bool:
    """Whether an actor of `scope` (None: the system) may set vulnerable-group tags on a resident
    of `area` (an Area, or anything with its ancestor-column ids): VIEW_VULNERABLE must be
    granted over a subtree holding `area` (SECURITY.md 8); holding it elsewhere is not enough."""
    return scope is None or scope.covers_area(Perm.VIEW_VULNERABLE, area)


def resident_refusals(
    *,
    values: Mapping[str, str] | None = None,
    tags: Iterable[str] = (),
    tag_names: Mapping[str, str] | None = None,
    vulnerable: Iterable[str] = (),
    may_tag_vulnerable: bool | None = None,
) -> list[Refusal]:
    """Every rule `values` and `tags` break, in order: fields in `values` order, then tags.

    - `values` maps resident fields to the values asked for (choices by their codes); a `name`
      given must not be blank; a field of `CHOICES` must hold one of its choices.
    - `tags` are tag codes; each must be a key of `tag_names` (code → display name of every
      defined tag), or it is UNKNOWN_TAG. A tag whose code is in `vulnerable` is FORBIDDEN_TAG
      when `may_tag_vulnerable` is False (see `may_tag_vulnerable()`); None means the caller
      does not know the resident's grid yet and asks again once it does (the ledger's plan).
    """
    out: list[Refusal] = []
    for field, value in (values or {}).items():
        text = str(value if value is not None else "").strip()
        kind = CHOICES.get(field)
        if kind is not None and text not in kind.values:
            message = _("%(f)s 的取值无效：%(v)s") % {"f": field, "v": text}
            out.append(Refusal(field, PeopleErrorCode.INVALID_CHOICE, message))
        if field == "name" and not text:
            out.append(Refusal("name", PeopleErrorCode.REQUIRED, _("姓名不能为空")))
    names = tag_names or {}
    sensitive = set(vulnerable)
    for code in tags:
        if code not in names:
            message = _("未知标签：%(t)s") % {"t": code[:20]}
            out.append(Refusal("tags", PeopleErrorCode.UNKNOWN_TAG, message))
        elif code in sensitive and may_tag_vulnerable is False:
            message = _("无权标记特殊人群：%(t)s") % {"t": names[code]}
            out.append(Refusal("tags", PeopleErrorCode.FORBIDDEN_TAG, message))
    return out
