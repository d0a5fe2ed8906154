"""Observability: request ids, structured logs and the Prometheus metrics (docs/operations.md).

- `context`: the request id (taken from a well-formed ``X-Request-ID`` or generated), kept in a
  context variable for the log records of the request and returned as a response header.
- `logjson`: the JSON log formatter (``GRASSROOTS_LOG_FORMAT=json``), one object per line.
- `httpmetrics`: request counts, latency and query counts per view, in prometheus_client.
- `gauges`: figures read from the database when ``/metrics`` is scraped, registered per app in
  its ``gauges.py`` (task backlog, scheduler, rollup lag, import jobs).
- `views`: ``/metrics``, open only to a bearer token or an allow-listed address.

Nothing here labels or logs a path, a query string, a body, a username or a name: views are
named by their URL pattern name, users by their numeric id.
"""
