"""`grassroots scorecard-indicators`: print the indicators as the Markdown table of
docs/scorecard.md (pillar by pillar: code, names, unit, source figures, definitions)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from grassroots.scorecard.catalogue import markdown


class Command(BaseCommand):
    help = "Print the scorecard's indicators as a Markdown table (docs/scorecard.md)."

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("zh-hans"):
            self.stdout.write(markdown())
