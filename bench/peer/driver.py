"""The django-helpdesk peer of the benchmark (issue 7), measured the way bench/run.py measures us.

    .venv/bin/python bench/peer/driver.py --database sqlite|postgres [--tickets 20000]
        [--seconds 20] [--runs 50] [--seed 1] [--out result.json]

Installs django-helpdesk (bench/peer/requirements.txt, hash-pinned) into its own virtual
environment var/helpdesk-venv (reused while requirements.txt is unchanged), recreates its
database (var/bench/helpdesk.sqlite3 or the PostgreSQL database `helpdesk_bench`), migrates,
generates the tickets in bulk, serves it with gunicorn exactly as our harness serves grassroots
(our gunicorn.conf.py, 2 × cores sync workers, a free port, access log /dev/null), drives ticket
intake through helpdesk's API with bench/loadgen.py (warm-up 3 s), then times the staff ticket
list and dashboard in-process in the peer's python (peer_child.py, peer_reads.py). The result
is written to --out and printed as the last line of stdout. Standard library only.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PEER = Path(__file__).resolve().parent
BENCH = PEER.parent
REPO = BENCH.parent
BENCH_VAR = Path(os.environ.get("GRASSROOTS_BENCH_DIR", REPO / "var" / "bench"))
VENV = REPO / "var" / "helpdesk-venv"  # shared by every run (and the quick test): made once
REQUIREMENTS = PEER / "requirements.txt"
STAMP = VENV / "requirements.sha256"
PG_NAME = "helpdesk_bench"
INTAKE_PATH = "/api/tickets/"
LOGS = BENCH_VAR

sys.path.insert(0, str(BENCH))
import serve  # noqa: E402
from serve import say  # noqa: E402


@contextlib.contextmanager
def phase(phases: dict[str, float], name: str) -> Iterator[None]:
    """Adds the wall time of the block to phases[name], in seconds."""
    t0 = time.perf_counter()
    try:
        yield
    finally:
        phases[name] = round(phases.get(name, 0.0) + time.perf_counter() - t0, 2)


def ensure_venv() -> Path:
    """The peer venv's python: reused when its stamp holds requirements.txt's hash, else
    created afresh with our interpreter's `-m venv` and installed with pip (hashes required)."""
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    python = VENV / "bin" / "python"
    if python.exists() and STAMP.exists() and STAMP.read_text(encoding="ascii").strip() == digest:
        say(f"peer venv: reusing {VENV}")
        return python
    say(f"peer venv: creating {VENV} and installing {REQUIREMENTS.name} (about a minute)")
    shutil.rmtree(VENV, ignore_errors=True)
    VENV.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--require-hashes",
            "-r",
            str(REQUIREMENTS),
        ],
        check=True,
        stdout=sys.stderr,
    )
    STAMP.write_text(digest + "\n", encoding="ascii")
    return python


def database_url(kind: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{BENCH_VAR / 'helpdesk.sqlite3'}"
    return f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"


def peer_environ(url: str) -> dict[str, str]:
    """Our environment without our venv's traces, pointed at the peer project and database."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        {
            "PEER_DATABASE_URL": url,
            "PEER_MEDIA_ROOT": str(BENCH_VAR / "helpdesk-media"),
            "DJANGO_SETTINGS_MODULE": "helpdesk_site.settings",
            "PYTHONPATH": str(PEER),
        }
    )
    return env


def child(python: Path, env: dict[str, str], *args: object) -> Any:
    """Runs peer_child.py COMMAND in the peer venv (stderr passed through); its last JSON line."""
    out = subprocess.run(  # noqa: S603
        [str(python), str(PEER / "peer_child.py"), *map(str, args)],
        env=env,
        cwd=str(PEER),
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def gunicorn(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    """The peer under gunicorn, exactly as our harness serves grassroots (bench/serve.py)."""
    return serve.gunicorn(
        exe=VENV / "bin" / "gunicorn", app="helpdesk_site.wsgi", env=env, cwd=PEER, log_dir=LOGS
    )


def intake_bodies(queues: list[int], n: int = 400) -> list[dict[str, Any]]:
    """Varied bodies for helpdesk's ticket-create API: queue, title, description, submitter."""
    rng = random.Random(7)
    places = ("三楼东侧", "财务科", "档案室", "会议室", "二号楼", "服务大厅")
    topics = ("无法登录", "打印机卡纸", "网速很慢", "邮箱收不到信", "电脑蓝屏", "需要开通权限")
    bodies = []
    for i in range(n):
        place, topic = rng.choice(places), rng.choice(topics)
        bodies.append(
            {
                "queue": rng.choice(queues),
                "title": f"{place}{topic}",
                "description": f"{place}反映{topic}，请尽快处理。（压测 {i}）",
                "submitter_email": f"caller{rng.randrange(10**6)}@example.com",
                "priority": rng.choice((2, 3, 3, 3, 4)),
            }
        )
    return bodies


def probe(port: int, token: str, body: dict[str, Any]) -> None:
    """One POST before the load: raises with helpdesk's answer unless it is 201 Created."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json", "Authorization": f"Token {token}"}
    conn.request("POST", INTAKE_PATH, body=json.dumps(body).encode(), headers=headers)
    resp = conn.getresponse()
    text = resp.read().decode(errors="replace")
    conn.close()
    if resp.status != 201:
        raise RuntimeError(f"intake probe: {resp.status} {text[:500]}")


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Every phase for one database; the result dict (see the module docstring)."""
    phases: dict[str, float] = {}
    t_all = time.perf_counter()
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    with phase(phases, "venv"):
        python = ensure_venv()
    env = peer_environ(database_url(args.database))
    say(f"[helpdesk/{args.database}] {args.tickets:,} tickets")
    with phase(phases, "database"):
        child(python, env, "recreate")
    with phase(phases, "migrate"):
        child(python, env, "migrate")
    with phase(phases, "generate"):
        made = child(python, env, "generate", args.tickets, args.seed)
    problems: list[str] = []
    with phase(phases, "server_start"):
        proc, port = gunicorn(env)
    try:
        with phase(phases, "intake"):
            probe(port, made["token"], intake_bodies(made["queues"], 1)[0])
            before = child(python, env, "count")["tickets"]
            say(f"  intake: POST {INTAKE_PATH} for {args.seconds:g} s at c={serve.CONCURRENCY}")
            bodies = intake_bodies(made["queues"])
            intake = serve.drive(port, INTAKE_PATH, made["token"], bodies, args.seconds)
            intake["tickets_written"] = child(python, env, "count")["tickets"] - before
    finally:
        proc.terminate()
        proc.wait(30)
    if intake["errors"]:
        problems.append(f"intake errors: {intake['error_kinds']}")
    if intake["tickets_written"] < intake["requests"]:
        problems.append("intake: fewer tickets written than 201s counted")
    say(f"  reads: ticket list and dashboard, {args.runs} runs each")
    with phase(phases, "reads"):
        reads = child(python, env, "reads", args.runs, made["queues"][0])
    phases["total"] = round(time.perf_counter() - t_all, 2)
    return {
        "peer": "django-helpdesk",
        "version": made["version"],
        "django": made["django"],
        "database": args.database,
        "tickets": made["tickets"],
        "followups": made["followups"],
        "seed": args.seed,
        "concurrency": serve.CONCURRENCY,
        "workers": 2 * (os.cpu_count() or 1),
        "setup_seconds": round(phases["database"] + phases["migrate"] + phases["generate"], 2),
        "phases": phases,
        "intake": {"path": INTAKE_PATH, **intake},
        **reads,
        "problems": problems,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    result = run(args)
    line = json.dumps(result, ensure_ascii=False)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(
            json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    print(line)
    if result["problems"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
