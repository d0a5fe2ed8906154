"""Notifications of a unit: the in-app inbox, and a pluggable SMS backend.

`notify_unit` writes the inbox row in the caller's transaction and sends the SMS after commit
(`db.pipeline.on_commit`), so a rolled-back change leaves neither. The SMS
backend is the class named by the setting `SMS_BACKEND`; the default writes a log line with
the unit and case number only — never a phone number or a resident's data.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from grassroots.cases.models import Case, Notification
from grassroots.db.compiled import insert
from grassroots.db.pipeline import on_commit

log = logging.getLogger("grassroots.sms")


class SmsBackend(Protocol):
    def send(self, *, unit_id: int, case_number: str, text: str) -> None: ...


class LoggingSmsBackend:
    """Logs that a message would go to the unit's duty phone (no personal data in the line)."""

    def send(self, *, unit_id: int, case_number: str, text: str) -> None:
        log.debug("sms to unit %s about case %s", unit_id, case_number)


class OutboxSmsBackend:
    """Keeps messages in memory (tests and demos): `OutboxSmsBackend.outbox`."""

    outbox: list[tuple[int, str, str]] = []

    def send(self, *, unit_id: int, case_number: str, text: str) -> None:
        self.outbox.append((unit_id, case_number, text))


@lru_cache(maxsize=4)
def _backend(path: str) -> SmsBackend:
    backend: SmsBackend = import_string(path)()
    return backend


def sms_backend() -> SmsBackend:
    return _backend(getattr(settings, "SMS_BACKEND", "grassroots.cases.notify.LoggingSmsBackend"))


def notify_unit(*, unit_id: int, case_id: int, case_number: str, kind: str, text: str) -> None:
    """Put a message in the unit's inbox in the caller's transaction (it exists exactly when
    the change it tells of does) and send it through the SMS backend once that commits."""
    insert([Notification(unit_id=unit_id, case_id=case_id, kind=kind, text=text)], read_ids=False)
    on_commit(lambda: sms_backend().send(unit_id=unit_id, case_number=case_number, text=text))


def notify_case(case: Case, kind: str, text: str, unit_id: int | None = None) -> None:
    """`notify_unit` for the case's owning unit (or `unit_id`); nothing for a case no unit holds."""
    target = unit_id or case.unit_id
    if target is not None:
        notify_unit(
            unit_id=target, case_id=case.pk, case_number=case.number or "", kind=kind, text=text
        )
