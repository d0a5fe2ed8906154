"""deploy/grafana/grassroots.json and deploy/prometheus/alerts.yml read only series that
/metrics exposes (a renamed metric breaks the test, not the operator's dashboard)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from tests.observability.conftest import scrape_text

pytestmark = pytest.mark.django_db

DEPLOY = Path(__file__).resolve().parent.parent.parent / "deploy"
METRIC = re.compile(r"\bgrassroots_[a-z0-9_]+")
# Series of other exporters the alerts read (postgres_exporter, node_exporter, Prometheus).
FOREIGN = re.compile(r"\b(pg_[a-z_]+|node_[a-z_]+|up)\b")


def exposed() -> set[str]:
    """Every sample name in a scrape, after one request of each kind has been counted."""
    Client().get("/health/")
    return {
        s.name for family in text_string_to_metric_families(scrape_text()) for s in family.samples
    }


def dashboard_exprs() -> list[str]:
    board = json.loads((DEPLOY / "grafana" / "grassroots.json").read_text())
    exprs = []
    for panel in board["panels"]:
        for target in panel.get("targets", []):
            exprs.append(target["expr"])
    return exprs


def test_the_dashboard_is_valid_json_with_unique_panels():
    board = json.loads((DEPLOY / "grafana" / "grassroots.json").read_text())
    assert board["uid"] == "grassroots" and board["panels"]
    ids = [p["id"] for p in board["panels"]]
    assert len(ids) == len(set(ids))
    for panel in board["panels"]:
        if panel["type"] != "row":
            assert panel["targets"] and panel["datasource"]["uid"] == "${DS_PROMETHEUS}"


def test_every_metric_on_the_dashboard_is_exposed(metrics_token):
    names = exposed()
    used = {m for expr in dashboard_exprs() for m in METRIC.findall(expr)}
    assert len(used) >= 15
    assert used - names == set()


def test_every_alert_is_complete_and_reads_exposed_metrics(metrics_token):
    rules = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())["groups"][0]
    names = exposed()
    alerts = {rule["alert"]: rule for rule in rules["rules"]}
    # the alerts docs/operations.md promises
    assert {
        "GrassrootsRollupLag",
        "GrassrootsSchedulerStopped",
        "GrassrootsErrorRate",
        "GrassrootsReplicaLag",
        "GrassrootsDiskFilling",
    } <= set(alerts)
    for name, rule in alerts.items():
        assert rule["labels"]["severity"] in {"warning", "critical"}, name
        assert rule["annotations"]["summary"], name
        used = set(METRIC.findall(rule["expr"]))
        assert used or FOREIGN.search(rule["expr"]), name
        assert used - names == set(), name
