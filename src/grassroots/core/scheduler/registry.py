"""The job registry: every periodic job, declared by the app that owns it.

An app adds a job in its own ``jobs.py``; the registry imports every installed app's ``jobs``
module the first time the jobs are asked for (as the admin does with ``admin.py``)::

    # cases/jobs.py
    from django.utils.translation import gettext_lazy as _
    from grassroots.core.scheduler import EVERY_MINUTE, register

    register(
        "sweep", schedule=EVERY_MINUTE, description=_("时限检查：到期提醒、超期标记、逐级提级")
    )

A job is a management command and its arguments: the scheduler runs
``call_command(command, *args)``. Jobs name commands rather than functions so that the code
behind a command can move between apps without touching the schedule, and so that an operator
can run any job by hand with the same name. `schedule` is a crontab line (minute, hour, day of
month, month, day of week), parsed by APScheduler, in the project's time zone (Asia/Shanghai).
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field

from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

EVERY_MINUTE = "* * * * *"

_TICK = datetime.timedelta(microseconds=1)


def _trigger(schedule: str) -> CronTrigger:
    return CronTrigger.from_crontab(schedule, timezone=zoneinfo.ZoneInfo(settings.TIME_ZONE))


@dataclass(frozen=True)
class JobSpec:
    """One registered job: run `command` with `args` whenever `schedule` comes round."""

    name: str
    command: str
    args: tuple[str, ...]
    schedule: str
    description: str | Promise = field(compare=False)

    def next_due(self, after: datetime.datetime) -> datetime.datetime:
        """The first time the schedule comes round strictly after `after`."""
        due = _trigger(self.schedule).get_next_fire_time(None, after + _TICK)
        if due is None:  # a crontab line always comes round again; kept for the type checker
            raise ImproperlyConfigured(f"job {self.name}: schedule never fires")
        return due


class Registry:
    """The jobs by name; `jobs()` discovers every app's ``jobs`` module on first use."""

    def __init__(self) -> None:
        self._jobs: dict[str, JobSpec] = {}
        self._discovered = False

    def register(
        self,
        name: str,
        *args: str,
        schedule: str,
        description: str | Promise,
        command: str | None = None,
    ) -> JobSpec:
        """Declare a job; raises ImproperlyConfigured for a bad schedule or a clashing name.

        Registering the same job twice (a module imported again) is harmless.
        """
        try:
            _trigger(schedule)
        except ValueError as exc:
            raise ImproperlyConfigured(f"job {name}: bad schedule {schedule!r} ({exc})") from None
        spec = JobSpec(
            name=name,
            command=command or name,
            args=tuple(args),
            schedule=schedule,
            description=description,
        )
        known = self._jobs.get(name)
        if known is not None and known != spec:
            raise ImproperlyConfigured(f"job {name} is registered twice, differently")
        self._jobs[name] = spec
        return spec

    def autodiscover(self) -> None:
        if not self._discovered:
            autodiscover_modules("jobs")
            self._discovered = True

    def jobs(self) -> list[JobSpec]:
        """Every registered job, by name."""
        self.autodiscover()
        return [self._jobs[name] for name in sorted(self._jobs)]


registry = Registry()
register = registry.register
