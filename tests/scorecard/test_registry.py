"""The indicator registry: indicators are data over registered figures, validated before any
write (service and admin form alike), never activity counts, audited."""

from __future__ import annotations

import importlib

import pytest
from django.core.exceptions import ValidationError

from grassroots.core.models import AuditEvent
from grassroots.scorecard import rules, services
from grassroots.scorecard.errors import ScorecardError
from grassroots.scorecard.models import Indicator

SEEDED = importlib.import_module("grassroots.scorecard.migrations.0002_default_indicators")
ADDED = importlib.import_module("grassroots.scorecard.migrations.0004_compliance_indicators")


def _values(**over):
    values = {
        "code": "new_one",
        "pillar": "community",
        "label": "新指标",
        "label_en": "A new indicator",
        "definition": "本期登记的诉求。",
        "definition_en": "Requests registered in the period.",
        "unit": "count",
        "figure": "received",
        "per": "",
    }
    return values | over


def test_the_migration_seeds_every_default_and_each_passes_the_rules(db):
    assert Indicator.objects.count() == len(SEEDED.DEFAULTS) + len(ADDED.ADDED)
    for ind in Indicator.objects.all():
        assert rules.check(ind) == [], ind.code


def test_an_indicator_over_a_registered_figure_is_saved_and_audited(db):
    ind = services.indicator_save(actor=None, **_values())
    assert Indicator.objects.get(code="new_one").figure == "received"
    event = AuditEvent.objects.filter(action="scorecard.indicator_save").latest("pk")
    assert event.object_id == str(ind.pk)
    assert event.changes["before"] is None and event.changes["after"]["figure"] == "received"


def test_an_unknown_source_is_refused_naming_the_field(db):
    with pytest.raises(ScorecardError) as err:
        services.indicator_save(actor=None, **_values(figure="typed_number_42"))
    assert err.value.code == "unknown_source"
    assert err.value.detail["field"] == "figure"
    assert not Indicator.objects.filter(code="new_one").exists()


def test_an_unknown_denominator_is_refused(db):
    with pytest.raises(ScorecardError) as err:
        services.indicator_save(actor=None, **_values(unit="rate", per="nothing_here"))
    assert err.value.detail["field"] == "per"


@pytest.mark.parametrize(
    "over",
    [
        {"label": "网格员每日登录次数"},
        {"label": "签到打卡率"},
        {"label_en": "Photos uploaded by grid workers"},
        {"definition_en": "Time on screen of the grid workers' phones."},
        {"code": "clicks"},
    ],
)
def test_an_indicator_counting_activity_is_refused(db, over):
    with pytest.raises(ScorecardError) as err:
        services.indicator_save(actor=None, **_values(**over))
    assert err.value.code == "activity_indicator"


def test_the_cadres_appraisal_and_the_scorecard_share_one_activity_rule():
    from grassroots.cadres import scoring

    assert scoring.is_activity("上传照片数量") and scoring._is_activity("manual", "上传照片数量")
    assert not scoring.is_activity("走访人次", "Home visits")


def test_a_ratio_must_be_shown_as_a_rate(db):
    with pytest.raises(ScorecardError) as err:
        services.indicator_save(actor=None, **_values(per="received"))
    assert err.value.detail["field"] == "unit"


def test_the_admin_form_runs_the_same_rules(db):
    ind = Indicator(**_values(figure="no_such_figure"))
    with pytest.raises(ValidationError) as err:
        ind.full_clean()
    assert "figure" in err.value.message_dict


def test_a_change_keeps_the_before_and_after(db):
    ind = Indicator.objects.get(code="visits")
    services.indicator_save(actor=None, pk=ind.pk, label="走访人次（千名党员进万户）")
    event = AuditEvent.objects.filter(action="scorecard.indicator_save").latest("pk")
    assert event.changes["before"]["label"] == "入户走访人次"
    assert event.changes["after"]["label"] == "走访人次（千名党员进万户）"
