"""One ballot code, many raters at once: real transactions, exactly one ballot counted."""

from __future__ import annotations

import pytest

from grassroots.cadres import workflow
from grassroots.cadres.models import Ballot, BallotCode
from tests.cadres_support import QUARTER, YEAR, cadre_with_terms, scored
from tests.concurrency import at_once
from tests.conftest import build_registry, build_world


@pytest.mark.django_db(transaction=True)
def test_a_code_used_by_five_at_once_counts_once(builtin_tags):
    # given an annual appraisal being collected and one code for a representative
    world = build_world()
    cadre = cadre_with_terms(build_registry(world).father, world.xiaozhen)
    for q in ("q1", "q2", "q3", "q4"):
        scored(None, cadre, YEAR, q, QUARTER)
    a = workflow.appraisal_open(actor=None, cadre=cadre, year=YEAR, period="annual")
    workflow.appraisal_apply(appraisal_id=a.pk, action="collect", actor=None)
    (code,) = workflow.codes_issue(actor=None, appraisal=a, group="representatives", count=1)

    def cast(ready):
        ready()
        workflow.ballot_cast(code=code, vote="excellent")

    # when five raters post it at the same moment
    outcomes = at_once([cast] * 5)

    # then one ballot is counted and four are told the code is used
    assert outcomes.count("ok") == 1, outcomes
    assert all("CadreConflict" in o for o in outcomes if o != "ok"), outcomes
    assert Ballot.objects.filter(appraisal=a).count() == 1
    assert BallotCode.objects.get().used_at is not None
