"""The scheduler: the registry, due times, coalescing, restarts, failures and retries.

Time is passed to `tick(now)` explicitly: no test waits on the wall clock. Jobs run in the
test's thread (`threaded=False`). The lease between schedulers: tests/test_scheduler_lease.py.
"""

from __future__ import annotations

import datetime
import logging
import zoneinfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.db import IntegrityError

from grassroots.core.scheduler import runner
from grassroots.core.scheduler.choices import Outcome
from grassroots.core.scheduler.models import JobState, SchedulerLease
from grassroots.core.scheduler.registry import EVERY_MINUTE, JobSpec, Registry, registry
from grassroots.core.scheduler.runner import Scheduler, describe_failure
from grassroots.core.scheduler.selectors import job_statuses, scheduler_status
from grassroots.core.scheduler.state import retry_delay

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PII = "110101199003071234"  # an ID number, as a database error would quote it


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def spec(name: str, schedule: str = EVERY_MINUTE, command: str = "check", *args: str) -> JobSpec:
    return JobSpec(name=name, command=command, args=args, schedule=schedule, description=name)


class Calls:
    """Stands in for call_command: records each call; raises what `failures` holds for a job."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.failures: dict[str, BaseException] = {}

    def __call__(self, command: str, *args: str, **options: object) -> None:
        self.calls.append((command, *args))
        if command in self.failures:
            raise self.failures[command]

    def count(self, command: str) -> int:
        return sum(1 for c in self.calls if c[0] == command)


@pytest.fixture
def calls(monkeypatch) -> Calls:
    fake = Calls()
    monkeypatch.setattr(runner, "call_command", fake)
    return fake


# --- the registry ----------------------------------------------------------------------------


def test_apps_register_their_jobs_by_command_name():
    jobs = {j.name: j for j in registry.jobs()}
    assert {n: j.schedule for n, j in jobs.items()} == {
        "sweep": EVERY_MINUTE,
        "refresh-figures": EVERY_MINUTE,
        "verify-figures": "10 3 * * *",
        "purge-imports": "30 3 * * *",
        "audit-verify": "40 3 * * *",
        "backup": "30 2 * * *",
        "audit-checkpoint": "*/5 * * * *",
        "audit-prune": "50 3 * * *",
        "throttle-purge": "17 * * * *",
        "relocation-sweep": "10 2 * * *",
        "check-entitlements": "40 2 * * *",
        "train-suggest": "10 4 * * *",
    }
    commands = get_commands()
    for job in jobs.values():
        assert job.command in commands, job
        assert str(job.description)


def test_register_rejects_a_bad_schedule_and_a_clashing_name():
    reg = Registry()
    reg._discovered = True  # this registry holds only what the test puts in it
    reg.register("a", schedule="0 3 * * *", description="a")
    reg.register("a", schedule="0 3 * * *", description="a")  # a module imported again
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        reg.register("a", schedule="0 4 * * *", description="a")
    with pytest.raises(ImproperlyConfigured, match="bad schedule"):
        reg.register("b", schedule="61 * * * *", description="b")
    job = reg.register(
        "c", "--full", command="refresh-figures", schedule="0 4 * * 0", description=""
    )
    assert (job.command, job.args) == ("refresh-figures", ("--full",))
    assert [j.name for j in reg.jobs()] == ["a", "c"]


def test_schedules_are_read_in_asia_shanghai():
    nightly = spec("n", "10 3 * * *")
    # 19:00 UTC is 03:00 in Shanghai: the nightly job is due ten minutes later, not tomorrow
    utc = datetime.datetime(2026, 12, 3, 19, 0, tzinfo=datetime.UTC)
    assert nightly.next_due(utc) == at(2026, 12, 4, 3, 10)
    assert nightly.next_due(at(2026, 12, 4, 3, 10)) == at(2026, 12, 5, 3, 10)  # strictly after
    assert spec("m").next_due(at(2026, 12, 4, 9, 0, 0)) == at(2026, 12, 4, 9, 1)
    assert spec("m").next_due(at(2026, 12, 4, 9, 0, 59)) == at(2026, 12, 4, 9, 1)


def test_retry_delay_doubles_and_is_bounded():
    assert [retry_delay(n).total_seconds() for n in range(1, 9)] == [
        60,
        120,
        240,
        480,
        960,
        1800,
        1800,
        1800,
    ]
    assert retry_delay(10_000).total_seconds() == 1800


def test_failures_are_described_without_personal_data():
    try:
        raise IntegrityError(f"duplicate key: Key (id_number)=({PII}) already exists")
    except IntegrityError as exc:
        text = describe_failure(exc)
    assert text.startswith("IntegrityError at ") and "test_scheduler.py" in text
    assert PII not in text
    assert describe_failure(CommandError("audit chain broken at row 7")) == (
        "CommandError: audit chain broken at row 7"
    )
    assert describe_failure(SystemExit(1), "a\n3 difference(s)\n") == (
        "exit status 1: 3 difference(s)"
    )


def test_ticks_fall_on_whole_multiples_of_the_interval():
    trigger = runner.tick_trigger(at(2026, 12, 4, 4, 17, 28, 512), 10)
    first = trigger.get_next_fire_time(None, at(2026, 12, 4, 4, 17, 28, 600))
    assert first == at(2026, 12, 4, 4, 17, 30)
    assert trigger.get_next_fire_time(first, first) == at(2026, 12, 4, 4, 17, 40)


# --- ticks -----------------------------------------------------------------------------------


def test_a_due_job_runs_once_and_its_run_is_kept(db, calls):
    sched = Scheduler(holder="a", jobs=[spec("minute")], threaded=False)
    # first sight: the job is due at the next minute, not at once
    assert sched.tick(at(2026, 12, 4, 9, 0, 5)).started == []
    assert sched.tick(at(2026, 12, 4, 9, 0, 55)).started == []
    report = sched.tick(at(2026, 12, 4, 9, 1, 3))
    assert report.leader and report.started == ["minute"]
    assert calls.count("check") == 1
    state = JobState.objects.get(name="minute")
    assert state.last_outcome == Outcome.OK and state.last_error == ""
    assert state.last_started_at == at(2026, 12, 4, 9, 1, 3)
    assert state.last_duration_ms is not None and state.last_duration_ms >= 0
    assert state.next_run_at == at(2026, 12, 4, 9, 2)
    assert state.running_since is None and state.run_count == 1
    # the next tick within the same minute runs nothing
    assert sched.tick(at(2026, 12, 4, 9, 1, 13)).started == []
    assert calls.count("check") == 1


def test_runs_missed_while_stopped_are_coalesced_into_one(db, calls):
    first = Scheduler(
        holder="a", jobs=[spec("minute"), spec("nightly", "10 3 * * *")], threaded=False
    )
    first.tick(at(2026, 12, 3, 23, 0, 1))
    first.shutdown(grace=0, now=at(2026, 12, 3, 23, 0, 2))
    # a restart (another process, another holder) a night and a morning later: 551 minutes
    # and one nightly time missed; each job runs once
    second = Scheduler(
        holder="b", jobs=[spec("minute"), spec("nightly", "10 3 * * *")], threaded=False
    )
    report = second.tick(at(2026, 12, 4, 8, 11, 2))
    assert sorted(report.started) == ["minute", "nightly"]
    assert calls.count("check") == 2
    assert JobState.objects.get(name="minute").next_run_at == at(2026, 12, 4, 8, 12)
    assert JobState.objects.get(name="nightly").next_run_at == at(2026, 12, 5, 3, 10)
    assert second.tick(at(2026, 12, 4, 8, 11, 12)).started == []


def test_a_changed_schedule_takes_effect_without_a_run(db, calls):
    Scheduler(holder="a", jobs=[spec("j", "10 3 * * *")], threaded=False).tick(at(2026, 12, 4, 9))
    moved = Scheduler(holder="a", jobs=[spec("j", "0 12 * * *")], threaded=False)
    assert moved.tick(at(2026, 12, 4, 9, 0, 10)).started == []
    state = JobState.objects.get(name="j")
    assert (state.schedule, state.next_run_at) == ("0 12 * * *", at(2026, 12, 4, 12))


def test_a_failing_job_is_logged_retried_with_backoff_and_never_dropped(db, calls, caplog):
    calls.failures["audit-verify"] = IntegrityError(f"Key (id_number)=({PII}) exists")
    jobs = [spec("nightly", "40 3 * * *", "audit-verify"), spec("minute")]
    sched = Scheduler(holder="a", jobs=jobs, threaded=False)
    sched.tick(at(2026, 12, 4, 3, 39, 55))
    with caplog.at_level(logging.ERROR, logger="grassroots.scheduler"):
        report = sched.tick(at(2026, 12, 4, 3, 40, 1))
    # the failure did not stop the other job in the same tick
    assert sorted(report.started) == ["minute", "nightly"]
    state = JobState.objects.get(name="nightly")
    assert state.last_outcome == Outcome.FAILED and state.consecutive_failures == 1
    assert state.last_error.startswith("IntegrityError at ")
    # retried a minute after the run ended (not tomorrow)
    assert at(2026, 12, 4, 3, 41, 1) <= state.next_run_at < at(2026, 12, 4, 3, 41, 2)
    assert "job nightly failed (1 in a row): IntegrityError" in caplog.text
    assert PII not in caplog.text and PII not in state.last_error
    # before the retry time nothing; then the retry, failing again, waits twice as long
    assert "nightly" not in sched.tick(at(2026, 12, 4, 3, 41, 0)).started
    assert "nightly" in sched.tick(at(2026, 12, 4, 3, 41, 2)).started
    state.refresh_from_db()
    assert state.consecutive_failures == 2 and state.failure_count == 2
    assert at(2026, 12, 4, 3, 43, 2) <= state.next_run_at < at(2026, 12, 4, 3, 43, 3)
    # once it works, the failure count resets and the schedule resumes
    del calls.failures["audit-verify"]
    assert "nightly" in sched.tick(at(2026, 12, 4, 3, 43, 3)).started
    state.refresh_from_db()
    assert state.last_outcome == Outcome.OK and state.consecutive_failures == 0
    assert state.last_success_at is not None and state.last_error == ""
    assert state.next_run_at == at(2026, 12, 5, 3, 40)
    assert (state.run_count, state.failure_count) == (3, 2)


def test_a_command_exiting_non_zero_counts_as_a_failure(db, calls):
    calls.failures["verify-figures"] = SystemExit(1)
    sched = Scheduler(holder="a", jobs=[spec("v", EVERY_MINUTE, "verify-figures")], threaded=False)
    sched.tick(at(2026, 12, 4, 9, 0, 30))
    sched.tick(at(2026, 12, 4, 9, 1, 0))
    state = JobState.objects.get(name="v")
    assert state.last_outcome == Outcome.FAILED and state.last_error == "exit status 1"


def test_real_commands_run_through_call_command(db, settings, tmp_path):
    # the registered jobs on an empty database, as `make demo` starts them
    settings.BACKUP_DIR = tmp_path
    sched = Scheduler(holder="a", threaded=False)
    sched.tick(at(2026, 12, 4, 2, 5))
    report = sched.tick(at(2026, 12, 4, 4, 11))
    assert sorted(report.started) == sorted(j.name for j in registry.jobs())
    outcomes = dict(JobState.objects.values_list("name", "last_outcome"))
    assert outcomes == dict.fromkeys(outcomes, Outcome.OK), JobState.objects.values()
    assert len(list(tmp_path.glob("grassroots-*.grbak"))) == 1  # the nightly backup
    # and an unknown command is a recorded failure, not a crash
    broken = Scheduler(
        holder="a", jobs=[spec("nope", EVERY_MINUTE, "no-such-command")], threaded=False
    )
    broken.tick(at(2026, 12, 4, 4, 12, 1))
    broken.tick(at(2026, 12, 4, 4, 13, 1))
    assert JobState.objects.get(name="nope").last_error == (
        "CommandError: Unknown command: 'no-such-command'"
    )


def test_a_tick_that_cannot_reach_the_database_is_logged_and_the_loop_goes_on(
    db, monkeypatch, caplog
):
    def broken(**kwargs):
        raise IntegrityError(f"value {PII}")

    monkeypatch.setattr(runner, "lease_hold", broken)
    with caplog.at_level(logging.ERROR, logger="grassroots.scheduler"):
        Scheduler(holder="a", jobs=[])._safe_tick()
    assert "scheduler tick failed: IntegrityError at" in caplog.text
    assert PII not in caplog.text


def test_a_run_left_unfinished_is_closed_by_the_next_holder_and_retried(db, calls):
    jobs = [spec("nightly", "10 3 * * *")]
    first = Scheduler(holder="a", jobs=jobs, threaded=False)
    first.tick(at(2026, 12, 4, 3, 9))
    first.tick(at(2026, 12, 4, 3, 10, 1))
    # as if holder "a" had claimed the run, then died before recording its end
    JobState.objects.filter(name="nightly").update(
        running_since=at(2026, 12, 4, 3, 10, 1),
        running_holder="a",
        next_run_at=at(2026, 12, 5, 3, 10),
    )
    successor = Scheduler(holder="b", jobs=jobs, threaded=False)
    assert successor.tick(at(2026, 12, 4, 3, 10, 30)).leader is False  # a's lease still runs
    assert successor.tick(at(2026, 12, 4, 3, 10, 46)).leader is True
    state = JobState.objects.get(name="nightly")
    assert state.last_outcome == Outcome.INTERRUPTED and state.running_since is None
    assert state.next_run_at == at(2026, 12, 4, 3, 11, 46)
    assert "nightly" in successor.tick(at(2026, 12, 4, 3, 11, 50)).started
    assert JobState.objects.get(name="nightly").last_outcome == Outcome.OK


# --- status ----------------------------------------------------------------------------------


def test_scheduler_status_says_when_the_scheduler_stopped(db, calls):
    status = scheduler_status(now=at(2026, 12, 4, 9))
    assert status.last_heartbeat is None and status.stale
    Scheduler(holder="a", jobs=[], threaded=False).tick(at(2026, 12, 4, 9))
    alive = scheduler_status(now=at(2026, 12, 4, 9, 5))
    assert alive.last_heartbeat == at(2026, 12, 4, 9) and not alive.stale
    assert alive.age_seconds == 300
    assert scheduler_status(now=at(2026, 12, 4, 9, 5, 1)).stale


def test_scheduler_status_is_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        scheduler_status()


def test_the_scheduler_command_runs_one_tick_and_lists_the_jobs(db, capsys):
    call_command("scheduler", "--once")
    assert "ran: nothing due" in capsys.readouterr().out
    assert SchedulerLease.objects.get().heartbeat_at is not None
    call_command("scheduler", "--list")
    out = capsys.readouterr().out
    for job in job_statuses():
        assert job.name in out and job.schedule in out
    assert "never run" in out
