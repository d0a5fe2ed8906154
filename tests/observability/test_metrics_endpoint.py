"""`/metrics`: the Prometheus text format, read by a token or an allow-listed address only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from tests.observability.conftest import TOKEN, sample, scrape, scrape_text

pytestmark = pytest.mark.django_db

DATABASE_FAMILIES = {
    "grassroots_tasks_waiting",
    "grassroots_tasks_running",
    "grassroots_tasks_oldest_wait_seconds",
    "grassroots_scheduler_heartbeat_timestamp_seconds",
    "grassroots_scheduler_job_last_run_timestamp_seconds",
    "grassroots_scheduler_job_last_success_timestamp_seconds",
    "grassroots_scheduler_job_last_duration_seconds",
    "grassroots_scheduler_job_consecutive_failures",
    "grassroots_scheduler_job_running",
    "grassroots_figures_refreshed_timestamp_seconds",
    "grassroots_figures_rollup_age_seconds",
    "grassroots_figures_pending_rows",
    "grassroots_import_jobs",
    "grassroots_import_jobs_stalled",
    "grassroots_metrics_source_up",
}


def test_the_scrape_parses_and_has_every_family(metrics_token):
    Client().get("/health/")
    families = scrape()
    assert set(families) >= DATABASE_FAMILIES
    assert {
        "grassroots_http_requests",
        "grassroots_http_request_duration_seconds",
        "grassroots_http_request_queries",
    } <= set(families)
    for source in ("tasks", "scheduler", "figures", "imports"):
        assert sample(families, "grassroots_metrics_source_up", source=source) == 1


def test_requests_are_counted_by_view_name_method_and_status_class(metrics_token):
    before = scrape()
    key = {"view": "health", "method": "GET", "status": "5xx"}  # no scheduler: 503
    was = before.get("grassroots_http_requests", {}).get(
        ("grassroots_http_requests_total", tuple(sorted(key.items()))), 0.0
    )
    Client().get("/health/")
    Client().get("/health/")
    after = scrape()
    assert sample(after, "grassroots_http_requests", "grassroots_http_requests_total", **key) == (
        was + 2
    )


def test_the_query_histogram_counts_each_query_of_a_request(metrics_token):
    def total() -> tuple[float, float]:
        families = scrape()
        labels = (("view", "health"),)
        queries = families.get("grassroots_http_request_queries", {})
        return (
            queries.get(("grassroots_http_request_queries_sum", labels), 0.0),
            queries.get(("grassroots_http_request_queries_count", labels), 0.0),
        )

    seen: list[str] = []

    def spy(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    sum_before, count_before = total()
    with connection.execute_wrapper(spy):
        Client().get("/health/")
    sum_after, count_after = total()
    assert len(seen) >= 4  # database, migrations, scheduler, tasks
    assert (sum_after - sum_before, count_after - count_before) == (len(seen), 1)


def test_latency_is_a_histogram_per_view(metrics_token):
    Client().get("/health/")
    families = scrape()
    latency = families["grassroots_http_request_duration_seconds"]
    labels = (("le", "+Inf"), ("method", "GET"), ("view", "health"))
    assert latency[("grassroots_http_request_duration_seconds_bucket", labels)] >= 1


def test_an_unmatched_path_is_one_label(metrics_token):
    Client().get("/no/such/page/1234/")
    Client().get("/another/missing/5678/")
    families = scrape()
    views = {dict(labels)["view"] for _name, labels in families["grassroots_http_requests"]}
    assert "<unmatched>" in views
    assert not any("1234" in v or "5678" in v or "/" in v for v in views)


def test_static_files_are_one_label(metrics_token):
    Client().get("/static/grassroots/app.css")  # 200 once collected; 404 in the suite
    families = scrape()
    views = {dict(labels)["view"] for _name, labels in families["grassroots_http_requests"]}
    assert "<static>" in views
    assert not any("app.css" in v for v in views)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": "Bearer wrong-token"},
        {"HTTP_AUTHORIZATION": f"Token {TOKEN}"},
        {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}x"},
    ],
)
def test_without_the_token_it_is_not_found(metrics_token, headers):
    resp = Client().get("/metrics", **headers)
    assert resp.status_code == 404
    assert b"grassroots_" not in resp.content


def test_with_neither_token_nor_allow_list_nobody_reads_it(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOW = ""
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert Client().get("/metrics").status_code == 404


def test_an_allow_listed_address_reads_it_without_a_token(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOW = "10.1.0.0/16, 192.0.2.7"
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="192.0.2.7").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="192.0.2.8").get("/metrics").status_code == 404
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 404


def test_only_get_is_answered(metrics_token):
    resp = Client().post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert resp.status_code == 405


def test_every_sample_line_is_valid_exposition(metrics_token):
    Client().get("/health/")
    text = scrape_text()
    # The parser raises on any malformed line; every family has HELP and TYPE.
    families = list(text_string_to_metric_families(text))
    assert all(f.documentation for f in families if f.name.startswith("grassroots_"))
    assert all(f.type in {"counter", "gauge", "histogram"} for f in families)
