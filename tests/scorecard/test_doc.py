"""docs/scorecard.md lists every seeded indicator with its definition: its table is exactly
what `grassroots scorecard-indicators` prints for the indicators the migration seeds."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management import call_command

from grassroots.scorecard.catalogue import BEGIN, END
from grassroots.scorecard.models import Indicator

DOC = Path(__file__).resolve().parents[2] / "docs" / "scorecard.md"


def test_the_doc_holds_the_generated_table_of_the_seeded_indicators(db):
    out = io.StringIO()
    call_command("scorecard-indicators", stdout=out)
    table = out.getvalue().strip()
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    assert text[start:end] == table, "run `grassroots scorecard-indicators` into docs/scorecard.md"
    for ind in Indicator.objects.all():
        assert f"`{ind.code}`" in table and ind.definition in table and ind.label in table
