"""The load generator: a separate process keeping `concurrency` keep-alive connections busy with
POSTs for a fixed duration; prints one JSON line of results.

    python bench/loadgen.py --port 8123 --path /api/v1/cases/ --token T --body-file b.json
    python bench/loadgen.py --port 8123 --jobs-file loop.json

With `--body-file` (a JSON list of bodies) every request POSTs one body to `--path`, round-robin,
each with its own Idempotency-Key: the intake. With `--jobs-file` (a JSON list of jobs, each a
list of steps `{"path", "token", "body"}`) each connection takes the next unused job and sends its
steps in order, each only after the previous one answered: the workflow loop
(dispatch → accept → resolve → review of one case); a job is used once. With `--rate R` the
connections together start at most R requests a second, on a fixed schedule (request n not
before start + n / R): sustained intake at a set pace rather than as fast as the server goes.

Each answered request counts; a job whose step fails is abandoned (its error counted). Standard
library only (threads + http.client), so that `make bench-quick` needs nothing installed.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import threading
import time
import uuid
from typing import Any

Step = tuple[str, str, bytes]  # path, token, body


def percentile(samples: list[float], q: float) -> float:
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def run(
    *,
    port: int,
    jobs: list[list[Step]],
    repeat: bool,
    concurrency: int,
    duration: float,
    warmup: float = 1.0,
    rate: float = 0.0,
) -> dict[str, Any]:
    """Send `jobs` (round-robin forever when `repeat`, else each once) for `warmup` + `duration`
    seconds, at most `rate` requests a second when it is set; only requests started after the
    warm-up are counted."""
    lock = threading.Lock()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    ok = 0
    counter = itertools.count()
    slots = itertools.count()
    start = time.perf_counter()
    measure_from = start + warmup
    stop = measure_from + duration

    def next_job() -> list[Step] | None:
        n = next(counter)  # atomic under the GIL
        if not repeat and n >= len(jobs):
            return None
        return jobs[n % len(jobs)]

    def worker() -> None:
        nonlocal ok
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        good = 0
        bad: dict[str, int] = {}
        while time.perf_counter() < stop:
            job = next_job()
            if job is None:
                break
            for path, token, body in job:
                if rate:
                    due = start + next(slots) / rate
                    time.sleep(max(0.0, due - time.perf_counter()))
                t0 = time.perf_counter()
                if t0 >= stop:
                    break
                headers = {"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex}
                if token:
                    headers["Authorization"] = f"Token {token}"
                try:
                    conn.request("POST", path, body=body, headers=headers)
                    resp = conn.getresponse()
                    resp.read()
                    status = resp.status
                except (OSError, http.client.HTTPException) as exc:
                    status = 0
                    bad[type(exc).__name__] = bad.get(type(exc).__name__, 0) + 1
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                t1 = time.perf_counter()
                if status in (200, 201):
                    if t0 >= measure_from:
                        good += 1
                        mine.append((t1 - t0) * 1000)
                    continue
                if status and t0 >= measure_from:
                    bad[str(status)] = bad.get(str(status), 0) + 1
                break  # the rest of this job depends on the failed step
        conn.close()
        with lock:
            ok += good
            latencies.extend(mine)
            for k, v in bad.items():
                errors[k] = errors.get(k, 0) + v

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = max(min(time.perf_counter(), stop) - measure_from, 1e-9)
    return {
        "requests": ok,
        "seconds": round(elapsed, 2),
        "per_second": round(ok / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "concurrency": concurrency,
        "rate_limit": rate,
        "client": "python-threads",
    }


def _encode(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="")
    parser.add_argument("--token", default="")
    parser.add_argument("--body-file", default="")
    parser.add_argument("--jobs-file", default="")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--rate", type=float, default=0.0, help="requests/s in all (0: no limit)")
    args = parser.parse_args()
    if args.jobs_file:
        with open(args.jobs_file, encoding="utf-8") as fh:
            raw = json.load(fh)
        jobs = [[(s["path"], s["token"], _encode(s["body"])) for s in job] for job in raw]
        repeat = False
    else:
        with open(args.body_file, encoding="utf-8") as fh:
            jobs = [[(args.path, args.token, _encode(b))] for b in json.load(fh)]
        repeat = True
    result = run(
        port=args.port,
        jobs=jobs,
        repeat=repeat,
        concurrency=args.concurrency,
        duration=args.duration,
        warmup=args.warmup,
        rate=args.rate,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
