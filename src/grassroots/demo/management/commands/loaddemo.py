"""``grassroots loaddemo [--password P] [--seed N] [--as-of YYYY-MM-DD]``: load (or reuse) the
Shilou demo."""

from __future__ import annotations

import datetime
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from grassroots.core.errors import DomainError
from grassroots.demo.loader import DemoConflict, load_demo
from grassroots.demo.report import format_result

MIN_SAFE_LENGTH = 8


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise ArgumentTypeError(f"不是日期 (not a date, YYYY-MM-DD): {text}") from exc


class Command(BaseCommand):
    help = (
        "载入石楼县演示数据（区划网格、单位、岗位、人员和 10 个演示账号，职能事项与知识库，"
        "县城居民户，截至载入时的一年诉求）；已载入则沿用。"
        " Load the Shilou County demo, or reuse it if already loaded."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--password",
            help="演示账号的密码；不给则沿用已保存的或随机生成 (password of the demo accounts)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="随机种子，决定姓名、网格分布、居民和诉求 (default 1)",
        )
        parser.add_argument(
            "--as-of",
            type=_date,
            default=None,
            help=(
                "把这一天当作“今天”（上午 10:30），不晚于今天；同一种子和日期得到同样的数据 "
                "(load as of this date, for reproducible runs; default: now)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password: str | None = options["password"]
        if password is not None and not password:
            raise CommandError("--password 不能为空 (must not be empty)")
        if password is not None and len(password) < MIN_SAFE_LENGTH:
            self.stderr.write(
                self.style.WARNING(
                    f"警告：密码少于 {MIN_SAFE_LENGTH} 位，仅适合本机演示 "
                    f"(warning: password shorter than {MIN_SAFE_LENGTH} characters)"
                )
            )
        as_of: datetime.date | None = options["as_of"]
        if as_of is not None and as_of > timezone.localdate():
            raise CommandError(f"--as-of 不能晚于今天 (must not be after today): {as_of}")
        try:
            result = load_demo(
                password=password,
                seed=options["seed"],
                as_of=as_of,
                stdout=self.stdout,
            )
        except DemoConflict as exc:
            raise CommandError(str(exc)) from exc
        except DomainError as exc:
            message = f"载入失败，未写入任何数据 (load failed, nothing written): {exc}"
            raise CommandError(message) from exc
        if not result.created:
            self.stdout.write("演示数据已存在，沿用现有数据 (demo already loaded; reusing it)")
            if result.password_changed:
                self.stdout.write("已将演示账号的密码改为给定的密码 (demo passwords reset)")
        else:
            self.stdout.write(self.style.SUCCESS("演示数据已载入 (demo loaded)"))
        self.stdout.write(format_result(result))
