"""`grassroots open311-key NAME [--per-minute N] [--channel C]`: print a new Open311 API key."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.core.audit import audit_source
from grassroots.core.errors import DomainError
from grassroots.open311.services import apikey_issue


class Command(BaseCommand):
    help = "Issue an Open311 API key (printed once; only its hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--per-minute", type=int, default=60)
        parser.add_argument("--channel", default="api")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with audit_source("command:open311-key"):
                _key, raw = apikey_issue(
                    actor=None,
                    name=options["name"],
                    channel=options["channel"],
                    per_minute=options["per_minute"],
                )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(raw)
