"""The county's indicators in the admin: listed and changed through the service, a source that
names no registered figure refused on the form, nothing deleted."""

from __future__ import annotations

from grassroots.core.models import AuditEvent
from grassroots.scorecard.models import Indicator
from tests.conftest import signed_in

URL = "/admin/scorecard/indicator/"


def _form(ind: Indicator, **over) -> dict:
    data = {
        f: getattr(ind, f)
        for f in ("code", "pillar", "label", "label_en", "definition", "definition_en")
    }
    data |= {"unit": ind.unit, "figure": ind.figure, "per": ind.per, "position": ind.position}
    data |= {"active": "on"} | over
    return data


def test_the_system_admin_changes_an_indicator_through_the_service(world):
    client = signed_in("admin")
    assert client.get(URL).status_code == 200
    ind = Indicator.objects.get(code="visits")
    resp = client.post(f"{URL}{ind.pk}/change/", _form(ind, label="走访人次"))
    assert resp.status_code == 302, resp.content[:500]
    assert Indicator.objects.get(pk=ind.pk).label == "走访人次"
    assert AuditEvent.objects.filter(action="scorecard.indicator_save").exists()


def test_a_typed_source_is_refused_on_the_form(world):
    client = signed_in("admin")
    ind = Indicator.objects.get(code="visits")
    resp = client.post(f"{URL}{ind.pk}/change/", _form(ind, figure="12345"))
    assert resp.status_code == 200
    assert "没有名为 12345 的统计项" in resp.content.decode()
    assert Indicator.objects.get(pk=ind.pk).figure == "visits"


def test_indicators_are_never_deleted_and_others_cannot_edit(world):
    ind = Indicator.objects.get(code="visits")
    assert signed_in("admin").post(f"{URL}{ind.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Indicator.objects.filter(pk=ind.pk).exists()
    assert signed_in("auditor").get(URL).status_code == 403
