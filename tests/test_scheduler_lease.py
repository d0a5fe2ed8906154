"""Only one scheduler acts per database: the lease, with schedulers ticking at the same moment.

Real transactions (`transaction=True`): each scheduler ticks in its own thread with its own
database connection, released together by a barrier, as two servers would.
"""

from __future__ import annotations

import datetime
import threading
import zoneinfo
from collections import Counter

import pytest
from django.db import connections

from grassroots.core.scheduler import runner
from grassroots.core.scheduler.lease import lease_hold, lease_release
from grassroots.core.scheduler.models import JobState, SchedulerLease
from grassroots.core.scheduler.registry import EVERY_MINUTE, JobSpec
from grassroots.core.scheduler.runner import Scheduler, TickReport

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
JOBS = [JobSpec(name="minute", command="probe", args=(), schedule=EVERY_MINUTE, description="")]

pytestmark = pytest.mark.django_db(transaction=True)


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def runs(monkeypatch) -> list[str]:
    """Every run of a job, by the thread that ran it (stands in for call_command)."""
    seen: list[str] = []
    lock = threading.Lock()

    def probe(command: str, *args: str, **options: object) -> None:
        with lock:
            seen.append(threading.current_thread().name)

    monkeypatch.setattr(runner, "call_command", probe)
    return seen


def together(schedulers: list[Scheduler], now: datetime.datetime) -> dict[str, TickReport]:
    """Tick every scheduler at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(schedulers))
    reports: dict[str, TickReport] = {}
    errors: list[str] = []

    def tick(s: Scheduler) -> None:
        try:
            barrier.wait(timeout=10)
            reports[s.holder] = s.tick(now)
        except Exception as exc:  # a database that cannot serialise would show here
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tick, args=(s,), name=s.holder) for s in schedulers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return reports


def test_two_schedulers_at_once_exactly_one_runs_each_tick(runs):
    a = Scheduler(holder="server-a", jobs=JOBS, threaded=False)
    b = Scheduler(holder="server-b", jobs=JOBS, threaded=False)
    leaders = []
    # ten minutes of ticks every 10 s, both servers ticking at the same instant each time
    start = at(2026, 12, 4, 9, 0, 0)
    for i in range(60):
        reports = together([a, b], start + datetime.timedelta(seconds=10 * i))
        assert sorted(r.leader for r in reports.values()) == [False, True], reports
        leaders.append(next(h for h, r in reports.items() if r.leader))
    # the lease never changed hands while its holder kept renewing it
    assert len(set(leaders)) == 1
    # the job ran once a minute (9:01 … 9:09), each time by the leader alone
    assert runs == [leaders[0]] * 9
    state = JobState.objects.get(name="minute")
    assert state.run_count == 9 and state.running_since is None


def test_ten_schedulers_racing_for_a_free_lease_one_wins():
    now = at(2026, 12, 4, 9)
    results: list[bool] = []
    barrier = threading.Barrier(10)
    lock = threading.Lock()

    def race(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            held = lease_hold(holder=f"s{i}", now=now, seconds=45)
            with lock:
                results.append(held)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 9 + [True]
    assert SchedulerLease.objects.count() == 1


def test_when_the_holder_stops_renewing_the_other_takes_over(runs):
    a = Scheduler(holder="server-a", jobs=JOBS, threaded=False)
    b = Scheduler(holder="server-b", jobs=JOBS, threaded=False)
    assert a.tick(at(2026, 12, 4, 9, 0, 0)).leader
    assert not b.tick(at(2026, 12, 4, 9, 0, 0)).leader
    # a stops ticking (hung or killed) after 9:00:40; its lease runs for 45 s after that
    reports = together([a, b], at(2026, 12, 4, 9, 0, 40))
    assert reports["server-a"].leader and not reports["server-b"].leader
    assert not b.tick(at(2026, 12, 4, 9, 1, 20)).leader  # the 9:01 run waits: a still leads
    assert runs == []
    taken = b.tick(at(2026, 12, 4, 9, 1, 25))
    assert taken.leader and taken.started == ["minute"]  # the missed 9:01 run, once
    assert runs == ["MainThread"]
    # a wakes up: it has lost the lease and runs nothing
    assert not a.tick(at(2026, 12, 4, 9, 1, 30)).leader
    lease = SchedulerLease.objects.get()
    assert lease.holder == "server-b" and lease.heartbeat_at == at(2026, 12, 4, 9, 1, 25)
    assert lease.acquired_at == at(2026, 12, 4, 9, 1, 25)


def test_a_holder_that_stops_cleanly_hands_over_at_once(runs):
    a = Scheduler(holder="server-a", jobs=JOBS, threaded=False)
    b = Scheduler(holder="server-b", jobs=JOBS, threaded=False)
    assert a.tick(at(2026, 12, 4, 9, 0, 0)).leader
    a.shutdown(grace=0, now=at(2026, 12, 4, 9, 0, 5))
    assert b.tick(at(2026, 12, 4, 9, 0, 10)).leader
    lease_release(holder="server-a", now=at(2026, 12, 4, 9, 0, 20))  # not a's to give up
    assert not a.tick(at(2026, 12, 4, 9, 0, 20)).leader


def test_threaded_jobs_do_not_overlap_and_the_lease_is_renewed_meanwhile(monkeypatch):
    # a long job runs in its own thread while the scheduler keeps ticking (renewing the lease)
    release = threading.Event()
    started = threading.Event()
    calls: list[str] = []

    def slow(command: str, *args: str, **options: object) -> None:
        calls.append(command)
        started.set()
        assert release.wait(timeout=30)

    monkeypatch.setattr(runner, "call_command", slow)
    a = Scheduler(holder="server-a", jobs=JOBS)
    b = Scheduler(holder="server-b", jobs=JOBS, threaded=False)
    a.tick(at(2026, 12, 4, 9, 0, 30))
    assert a.tick(at(2026, 12, 4, 9, 1, 0)).started == ["minute"]
    assert started.wait(timeout=30)
    # a minute later the job still runs: no second run, and the lease stays with a
    assert a.tick(at(2026, 12, 4, 9, 2, 0)).started == []
    assert not b.tick(at(2026, 12, 4, 9, 2, 0)).leader
    assert a.running() == ["minute"]
    release.set()
    a.shutdown(grace=30, now=at(2026, 12, 4, 9, 2, 5))
    assert a.running() == [] and calls == ["probe"]
    assert JobState.objects.get(name="minute").last_outcome == "ok"
    assert Counter(JobState.objects.values_list("running_since", flat=True)) == {None: 1}
