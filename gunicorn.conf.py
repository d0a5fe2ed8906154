"""gunicorn settings for grassroots (used by `grassroots serve` and `make demo`; operators may copy it).

The access log leaves out query strings (`%(U)s` is the path alone): API searches such as
`/api/v1/residents/?phone=…` carry personal data in the URL, and logs must never hold it.
"""

accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
timeout = 60
# Import the application once in the master, before forking: workers start warm (no import
# on their first request) and share its memory pages.
preload_app = True
# No control socket (`gunicornc`): its default path (~/.gunicorn/gunicorn.ctl) is one per user,
# so two servers of one account would take it from each other; signals do the same job.
control_socket_disable = True


# Metrics of several workers (docs/operations.md, "Metrics"): with PROMETHEUS_MULTIPROC_DIR set,
# each worker writes its request counts to files there and /metrics sums them. The directory is
# emptied when the server starts (counts begin again, as Prometheus expects of a restart), and a
# worker's files are marked dead when it exits (its counts stay in the sums).
def on_starting(server):
    import os
    from pathlib import Path

    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        path = Path(directory)
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        for stale in path.glob("*.db"):
            stale.unlink()


def child_exit(server, worker):
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
