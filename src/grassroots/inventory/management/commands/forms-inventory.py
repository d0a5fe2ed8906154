"""`grassroots forms-inventory`: write docs/forms-inventory.md from the code (every form and API
input, the fields it asks, the attribute each fills) and report the rule's violations.

Exit 1 when a form breaks the rule ("nothing asked twice"), after writing the file; with
`--check`, write nothing and exit 1 when the file on disk differs from the code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.inventory import rules
from grassroots.inventory.collect import entries, hand_parsed_pages
from grassroots.inventory.render import markdown

DEFAULT = Path(settings.REPO_DIR) / "docs" / "forms-inventory.md"


class Command(BaseCommand):
    help = "Write docs/forms-inventory.md from the code and check the rule 'nothing asked twice'."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=str(DEFAULT), help="where to write the document")
        parser.add_argument(
            "--check", action="store_true", help="write nothing; exit 1 if the file is stale"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        found, pages = entries(), hand_parsed_pages()
        text = markdown(found, pages)
        path = Path(options["output"])
        if options["check"]:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError(f"{path} is stale: run `grassroots forms-inventory`")
            self.stdout.write(f"{path} is current")
        else:
            path.write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {path}: {len(found)} forms and inputs")
        violations = rules.check(found) + rules.check_pages(pages, found)
        for v in violations:
            self.stderr.write(f"VIOLATION {v}")
        if violations:
            raise CommandError(f"{len(violations)} violations of 'nothing asked twice'")
