"""The audit actions the cases and dashboard apps write are named once and labelled for people."""

import pytest

from grassroots.cases import auditlog as cases_auditlog
from grassroots.dashboard import auditlog as dashboard_auditlog


@pytest.mark.parametrize(
    ("catalogue", "names"),
    [
        (cases_auditlog, cases_auditlog.CaseAuditAction),
        (dashboard_auditlog, dashboard_auditlog.DashboardAuditAction),
    ],
    ids=["cases", "dashboard"],
)
def test_every_audit_action_has_a_label(catalogue, names):
    labelled = {code for group in catalogue.GROUPS for code in group.actions}
    assert set(names) <= labelled
