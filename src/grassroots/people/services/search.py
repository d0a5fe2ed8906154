"""Exact searches by ID number or phone: audited and rate-limited per user (SECURITY.md 11, 17).

An exact search confirms or refutes a guessed number, so each one is an audit row — who searched,
which field, and a keyed hash of the searched value (never the value) — and each user may run at
most `settings.PEOPLE_EXACT_SEARCH_PER_HOUR` of them in any rolling hour; the next answers 429
naming the limit. The count is the user's own audit rows of the last hour, read with the user's
row locked, so concurrent searches by one user across workers are counted exactly.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core import crypto
from grassroots.core.audit import audit_record
from grassroots.core.models import AuditEvent, User
from grassroots.people.auditlog import PeopleAuditAction
from grassroots.people.errors import PeopleError, PeopleErrorCode
from grassroots.people.idnumber import check_id
from grassroots.people.phone import check_phone

WINDOW = datetime.timedelta(hours=1)
# The audit hash's namespace differs from the stored blind index's, so an audit export cannot be
# joined to the registry's index column; whoever holds the key can still test a known number.
SEARCH_KINDS = {"id_number": "search:id", "phone": "search:phone"}


class SearchRateLimited(PeopleError):
    """More exact searches in the last hour than the user may run."""

    status = 429


def search_term_token(field: str, raw: str) -> str:
    """The keyed hash an audit row records for a searched value (validated and normalised first,
    so an invalid value is its field's 400 and is neither counted nor recorded)."""
    value = check_id(raw).number if field == "id_number" else check_phone(raw)
    return crypto.blind_index(value, kind=SEARCH_KINDS[field])


def exact_search_admit(*, actor: User, terms: dict[str, str | None]) -> None:
    """Admit one exact search by the non-empty `terms` (``id_number``, ``phone``) or refuse it.

    Guarantees: nothing happens without a term; an invalid term raises its field's error before
    anything is counted; over the hourly limit raises SearchRateLimited (429, naming the limit)
    and records the refusal; otherwise one audit row per searched field is written before the
    caller runs the query.
    """
    given = {f: str(v) for f, v in terms.items() if v and f in SEARCH_KINDS}
    if not given:
        return
    tokens = {f: search_term_token(f, v) for f, v in given.items()}
    limit = int(settings.PEOPLE_EXACT_SEARCH_PER_HOUR)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()
        since = timezone.now() - WINDOW
        used = AuditEvent.objects.filter(
            actor_id=actor.pk, action=PeopleAuditAction.RESIDENT_SEARCH, result="ok", at__gte=since
        ).count()
        over = used + len(tokens) > limit
        for field, token in tokens.items():
            audit_record(
                actor=actor,
                action=PeopleAuditAction.RESIDENT_SEARCH,
                object_type="resident",
                result="refused" if over else "ok",
                changes={"field": field, "term": token, "limit": limit},
            )
    if over:
        raise SearchRateLimited(
            PeopleErrorCode.RATE_LIMITED,
            _("精确查询次数已达上限：每小时 %(n)d 次，请稍后再试") % {"n": limit},
            field=next(iter(tokens)),
            limit_per_hour=limit,
        )
