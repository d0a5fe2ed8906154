"""403 before 400: a caller without the right a write needs is refused before its body is read.

A county leader sees households, residents, visits, cases and disputes but may change none of
them; a grid worker keeps the registry but administers no account. Each POSTs or PATCHes a body
that would fail validation: the answer is 403 `forbidden` (not the field errors of a 400), and
nothing is written — no row, no audit event.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from grassroots.core.models import AuditEvent, User
from grassroots.visits import services as visit_services
from tests.disputes_support import screen
from tests.relocation_support import items, relocate

INVALID = {"interval_days": "many", "household": "x", "area": -1}


@pytest.fixture
def objects(registry, world) -> dict[str, int]:
    worker = User.objects.get(username="gridworker")
    visit, _ = visit_services.visit_log(
        actor=worker,
        data=visit_services.VisitInput(
            household=registry.home_a.pk, visited_on=timezone.localdate(), needs="漏水"
        ),
    )
    pairing = visit_services.pairing_create(
        actor=None, household=registry.home_a, member=registry.father
    )
    dispute = screen(None, world.grid3a)
    relocated = relocate(world, registry.home_a)
    return {
        "relocated": relocated.pk,
        "item": items(relocated).first().pk,
        "household": registry.home_a.pk,
        "resident": registry.father.pk,
        "visit": visit.pk,
        "pairing": pairing.pk,
        "dispute": dispute.pk,
    }


# (persona, method, path): the persona may see the object or the list, but lacks the write right.
WRITES = [
    ("leader", "post", "/households/"),
    ("leader", "post", "/residents/"),
    ("leader", "post", "/visits/"),
    ("leader", "post", "/pairings/"),
    ("leader", "post", "/plan-rules/"),
    ("leader", "post", "/disputes/"),
    ("leader", "post", "/cases/"),
    ("leader", "post", "/cases/suggest/"),
    ("gridworker", "post", "/accounts/"),
    ("leader", "patch", "/households/{household}/"),
    ("leader", "patch", "/residents/{resident}/"),
    ("leader", "post", "/visits/{visit}/case/"),
    ("leader", "post", "/visits/{visit}/dispute/"),
    ("leader", "post", "/pairings/{pairing}/end/"),
    ("leader", "post", "/pairings/bulk/"),
    ("leader", "post", "/pairings/repair/"),
    ("leader", "post", "/disputes/{dispute}/actions/"),
    ("leader", "post", "/residents/{resident}/reveal/"),
    ("leader", "post", "/relocation/households/"),
    ("leader", "post", "/relocation/households/{relocated}/generate/"),
    ("leader", "post", "/relocation/households/{relocated}/items/{item}/actions/"),
    ("community", "post", "/relocation/entitlements/"),
]


@pytest.mark.parametrize(("persona", "method", "path"), WRITES)
def test_no_right_and_an_invalid_body_is_403_and_writes_nothing(
    objects: dict[str, int], api: Any, persona: str, method: str, path: str
) -> None:
    # given a persona without the right, and a body that fails validation
    client = api(persona)  # signing in issues a token, which is audited
    events = AuditEvent.objects.count()
    url = "/api/v1" + path.format(**objects)
    # when
    resp = getattr(client, method)(url, INVALID, format="json")
    # then
    assert resp.status_code == 403, resp.content
    assert resp.json()["code"] == "forbidden"
    assert AuditEvent.objects.count() == events


def test_with_the_right_the_same_body_is_400_naming_the_field(objects, api) -> None:
    resp = api("community").post("/api/v1/plan-rules/", INVALID, format="json")
    assert resp.status_code == 400
    assert resp.json()["detail"] == {"household": ["unknown field"]}
