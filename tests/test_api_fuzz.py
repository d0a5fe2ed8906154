"""Schemathesis over the served OpenAPI schema: every operation, every persona, no server error.

The schema is the one `/api/v1/schema/` serves (drf-spectacular); requests go through the WSGI
application in-process (no network), inside the test's transaction, authenticated by each
persona's token. The cases are drawn once for the module and replayed for every persona:

- schemathesis's coverage cases for each operation (boundary and invalid values, missing and
  unexpected parameters, other methods), positive and negative, dealt round-robin among the
  personas so that each is sent once by someone;
- a few generated examples per operation and mode (positive, negative), every one sent by every
  persona, with random path ids and again with the id of a real row in the caller's reach, so that
  detail and action endpoints parse real bodies too.

The only check is schemathesis's `not_a_server_error`: anything may be refused, nothing may crash.
Each persona's run is rolled back, so one persona's writes never steer another's. Bounded to about
two minutes on SQLite (EXAMPLES, COVERAGE_CASES).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup

from grassroots.areas.models import Post
from grassroots.cases.services import Intake, case_intake
from grassroots.core.models import User
from grassroots.core.tokens import token_issue
from grassroots.visits import services as visit_services
from tests.conftest import build_catalogue, build_registry, build_world
from tests.disputes_support import screen

PERSONAS = [
    "gridworker", "community", "township", "dept", "hotline", "orgdept", "leader", "admin",
    "secadmin", "auditor", "nobody", None,
]  # fmt: skip
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
EXAMPLES = 1  # generated examples per operation, mode and path, sent by every persona
COVERAGE_CASES = 120  # at most this many coverage cases per operation, shared among the personas


@dataclass
class Plan:
    """The cases to send: `shared[i]` by persona i % len(PERSONAS), `everyone` by all."""

    shared: list[Any]
    everyone: list[Any]


def _real_ids(world: Any) -> dict[str, int]:
    """The id of a real row for each collection whose paths take `{pk}`."""
    registry = build_registry(world)
    build_catalogue(world)
    intake = Intake(matter="M001", channel="hotline", description="路灯不亮", area=world.grid3a.pk)
    case, _ = case_intake(actor=None, intake=intake)
    pairing = visit_services.pairing_create(
        actor=None, household=registry.home_a, member=registry.father
    )
    return {
        "areas": world.grid3a.pk,
        "units": world.xiaozhen_station.pk,
        "posts": Post.objects.get(person=world.users["gridworker"]).pk,
        "households": registry.home_a.pk,
        "residents": registry.father.pk,
        "cases": case.pk,
        "disputes": screen(None, world.grid3a).pk,
        "pairings": pairing.pk,
        "accounts": world.users["gridworker"].pk,
    }


def _drawn(operation: Any, mode: GenerationMode, path: dict[str, int] | None) -> list[Any]:
    """EXAMPLES cases of `operation` in `mode` (the same ones on every run)."""
    drawn: list[Any] = []

    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def draw(case: Any) -> None:
        drawn.append(case)

    try:
        draw()
    except Exception as exc:  # a mode the operation cannot take (no negative of a bare path)
        if "Unsatisfiable" not in type(exc).__name__:
            raise
    return drawn


def _plan(schema: Any, ids: dict[str, int]) -> Plan:
    plan = Plan(shared=[], everyone=[])
    for result in schema.get_all_operations():
        operation = result.ok()
        coverage = schema.iter_coverage_cases(
            operation, generation_modes=list(MODES), generation_config=schema.config.generation
        )
        for n, case in enumerate(coverage):
            if n >= COVERAGE_CASES:
                break
            plan.shared.append(case)
        names = [p.name for p in operation.path_parameters]
        collection = operation.path.strip("/").split("/")[0]
        paths: list[dict[str, int] | None] = [None]
        if "pk" in names and collection in ids:
            paths.append({"pk": ids[collection], **{n: 1 for n in names if n != "pk"}})
        for mode in MODES:
            for path in paths:
                plan.everyone += _drawn(operation, mode, path)
    return plan


@pytest.fixture(scope="module")
def app() -> Iterator[Any]:
    """The WSGI application, kept from closing the test's connection when a request ends (as
    Django's test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def plan(app: Any, django_db_setup: Any, django_db_blocker: Any) -> Iterator[Plan]:
    """The personas' world with households, matters, a case, a dispute and a pairing (rolled back
    after the module), and the cases drawn from the served schema."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        ids = _real_ids(build_world())
        schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app)
        yield _plan(schema, ids)
        transaction.set_rollback(True)


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p or "anonymous")
def test_no_operation_answers_a_server_error(db, plan, persona):
    # given the persona's token (or none)
    def signed_in() -> dict[str, str]:
        if persona is None:
            return {}
        _token, raw = token_issue(user=User.objects.get(username=persona))
        return {"Authorization": f"Token {raw}"}

    headers = signed_in()
    assert len(plan.everyone) > 100 and len(plan.shared) > 1000, "the schema's operations drawn"
    mine = plan.shared[PERSONAS.index(persona) :: len(PERSONAS)]
    failures: list[str] = []
    # when every case is sent
    for case in [*mine, *plan.everyone]:
        response = case.call(headers=headers)
        if response.status_code == 401 and persona is not None:
            headers = signed_in()  # a case revoked the token (DELETE /auth/token/): a new one
        try:
            case.validate_response(response, checks=[not_a_server_error])
        except FailureGroup:
            body = repr(case.body)[:200] if case.body is not None else ""
            failures.append(f"{case.method} {case.formatted_path} {case.query} {body}")
    # then none answered a server error
    assert not failures, "\n".join(failures)
