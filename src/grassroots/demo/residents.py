"""The county seat's households and residents, written through the real ledger import.

Registering 30,000 people one by one through `people.services.resident_register` takes minutes
(≈ 5 ms a person with its audit row), so the demo does what a community does with its paper
ledger: it fills the import template's columns (a single-table CSV, built in memory) and runs
the import job (`people.ledger.jobs`): the same checks (GB 11643, phones, grids, one head per
household), sealing, bulk writes and single audit row as an upload on the import page.

Villages have no micro grids in the demo tree, and households live only in micro grids, so the
villages get no households.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils import translation

from grassroots.areas.choices import Level
from grassroots.demo.families import Family, Member, draw_families
from grassroots.demo.tree import Node
from grassroots.people.choices import Education, Employment, Politics, Relation
from grassroots.people.ledger import jobs
from grassroots.people.ledger.columns import RESIDENT_COLUMNS, chinese_labels
from grassroots.people.models import Household
from grassroots.people.models_ledger import ImportJob, ImportStatus

LEDGER_NAME = "石楼县城区居民台账（演示数据）.csv"


class ImportFailed(RuntimeError):
    """The demo ledger was refused by the import; nothing of it was written."""


@dataclass
class Registry:
    """The households as generated (with phones in clear, for the case history's callers) and
    their database ids, by household number."""

    families: list[Family]
    household_ids: dict[str, int] = field(default_factory=dict)
    by_grid: dict[str, list[Family]] = field(default_factory=dict)
    job: ImportJob | None = None

    @property
    def resident_count(self) -> int:
        return sum(len(f.members) for f in self.families)

    def callers(self, grid: str) -> list[tuple[Family, Member]]:
        """Members of the grid's households who have a phone (who might call the hotline)."""
        return [(f, m) for f in self.by_grid.get(grid, []) for m in f.members if m.phone]


def communities_of(tree: Node) -> list[tuple[str, list[str]]]:
    """Each community of the tree with its micro grids' codes, in tree order."""
    return [
        (node.name, [g.code for g in node.walk() if g.level == Level.GRID3])
        for node in tree.walk()
        if node.level == Level.COMMUNITY
    ]


def _labels() -> dict[str, dict[str, str]]:
    with translation.override("zh-hans"):
        return {
            "relation": chinese_labels(Relation),
            "education": chinese_labels(Education),
            "employment": chinese_labels(Employment),
            "politics": chinese_labels(Politics),
        }


def _rows(families: list[Family]) -> Iterator[dict[str, str]]:
    labels = _labels()
    for f in families:
        for m in f.members:
            yield {
                "household": f.number,
                "name": m.name,
                "id_number": m.id_number,
                "relation": labels["relation"][m.relation],
                "phone": m.phone,
                "ethnicity": m.ethnicity,
                "education": labels["education"].get(m.education, ""),
                "employment": labels["employment"].get(m.employment, ""),
                "occupation": m.occupation,
                "politics": labels["politics"][m.politics],
                "started_on": m.moved_in.isoformat() if m.moved_in else "",
                "tags": ",".join(m.tags),
                "notes": m.notes,
                "grid": f.grid,
                "address": f.place.address,
                "building": f.place.building,
                "unit": f.place.unit,
                "room": f.place.room,
            }


def ledger_csv(families: list[Family]) -> bytes:
    """The families as one import ledger: a CSV with the template's headers, in UTF-8."""
    columns = [c for c in RESIDENT_COLUMNS if c.importable]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in columns])
    for row in _rows(families):
        writer.writerow([row.get(c.field, "") for c in columns])
    return out.getvalue().encode("utf-8")


def load_residents(*, tree: Node, rng: random.Random, source: str) -> Registry:
    """Draw the county seat's families and import them as one ledger, all or nothing.

    Raises ImportFailed (naming the first problems' codes, never their cells) when the import
    refuses the ledger; the caller's transaction then rolls back.
    """
    families = draw_families(rng, communities_of(tree))
    content = ledger_csv(families)
    job = jobs.job_create(
        actor=None, upload=io.BytesIO(content), filename=LEDGER_NAME, source=source
    )
    job = jobs.job_validate(job.pk)
    if job.status != ImportStatus.DONE:
        codes = sorted({p.get("code", "") for p in job.problems[:20]})
        raise ImportFailed(f"demo ledger refused ({job.status}): {job.message} {codes}")
    registry = Registry(families=families, job=job)
    registry.household_ids = dict(Household.objects.values_list("number", "pk"))
    for family in families:
        registry.by_grid.setdefault(family.grid, []).append(family)
    return registry
