"""Helpers of the observability tests: a token for /metrics, a scrape parsed with
prometheus_client's own parser, and the JSON log lines written while a test runs."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from grassroots.core.observability.context import RequestContextFilter
from grassroots.core.observability.logjson import JsonFormatter

TOKEN = "t" * 40


@pytest.fixture
def metrics_token(settings) -> str:
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOW = ""
    return TOKEN


def scrape_text() -> str:
    resp = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert resp.status_code == 200, resp.status_code
    assert resp["Content-Type"].startswith("text/plain; version=")
    return resp.content.decode()


def scrape() -> dict[str, dict[tuple[str, tuple[tuple[str, str], ...]], float]]:
    """Family name → {(sample name, sorted labels): value}, parsed by prometheus_client."""
    out: dict[str, dict[tuple[str, tuple[tuple[str, str], ...]], float]] = {}
    for family in text_string_to_metric_families(scrape_text()):
        samples = out.setdefault(family.name, {})
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def sample(families, family: str, name: str | None = None, **labels: str) -> float:
    key = (name or family, tuple(sorted(labels.items())))
    return families[family][key]


class JsonLog:
    """The JSON lines written to the root logger while the fixture is active."""

    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    @property
    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]


@pytest.fixture
def json_log() -> Iterator[JsonLog]:
    """Every record (DEBUG and up; Django's request logger from WARNING, so 404s are logged)
    formatted by the production JSON formatter with the production request filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    levels = {
        name: logging.getLogger(name).level for name in ("", "grassroots.request", "django.request")
    }
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    logging.getLogger("grassroots.request").setLevel(logging.INFO)
    logging.getLogger("django.request").setLevel(logging.WARNING)
    try:
        yield JsonLog(stream)
    finally:
        root.removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
