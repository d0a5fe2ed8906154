"""Helpers shared by the ledger tests (this module holds no tests itself)."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from grassroots.people.ledger import jobs
from grassroots.people.ledger.columns import HOUSEHOLD_COLUMNS, RESIDENT_COLUMNS, template_headers
from grassroots.people.models_ledger import ImportJob, ImportMode
from tests.conftest import person_id

HH = template_headers(HOUSEHOLD_COLUMNS)
RES = template_headers(RESIDENT_COLUMNS)
GRID_A = "1411261000010101001"
GRID_B = "1411261000010101002"
GRID_LUOCUN = "1411261012010101001"


@pytest.fixture(autouse=True)
def ledger_settings(settings, tmp_path):
    """Synchronous tasks (ImmediateBackend) and a private media directory for every ledger test."""
    import django_tasks.signals  # noqa: F401  (resets the task backends when TASKS changes)

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


def pid(n: int, birth: datetime.date = datetime.date(1985, 4, 3), sex: str = "male") -> str:
    """A valid synthetic ID number (Shilou county), distinct for each `n` (100..499)."""
    return person_id(n, birth, sex)


def hh(number: str, grid: str = GRID_A, address: str | None = None, notes: str = "") -> list:
    row = {
        "户编号": number,
        "网格代码": grid,
        "地址": address or f"石楼小镇{number}号",
        "备注": notes,
    }
    return [row.get(h, "") for h in HH]


def res(number: str, name: str, id_number: str, relation: str = "户主", **extra: str) -> list:
    """A 人 row in RES order; `extra` names other columns by header (联系电话="1380...")."""
    row = {"户编号": number, "姓名": name, "身份证号": id_number, "与户主关系": relation, **extra}
    return [row.get(h, "") for h in RES]


def xlsx(
    path: Path, sheets: dict[str, list[list]], *, merge: tuple[str, str] | None = None
) -> Path:
    """A workbook with one sheet per entry (first row: the header); optionally merge cells."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        if merge is not None and merge[0] == title:
            ws.merge_cells(merge[1])
    wb.save(path)
    return path


def ledger(path: Path, households: list[list], residents: list[list]) -> Path:
    """A standard two-sheet ledger."""
    return xlsx(path, {"户": [HH, *households], "人": [RES, *residents]})


def family(prefix: str = "T", n: int = 100, grid: str = GRID_A) -> tuple[list[list], list[list]]:
    """One household of three (head, spouse, child) numbered `prefix`-1, IDs from `n`."""
    number = f"{prefix}-1"
    return (
        [hh(number, grid)],
        [
            res(number, "刘一", pid(n), "户主", 联系电话="13800001111"),
            res(number, "陈二", pid(n + 1, sex="female"), "配偶"),
            res(number, "刘三", pid(n + 2, datetime.date(2012, 1, 9)), "子女"),
        ],
    )


def run_import(
    path: Path, *, actor=None, valid_only: bool = False, within=None, filename: str | None = None
) -> ImportJob:
    """Upload `path` as `actor` and run the job through the task backend (synchronous in tests)."""
    with path.open("rb") as fh:
        job = jobs.job_create(
            actor=actor,
            upload=fh,
            filename=filename or path.name,
            mode=ImportMode.VALID_ONLY if valid_only else ImportMode.ALL_OR_NOTHING,
            within=within,
        )
    jobs.job_start(job)
    job.refresh_from_db()
    return job


def problems_at(job: ImportJob, sheet: str, row: int) -> list[dict]:
    return [p for p in job.problems if p["sheet"] == sheet and p["row"] == row]


def one_problem(job: ImportJob, sheet: str, row: int) -> dict:
    found = problems_at(job, sheet, row)
    assert len(found) == 1, job.problems
    return found[0]


def read_xlsx(content: bytes | Path) -> dict[str, list[list]]:
    """Every sheet's cell objects, row by row."""
    source = io.BytesIO(content) if isinstance(content, bytes) else content
    wb = load_workbook(source)
    return {ws.title: [list(r) for r in ws.iter_rows()] for ws in wb.worksheets}
