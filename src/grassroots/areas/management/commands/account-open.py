"""`grassroots account-open USERNAME --name NAME [--post-type CODE (--area CODE | --unit CODE)]`.

Creates an account with a one-time password (printed once; the person must change it at first
sign-in) and, optionally, its first post. This is how an installation gets its first security
administrator; after that, accounts are managed on the /accounts/ pages. The post rules hold here
too (三员分立: one admin role per person, no business post for an administrator).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from grassroots.areas import services as area_services
from grassroots.areas.accounts.services import account_open
from grassroots.areas.models import Area, PostType, Unit
from grassroots.core.audit import audit_source
from grassroots.core.errors import DomainError


class Command(BaseCommand):
    help = "Create an account (one-time password printed once) and optionally its first post."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="The person's full name")
        parser.add_argument("--post-type", help="Code of the first post's type")
        parser.add_argument("--area", help="Code of the area the post covers")
        parser.add_argument("--unit", help="Code of the unit the post is in")
        parser.add_argument("--title", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        post_type = area = unit = None
        if options["post_type"]:
            post_type = PostType.objects.filter(code=options["post_type"]).first()
            if post_type is None:
                raise CommandError(f"unknown post type {options['post_type']}")
            if options["area"]:
                area = Area.objects.filter(code=options["area"]).first()
                if area is None:
                    raise CommandError(f"unknown area {options['area']}")
            if options["unit"]:
                unit = Unit.objects.filter(code=options["unit"]).first()
                if unit is None:
                    raise CommandError(f"unknown unit {options['unit']}")
        elif options["area"] or options["unit"]:
            raise CommandError("--area and --unit need --post-type")
        try:
            with audit_source("command:account-open"), transaction.atomic():
                user, password = account_open(
                    actor=None, username=options["username"], full_name=options["name"]
                )
                if post_type is not None:
                    area_services.post_create(
                        actor=None,
                        person=user,
                        post_type=post_type,
                        area=area,
                        unit=unit,
                        title=options["title"],
                        started_on=timezone.localdate(),
                    )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(password)
