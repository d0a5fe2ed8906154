"""Writes to the registry: the only code that saves dwellings, households, residents and tags.

Each function checks the actor's permission over the area concerned (out of scope is NotFound, as
everywhere), validates its input into named-field errors, writes in one transaction and records a
change row with before/after values — masked, never the full ID number or phone.

By concern: `residents` (register, update, change, move), `households` (dwellings and
households), `tags` (define, set on a resident), `reveal` (one full value, audited). The names
below are the package's public surface; other apps, the demo and the tests import them from here.
"""

from grassroots.people.services.base import EDITABLE, resident_snapshot
from grassroots.people.services.households import (
    dwelling_create,
    household_create,
    household_register,
    household_update,
)
from grassroots.people.services.residents import (
    resident_change,
    resident_move,
    resident_register,
    resident_update,
)
from grassroots.people.services.reveal import MIN_PURPOSE, resident_reveal, sealed_reveal
from grassroots.people.services.search import SearchRateLimited, exact_search_admit
from grassroots.people.services.tags import resident_set_tags, tag_define
from grassroots.people.services.transfers import (
    Submission,
    resident_submit,
    transfer_decide,
    transfer_request,
)

__all__ = [
    "EDITABLE",
    "MIN_PURPOSE",
    "SearchRateLimited",
    "Submission",
    "dwelling_create",
    "exact_search_admit",
    "household_create",
    "household_register",
    "household_update",
    "resident_change",
    "resident_move",
    "resident_register",
    "resident_reveal",
    "resident_set_tags",
    "resident_snapshot",
    "resident_submit",
    "resident_update",
    "sealed_reveal",
    "tag_define",
    "transfer_decide",
    "transfer_request",
]
