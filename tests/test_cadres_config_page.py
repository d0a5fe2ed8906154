"""The organisation department's configuration page: the scheme and pay rule in words, edited
through the services, a refusal shown next to the field it names."""

from __future__ import annotations

import json

import pytest

from grassroots.cadres import pay, scoring
from grassroots.cadres.models import PayRule, Scheme
from grassroots.core.models import AuditEvent
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
YEAR = 2026


def _form(kind: str, defaults: dict, **changed) -> dict[str, str]:
    out = {"kind": kind, "year": str(YEAR)}
    for key, value in {**defaults, **changed}.items():
        out[f"{kind}:{key}"] = value if isinstance(value, str) else json.dumps(value)
    return out


def test_the_page_shows_the_scheme_and_rule_in_words_and_saves_through_the_service(world):
    client = signed_in("orgdept")
    page = client.get("/cadres/config/", {"year": YEAR}).content.decode()
    assert "党的建设" in page and "30%" in page and "5★ ≥ 95" in page
    assert "3000.00" in page and "[10, ∞)" in page and "4★ × 1.1" in page
    parts = {"quarterly": 40, "pledges": 10, "township": 30, "reviews": 20}
    resp = client.post("/cadres/config/", _form("scheme", scoring.DEFAULT_CONFIG, parts=parts))
    assert resp.status_code == 302
    assert Scheme.objects.get(year=YEAR).config["parts"] == parts
    assert AuditEvent.objects.filter(action__startswith="cadre_scheme").exists()
    shown = client.get("/cadres/config/", {"year": YEAR}).content.decode()
    assert "季评 40%" in shown
    resp = client.post(
        "/cadres/config/", _form("pay_rule", pay.DEFAULT_PAY_CONFIG, county_base="3200.50")
    )
    assert resp.status_code == 302 and PayRule.objects.get(year=YEAR).config["county_base"] == (
        "3200.50"
    )


def test_a_refusal_is_shown_next_to_its_field_and_nothing_is_written(world):
    client = signed_in("orgdept")
    bad = {"quarterly": 40, "pledges": 20, "township": 30, "reviews": 20}
    resp = client.post("/cadres/config/", _form("scheme", scoring.DEFAULT_CONFIG, parts=bad))
    assert resp.status_code == 400
    page = resp.content.decode()
    assert 'data-error="parts"' in page and "weights_not_100" not in page
    assert json.dumps(bad) in page.replace("&quot;", '"')  # the posted value is kept
    bands = [
        {"min_years": 0, "max_years": 3, "step": "0"},
        {"min_years": 4, "max_years": None, "step": "100"},
    ]
    resp = client.post(
        "/cadres/config/", _form("pay_rule", pay.DEFAULT_PAY_CONFIG, tenure_bands=bands)
    )
    assert resp.status_code == 400 and 'data-error="tenure_bands"' in resp.content.decode()
    assert "tenure_bands[1]" in resp.content.decode()
    form = _form("scheme", scoring.DEFAULT_CONFIG)
    form["scheme:groups"] = "{not json"
    resp = client.post("/cadres/config/", form)
    assert resp.status_code == 400 and 'data-error="groups"' in resp.content.decode()
    assert not Scheme.objects.exists() and not PayRule.objects.exists()


def test_only_the_organisation_department_configures(world):
    assert signed_in("township").get("/cadres/config/").status_code == 403
    form = _form("scheme", scoring.DEFAULT_CONFIG)
    assert signed_in("leader").post("/cadres/config/", form).status_code == 403
    assert not Scheme.objects.exists()
