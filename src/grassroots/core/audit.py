"""The audit log: one function writes it, one verifies it, and one catalogue says what its codes
mean for people (each app declares its own in its ``auditlog`` module; see core/auditlog.py).

Callers pass what happened explicitly (no signals, no request needed); the source address, when
there is a request, comes from a context variable that `AuditSourceMiddleware` sets, and commands
set their own (e.g. ``command:loaddemo``).
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import importlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from grassroots.core.audit_key import chain_mac
from grassroots.core.models import AuditEvent, AuditHead, User

if TYPE_CHECKING:
    from grassroots.core.audit_verify import ChainReport

_source: contextvars.ContextVar[str] = contextvars.ContextVar("audit_source", default="")

GENESIS = "0" * 64
CHAIN_VERSION = 2
CHAIN_KEYED = "audit.chain_keyed"  # the row that starts the keyed chain after an upgrade


@contextlib.contextmanager
def audit_source(source: str) -> Iterator[None]:
    """Within the block, audit rows record `source` (an IP address or ``command:<name>``)."""
    token = _source.set(source[:100])
    try:
        yield
    finally:
        _source.reset(token)


def _payload(fields: dict[str, Any]) -> str:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)


def _digest(prev_hash: str, fields: dict[str, Any], *, seq: int, version: int) -> str:
    """The hash of a row: version 2 is keyed, version 1 (rows before the key) plain SHA-256."""
    if version == 1:
        return hashlib.sha256((prev_hash + _payload(fields)).encode()).hexdigest()
    if version != CHAIN_VERSION:
        raise ValueError(f"unknown audit chain version {version}")
    message = _payload({"v": version, "seq": seq, "prev": prev_hash, "row": fields})
    return chain_mac(message.encode())


def event_hash(event: AuditEvent) -> str:
    """What `event.hash` must be, given its version, sequence, previous hash and content."""
    return _digest(event.prev_hash, _content(event), seq=event.seq, version=event.version)


def _content(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "result": event.result,
        "source": event.source,
        "changes": event.changes,
    }


def _append(head: AuditHead, event: AuditEvent) -> AuditEvent:
    """Chain `event` after the locked `head` and save both."""
    event.seq = head.seq + 1
    event.version = CHAIN_VERSION
    event.prev_hash = head.last_hash
    event.hash = event_hash(event)
    event.save(force_insert=True)
    head.seq, head.last_hash = event.seq, event.hash
    return event


def _keyed_boundary(head: AuditHead) -> None:
    """Once, after the upgrade: a keyed row that binds the unkeyed chain's last hash."""
    _append(
        head,
        AuditEvent(
            at=timezone.now(),
            actor=None,
            actor_name="system",
            action=CHAIN_KEYED,
            object_type="audit_chain",
            object_id="",
            result="ok",
            source=_source.get(),
            changes={"from_version": head.version, "to_version": CHAIN_VERSION, "rows": head.seq},
        ),
    )
    head.version = CHAIN_VERSION


def locked_head() -> AuditHead:
    """The chain head, locked for the caller's transaction; keyed first if it was not yet."""
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    if head.version < CHAIN_VERSION:
        _keyed_boundary(head)
        head.save(update_fields=["seq", "last_hash", "version"])
    return head


def audit_record(
    *,
    actor: User | None,
    action: str,
    object_type: str = "",
    object_id: object = "",
    result: str = "ok",
    changes: dict[str, Any] | None = None,
    actor_name: str = "",
) -> AuditEvent:
    """Append one row to the chain, in the caller's transaction (or its own).

    `changes` holds before/after values; callers never put personal data in it unmasked.
    Appends are serialised by locking the chain head, so concurrent writers never fork it and
    `seq` has no gaps.
    """
    with transaction.atomic():
        head = locked_head()
        event = _append(
            head,
            AuditEvent(
                at=timezone.now(),
                actor=actor if actor is not None and actor.pk else None,
                actor_name=actor_name or (actor.get_username() if actor is not None else ""),
                action=action,
                object_type=object_type,
                object_id=str(object_id),
                result=result,
                source=_source.get(),
                changes=changes or {},
            ),
        )
        head.save(update_fields=["seq", "last_hash"])
    return event


def audit_verify() -> ChainReport:
    """The chain and its checkpoints checked: see `core.audit_verify.chain_verify`."""
    from grassroots.core.audit_verify import chain_verify

    return chain_verify()


# ---------------------------------------------------------------------------------------------
# What the rows mean, for people: every app declares the labels of its own audit codes in its
# `auditlog` module (ACTIONS, OBJECTS, RESULTS, FIELDS, VALUES; see core/auditlog.py) and may
# add a SOURCE — its own event table read as part of the log (cases: the workflow events).
# Core reads them; it imports no app by name.


@dataclass(frozen=True)
class ActionGroup:
    """A group of action codes as the auditor filters them (登录与账号, 人口, 诉求办理 …)."""

    code: str
    label: Any
    actions: dict[str, Any]


@dataclass
class AuditCatalogue:
    """Every app's labels, merged; unknown codes read as themselves."""

    groups: list[ActionGroup]
    objects: dict[str, Any]
    results: dict[str, Any]
    fields: dict[str, Any]
    values: dict[str, dict[str, Any]]
    sources: list[Any]
    actor_posts: Any = None

    def action_label(self, code: str) -> str:
        for group in self.groups:
            if code in group.actions:
                return str(group.actions[code])
        return code

    def group_of(self, code: str) -> ActionGroup | None:
        return next((g for g in self.groups if code in g.actions), None)

    def object_label(self, code: str) -> str:
        return str(self.objects.get(code, code))

    def result_label(self, code: str) -> str:
        return str(self.results.get(code, code))

    def field_label(self, key: str) -> str:
        return str(self.fields.get(key, key))

    def value_label(self, key: str, value: Any) -> Any:
        known = self.values.get(key, {})
        return known.get(value, value) if isinstance(value, str) else value


_catalogue: AuditCatalogue | None = None


def audit_catalogue() -> AuditCatalogue:
    """The merged labels of every installed app's `auditlog` module (read once)."""
    global _catalogue
    if _catalogue is None:
        from django.apps import apps
        from django.utils.module_loading import module_has_submodule

        cat = AuditCatalogue([], {}, {}, {}, {}, [])
        for config in apps.get_app_configs():
            if not module_has_submodule(config.module, "auditlog"):
                continue
            module = importlib.import_module(f"{config.name}.auditlog")
            cat.groups.extend(getattr(module, "GROUPS", []))
            cat.objects.update(getattr(module, "OBJECTS", {}))
            cat.results.update(getattr(module, "RESULTS", {}))
            cat.fields.update(getattr(module, "FIELDS", {}))
            for key, labels in getattr(module, "VALUES", {}).items():
                cat.values.setdefault(key, {}).update(labels)
            if source := getattr(module, "SOURCE", None):
                cat.sources.append(source)
            cat.actor_posts = getattr(module, "ACTOR_POSTS", None) or cat.actor_posts
        _catalogue = cat
    return _catalogue
