"""The peer's side of the benchmark: commands run by bench/peer/driver.py with the peer's python.

    PEER_DATABASE_URL=... var/bench/helpdesk-venv/bin/python bench/peer/peer_child.py COMMAND

Commands: `recreate` (drop and create the database), `migrate`, `generate N SEED`, `count`,
`reads RUNS QUEUE` (see peer_reads.py). Each prints one JSON line on stdout as its last line;
progress goes to stderr. Runs only inside the peer's virtual environment (django-helpdesk).
"""

from __future__ import annotations

import datetime
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
QUEUES = (
    ("网络故障", "network"),
    ("账号与权限", "accounts"),
    ("硬件报修", "hardware"),
    ("软件安装", "software"),
    ("邮件系统", "mail"),
    ("办公设备", "office"),
    ("财务系统", "finance"),
    ("其他事项", "other"),
)
# (status, weight): open 1, reopened 2, resolved 3, closed 4, duplicate 5
STATUSES = ((1, 35), (2, 5), (3, 20), (4, 38), (5, 2))
PRIORITIES = ((1, 5), (2, 15), (3, 55), (4, 20), (5, 5))
TOPICS = ("无法登录", "打印机卡纸", "网速很慢", "邮箱收不到信", "电脑蓝屏", "需要开通权限")
PLACES = ("三楼东侧", "财务科", "档案室", "会议室", "二号楼", "服务大厅")
BATCH = 2000
AGENT = "agent"
ADMIN = "admin"


def say(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def django_setup() -> None:
    """Django configured with helpdesk_site.settings (PEER_DATABASE_URL must be set)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk_site.settings")
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    import django

    django.setup()


def recreate(url: str) -> dict[str, Any]:
    """An empty database at `url`: the SQLite file (and its WAL files) removed, or the
    PostgreSQL database dropped (forcing out connections) and created again."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return {"database": str(path)}
    import psycopg

    name = parts.path.strip("/")
    dsn = (
        f"host={parts.hostname or '127.0.0.1'} port={parts.port or 5432} "
        f"user={parts.username or 'postgres'} dbname=postgres"
    )
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return {"database": name}


def migrate() -> dict[str, Any]:
    """All migrations applied (helpdesk's own load its e-mail templates)."""
    django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from helpdesk.models import EmailTemplate

    return {"email_templates": EmailTemplate.objects.count()}


def versions() -> dict[str, str]:
    from importlib.metadata import version

    import django

    return {"version": version("django-helpdesk"), "django": django.get_version()}


def people() -> dict[str, Any]:
    """A superuser and a staff agent without usable passwords (helpdesk adds their settings
    rows on save); the agent holds a DRF token."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    user_model = get_user_model()
    # no passwords: the harness logs in by token and force_login, and hashing costs seconds
    admin = user_model.objects.create_superuser(ADMIN, "admin@example.com", None)
    agent = user_model.objects.create_user(
        AGENT, "agent@example.com", None, is_staff=True, first_name="值班员"
    )
    token = Token.objects.create(user=agent)
    return {"admin": admin, "agent": agent, "token": str(token.key)}


def generate(count: int, seed: int) -> dict[str, Any]:
    """Queues, two staff users and `count` tickets over the last year, each with the
    "Ticket Opened" follow-up helpdesk writes on intake; bulk inserts in batches.

    Deterministic for a seed. Ticket ids follow creation dates. Prints the agent's token.
    """
    django_setup()
    from django.db import connection, transaction
    from django.utils import timezone
    from helpdesk.models import FollowUp, Queue, Ticket

    rng = random.Random(seed)
    t0 = time.perf_counter()
    with transaction.atomic():
        who = people()
        queues = [
            Queue.objects.create(
                title=title,
                slug=slug,
                email_address=f"{slug}@example.com",
                allow_public_submission=True,
            )
            for title, slug in QUEUES
        ]
    # bulk_create keeps the generated dates only with the auto_now flags off in this process
    for name in ("created", "modified"):
        field = Ticket._meta.get_field(name)
        field.auto_now_add = field.auto_now = False
    now = timezone.now()
    year = 365 * 86400
    offsets = sorted(rng.uniform(0, year) for _ in range(count))
    owners = [who["agent"], who["admin"], None, None, None]
    status_values, status_weights = zip(*STATUSES, strict=True)
    prio_values, prio_weights = zip(*PRIORITIES, strict=True)
    written = 0
    for start in range(0, count, BATCH):
        tickets = []
        for i in range(start, min(count, start + BATCH)):
            created = now - datetime.timedelta(seconds=year - offsets[i])
            status = rng.choices(status_values, status_weights)[0]
            place, topic = rng.choice(PLACES), rng.choice(TOPICS)
            tickets.append(
                Ticket(
                    title=f"{place}{topic}",
                    queue=rng.choice(queues),
                    created=created,
                    modified=created + datetime.timedelta(hours=rng.uniform(0, 72)),
                    submitter_email=f"user{rng.randrange(5000)}@example.com",
                    assigned_to=rng.choice(owners),
                    status=status,
                    description=f"{place}反映{topic}，请尽快处理。（生成 {i}）",
                    priority=rng.choices(prio_values, prio_weights)[0],
                )
            )
        with transaction.atomic():
            Ticket.objects.bulk_create(tickets)
            FollowUp.objects.bulk_create(
                FollowUp(
                    ticket=t,
                    title="Ticket Opened",
                    date=t.created,
                    public=True,
                    comment=t.description,
                    user=who["agent"] if t.assigned_to else None,
                    email_recipients=[],
                )
                for t in tickets
            )
        written += len(tickets)
        say(f"  generated {written:,}/{count:,} tickets ({time.perf_counter() - t0:.1f} s)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    else:
        with connection.cursor() as cur:
            cur.execute("PRAGMA optimize")
    return {
        "token": who["token"],
        "queues": [q.pk for q in queues],
        "tickets": Ticket.objects.count(),
        "followups": FollowUp.objects.count(),
        "seconds": round(time.perf_counter() - t0, 2),
        **versions(),
    }


def count() -> dict[str, Any]:
    django_setup()
    from helpdesk.models import Ticket

    return {"tickets": Ticket.objects.count()}


def main() -> None:
    command, args = sys.argv[1], sys.argv[2:]
    url = os.environ.get("PEER_DATABASE_URL", "")
    if command == "recreate":
        out = recreate(url)
    elif command == "migrate":
        out = migrate()
    elif command == "generate":
        out = generate(int(args[0]), int(args[1]))
    elif command == "count":
        out = count()
    elif command == "reads":
        django_setup()
        import peer_reads

        out = peer_reads.measure(runs=int(args[0]), queue=int(args[1]), username=AGENT)
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
