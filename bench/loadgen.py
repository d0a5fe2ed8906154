"""The load generator: a separate process keeping `concurrency` keep-alive connections busy with
POSTs for a fixed duration, each with its own Idempotency-Key; prints one JSON line of results.

    python bench/loadgen.py --port 8123 --path /api/v1/cases/ --token T --body-file b.json

The bodies (a JSON list) are sent round-robin. Standard library only (threads + http.client), so
that `make bench-quick` needs nothing installed; `wrk` is not required.
"""

from __future__ import annotations

import argparse
import http.client
import json
import threading
import time
import uuid
from typing import Any


def percentile(samples: list[float], q: float) -> float:
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def run(
    *,
    port: int,
    path: str,
    token: str,
    bodies: list[bytes],
    concurrency: int,
    duration: float,
    warmup: float = 1.0,
) -> dict[str, Any]:
    lock = threading.Lock()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    ok = 0
    start = time.perf_counter()
    measure_from = start + warmup
    stop = measure_from + duration

    def worker(index: int) -> None:
        nonlocal ok
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = index
        mine: list[float] = []
        good = 0
        bad: dict[str, int] = {}
        while True:
            t0 = time.perf_counter()
            if t0 >= stop:
                break
            body = bodies[i % len(bodies)]
            i += concurrency
            headers = {
                "Content-Type": "application/json",
                "Idempotency-Key": uuid.uuid4().hex,
            }
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
            if t0 < measure_from:
                continue
            if status in (200, 201):
                good += 1
                mine.append((t1 - t0) * 1000)
            elif status:
                bad[str(status)] = bad.get(str(status), 0) + 1
        conn.close()
        with lock:
            ok += good
            latencies.extend(mine)
            for k, v in bad.items():
                errors[k] = errors.get(k, 0) + v

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = max(time.perf_counter() - measure_from, 1e-9)
    return {
        "requests": ok,
        "seconds": round(elapsed, 2),
        "per_second": round(ok / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "concurrency": concurrency,
        "client": "python-threads",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--token", default="")
    parser.add_argument("--body-file", required=True)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    args = parser.parse_args()
    with open(args.body_file, encoding="utf-8") as fh:
        bodies = [json.dumps(b, ensure_ascii=False).encode() for b in json.load(fh)]
    result = run(
        port=args.port,
        path=args.path,
        token=args.token,
        bodies=bodies,
        concurrency=args.concurrency,
        duration=args.duration,
        warmup=args.warmup,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
