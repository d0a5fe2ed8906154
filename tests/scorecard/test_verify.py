"""`verify-figures` recomputes every indicator of every area and period the scorecard shows
from the rows: consistent on a refreshed world, a tampered rollup row is reported."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import F

from grassroots.figures.counts import counts_refresh
from grassroots.figures.models import DailyFigure, SourceCount
from grassroots.figures.states import states_refresh
from grassroots.scorecard.verify import scorecard_verify
from tests.test_dashboard_support import build_scenario
from tests.test_figures_live import settle


@pytest.fixture
def scenario(world, catalogue):
    s = build_scenario(world, catalogue)
    settle()
    states_refresh()
    counts_refresh()
    return s


def test_every_indicator_equals_its_rows_on_a_refreshed_world(world, scenario):
    assert scorecard_verify() == []


def test_verify_figures_runs_the_scorecard_check(world, scenario, capsys):
    call_command("verify-figures")
    assert "scorecard: consistent with the rows" in capsys.readouterr().out


def test_a_tampered_count_row_is_reported(world, scenario):
    row = SourceCount.objects.filter(figure="grids_level3").first()
    SourceCount.objects.filter(pk=row.pk).update(count=F("count") + 5)
    found = scorecard_verify()
    assert found and all("grids_level3" in line for line in found)


def test_a_tampered_case_rollup_is_reported(world, scenario):
    DailyFigure.objects.filter(received__gt=0).update(received=F("received") + 1)
    found = scorecard_verify()
    assert any(line.startswith("received ") for line in found)
    with pytest.raises(SystemExit):
        call_command("verify-figures")
