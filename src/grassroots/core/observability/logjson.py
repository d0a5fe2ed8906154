"""One JSON object per log line (``GRASSROOTS_LOG_FORMAT=json``), for a log shipper.

Each line has ``time`` (UTC, ISO 8601 with milliseconds), ``level``, ``logger``, ``message``,
``request_id``, ``view``, ``user_id`` (the numeric account id, never a username) and, on the
request line (`httpmetrics`), ``method``, ``status``, ``duration_ms`` and ``queries``; keys
with no value are left out. An exception adds ``exception`` (its type) and ``stack`` (file, line
and function of each frame), never the exception's message or locals: a database error quotes
row values.

A message never holds personal data by the house rule (SECURITY.md 16); as a second line of
defence anything shaped like a phone (11 digits from 1) or an ID number (15 to 18 digits, the
last possibly X) is replaced by ``[redacted]`` before the line is written.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
import traceback
from typing import Any

REDACTED = "[redacted]"
# A phone (11 digits from 1), an ID number (18 characters, or the first-generation 15 digits)
# and the leading digits of one (a mistyped or cut-off number still identifies its holder).
PERSONAL = re.compile(r"(?<![0-9])(1[0-9]{10}|[0-9]{14,17}[0-9Xx])(?![0-9])")
# Record attributes copied into the line when set (by the filter or the request line).
FIELDS = ("request_id", "view", "user_id", "method", "status", "duration_ms", "queries")


def redact(text: str) -> str:
    """`text` with every phone- or ID-number-shaped run of digits replaced."""
    return PERSONAL.sub(REDACTED, text)


class JsonFormatter(logging.Formatter):
    """Formats a record as one line of JSON (non-ASCII kept as is, UTF-8)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None and value != "":
                line[name] = value
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _exc, tb = record.exc_info
            line["exception"] = exc_type.__name__
            line["stack"] = [
                f"{frame.filename}:{frame.lineno} {frame.name}"
                for frame in traceback.extract_tb(tb)
            ]
        return json.dumps(line, ensure_ascii=False, default=str)
