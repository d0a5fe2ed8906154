"""The dispatch suggestion's benchmark (issue 22): accuracy on resident talk, speed, scale.

    .venv/bin/python bench/suggest.py [--database-url URL] [--cases 100000]

On a fresh demo (loaded into the database given, by default var/bench/suggest.sqlite3, made
anew) it trains the county model as the demo does and prints one table: the crude keyword vote
(every two-character window through the catalogue's keyword search, one vote per matter found)
and the model on the resident-talk evaluation set (`cases/suggest/evalset.py`, 100
descriptions written apart from the training data), top 1 and top 3, with the median time of
one suggestion in-process; the model's held-out month of closed cases; the development
measure the settings were chosen by (`evaluation.cross_validate`, the demo's case texts); and
the time and peak memory of training with `--cases` synthetic closed cases, of which the newest
MAX_CASES are used as `train_county` does (the demo's case texts with words of other cases
spliced in, so that few repeat). That training runs in a process of its own (`--scale-only`),
so its peak memory (ru_maxrss: Django, jieba's dictionary, the texts, the vectors and the
classifier) is the training's, not the bench's. Results also go to var/bench/suggest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PY = REPO / ".venv" / "bin"


def _fresh_demo(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    if url.startswith("sqlite"):
        Path(url.split("///", 1)[1]).unlink(missing_ok=True)
    else:
        name = url.rsplit("/", 1)[1]
        if not name.endswith("bench"):  # never drop a database the bench did not make
            raise SystemExit(f"refusing to recreate {name!r}: the name must end in 'bench'")
        admin = url.rsplit("/", 1)[0] + "/postgres"
        for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
            subprocess.run([PY / "python", "-c", _PSQL, admin, sql], check=True, env=env)  # noqa: S603
    for command in (["migrate", "--noinput", "-v", "0"], ["loaddemo", "--as-of", _AS_OF]):
        subprocess.run([PY / "grassroots", *command], check=True, env=env)  # noqa: S603


_PSQL = (
    "import sys, psycopg; c = psycopg.connect(sys.argv[1], autocommit=True); c.execute(sys.argv[2])"
)
_AS_OF = "2026-11-30"


def _synthetic(n: int, seed: int = 7) -> list[tuple[str, str]]:
    from grassroots.cases.suggest.evaluation import demo_cases

    rng = random.Random(seed)
    base = demo_cases()
    out = []
    for _ in range(n):
        text, code = rng.choice(base)
        other, _ = rng.choice(base)
        cut = rng.randrange(len(other))
        out.append((f"{text}{other[cut : cut + rng.randint(2, 8)]}{rng.randint(1, 99)}号", code))
    return out


def _scale(cases: int) -> None:
    """Train as `train_county` does on `cases` synthetic closed cases (the newest MAX_CASES),
    in this fresh process; print its seconds, CPU seconds and peak memory as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.settings")
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from grassroots.cases.suggest import evaluation, model, training

    seeds = evaluation.seeds_of_catalogue()  # the demo's catalogue, as `county_seeds` reads it
    synthetic = [model.Example(t, c, training.CASE_WEIGHT) for t, c in _synthetic(cases)][
        -training.MAX_CASES :
    ]
    t0, cpu0 = time.monotonic(), time.process_time()
    model.train(
        training.merge(training.seed_examples(seeds) + synthetic),
        words=training.catalogue_words(seeds),
    )
    result = {
        "seconds": round(time.monotonic() - t0, 1),
        "cpu_seconds": round(time.process_time() - cpu0, 1),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser()
    default = f"sqlite:///{REPO / 'var' / 'bench' / 'suggest.sqlite3'}"
    parser.add_argument(
        "--database-url", default=default, help="PostgreSQL: a database named …bench (recreated)"
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="Use the demo already loaded.")
    parser.add_argument("--scale-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scale_only:
        _scale(args.cases)
        return
    (REPO / "var" / "bench").mkdir(parents=True, exist_ok=True)
    if not args.reuse:
        _fresh_demo(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.settings")
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from grassroots.cases import selectors
    from grassroots.cases.suggest import evaluation, training

    t0 = time.monotonic()
    county = training.train_county()
    train_s = time.monotonic() - t0

    def search(text: str) -> list[str]:
        return list(selectors.matter_list(q=text).values_list("code", flat=True))

    crude = evaluation.evaluate("keyword vote", lambda t: evaluation.keyword_vote(t, search))
    ours = evaluation.evaluate("model", lambda t: [g.matter for g in county.suggest(t)])
    fresh = evaluation.unseen()
    ours_unseen = evaluation.evaluate(
        "model, unseen", lambda t: [g.matter for g in county.suggest(t)], fresh
    )
    crude_unseen = evaluation.evaluate(
        "keyword vote, unseen", lambda t: evaluation.keyword_vote(t, search), fresh
    )
    ev = county.meta["evaluation"]

    dev = evaluation.cross_validate()
    child = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--scale-only", "--cases", str(args.cases)],
        check=True, capture_output=True, text=True, env={**os.environ},
    )  # fmt: skip
    scale = json.loads(child.stdout.strip().splitlines()[-1])
    scale_s, scale_cpu_s, peak_mb = scale["seconds"], scale["cpu_seconds"], scale["peak_mb"]

    rows = [
        ("基线：逐二字关键词投票", crude.top1, crude.top3, crude.median_ms),
        ("派单建议模型", ours.top1, ours.top3, ours.median_ms),
    ]
    print(f"resident-talk evaluation ({ours.total} descriptions), fresh demo")
    print("| suggester | top-1 | top-3 | median per suggestion |")
    print("|---|---:|---:|---:|")
    for name, top1, top3, ms in rows:
        print(f"| {name} | {top1}/100 | {top3}/100 | {ms:.1f} ms |")
    print(
        f"the {ours_unseen.total} descriptions sharing no {evaluation.SHARED_RUN}-character run "
        f"with a training text: model top-1 {ours_unseen.top1}, top-3 {ours_unseen.top3}; "
        f"keyword vote top-1 {crude_unseen.top1}, top-3 {crude_unseen.top3}"
    )
    print(
        f"held-out month: {ev.get('held_out', 0)} closed cases, top-1 {ev.get('top1')} %, "
        f"top-3 {ev.get('top3')} %; demo training {county.meta['cases']:,} closed cases "
        f"{train_s:.1f} s (with the held-out model)"
    )
    print(
        f"development measure (4-fold cross-validation over the demo's {dev.total} case texts): "
        f"top-1 {100 * dev.top1 / dev.total:.1f} %, top-3 {100 * dev.top3 / dev.total:.1f} %"
    )
    print(
        f"training with {args.cases:,} synthetic closed cases (the newest "
        f"{min(args.cases, training.MAX_CASES):,} used), in a process of its own: {scale_s:.1f} s "
        f"({scale_cpu_s:.1f} s of CPU), peak {peak_mb:.0f} MB"
    )
    result = {
        "crude": crude.__dict__,
        "model": ours.__dict__,
        "held_out": ev,
        "demo_train_s": round(train_s, 1),
        "scale_cases": args.cases,
        "scale_train_s": round(scale_s, 1),
        "scale_train_cpu_s": round(scale_cpu_s, 1),
        "peak_mb": round(peak_mb),
        "cross_validation": dev.__dict__,
        "model_unseen": ours_unseen.__dict__,
        "crude_unseen": crude_unseen.__dict__,
    }
    (REPO / "var" / "bench" / "suggest.json").write_text(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
