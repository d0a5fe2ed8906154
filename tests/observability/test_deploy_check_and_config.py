"""`check --deploy` on /metrics' protection, and the log format chosen by the environment."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest

from grassroots.core import checks_deploy
from grassroots.core.observability.logjson import JsonFormatter


def ids(messages) -> list[str]:
    return [m.id for m in messages]


def test_an_allow_list_without_a_token_in_production_is_warned(settings):
    settings.PRODUCTION = True
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOW = "127.0.0.1"
    assert ids(checks_deploy.check_metrics()) == ["grassroots.W108"]


def test_an_allow_list_of_everyone_is_named(settings):
    settings.PRODUCTION = True
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOW = "0.0.0.0/0"
    (warning,) = checks_deploy.check_metrics()
    assert warning.id == "grassroots.W108" and "0.0.0.0/0 allows every address" in warning.msg


@pytest.mark.parametrize(
    ("production", "token", "allow"),
    [
        (True, "s" * 32, "10.0.0.0/8"),  # token and allow-list
        (True, "s" * 32, ""),  # token only
        (True, "", ""),  # closed
        (False, "", "127.0.0.1"),  # not production
    ],
)
def test_a_token_or_a_closed_endpoint_passes(settings, production, token, allow):
    settings.PRODUCTION = production
    settings.METRICS_TOKEN = token
    settings.METRICS_ALLOW = allow
    assert checks_deploy.check_metrics() == []


def test_a_short_token_is_warned(settings):
    settings.METRICS_TOKEN = "short-token"
    settings.METRICS_ALLOW = ""
    assert ids(checks_deploy.check_metrics()) == ["grassroots.W109"]


def test_a_bad_allow_list_entry_is_an_error_naming_it(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOW = "10.0.0.1, intranet.example"
    (error,) = checks_deploy.check_metrics()
    assert error.id == "grassroots.E107" and "'intranet.example'" in error.msg


def _settings_in_subprocess(log_format: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRASSROOTS_LOG_FORMAT": log_format}
    code = (
        "import grassroots.settings as s;"
        "print(s.LOGGING['handlers']['console']['formatter'],"
        " s.LOGGING['loggers']['grassroots.request']['level'])"
    )
    return subprocess.run(  # noqa: S603  (the suite's interpreter, code written above)
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("value", "expected"), [("json", "json INFO"), ("JSON", "json INFO"), ("text", "plain WARNING")]
)
def test_the_log_format_is_chosen_by_the_environment(value, expected):
    done = _settings_in_subprocess(value)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == expected


def test_an_unknown_log_format_stops_start_up():
    done = _settings_in_subprocess("xml")
    assert done.returncode != 0
    assert "GRASSROOTS_LOG_FORMAT must be text or json" in done.stderr


def test_an_exception_is_logged_by_type_and_frames_not_its_message():
    try:
        raise ValueError("duplicate key (phone)=(13812345678)")
    except ValueError:
        record = logging.LogRecord(
            "grassroots.test", logging.ERROR, __file__, 1, "failed", None, sys.exc_info()
        )
    line = json.loads(JsonFormatter().format(record))
    assert line["exception"] == "ValueError"
    assert any("test_an_exception_is_logged" in frame for frame in line["stack"])
    assert "13812345678" not in json.dumps(line) and "duplicate key" not in json.dumps(line)
    assert set(line) == {"time", "level", "logger", "message", "exception", "stack"}
    assert line["time"].endswith("+00:00")
