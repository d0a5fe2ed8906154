"""Hostile workbooks (issue 15, defect 1): refused by what they unpack to, or read in bounded
memory; peak memory is measured in a fresh child process (its own ``VmHWM``)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grassroots.people.ledger.xlsx import XlsxBook, XlsxLimit
from grassroots.people.models_ledger import ImportStatus
from tests.ledger_bombs import workbook
from tests.test_ledger_support import ledger_settings, run_import  # noqa: F401

REPO = Path(__file__).resolve().parent.parent
PEAK_LIMIT_MB = 300

# Reads the workbook as the import job does (check, then every row), writes the error report
# with every row flagged, and prints the outcome and its own peak memory in kB.
CHILD = """
import sys
import django
django.setup()
from pathlib import Path
from grassroots.people.ledger.layout import LedgerFileError, Problem
from grassroots.people.ledger.reader import iter_rows, open_ledger
from grassroots.people.ledger.report import write_report
path = Path(sys.argv[1])
try:
    ledger = open_ledger(path)
    problems = {}
    for raw in iter_rows(ledger):
        problems[(raw.sheet, raw.row)] = [Problem(raw.sheet, raw.row, "", "", "x", "x")]
    write_report(ledger, problems, path.with_suffix(".report.xlsx"))
    ledger.close()
    print("read", len(problems))
except LedgerFileError as exc:
    print("refused", exc.code, exc.message)
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child of a big test process
# would start at its parent's peak; VmHWM belongs to the child's own memory since exec.
print(next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")))
"""


def import_in_child(path: Path, tmp_path: Path) -> tuple[str, int]:
    """What the child said about `path`, and its peak resident memory in MB."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "grassroots.settings",
        "GRASSROOTS_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": "",
    }
    done = subprocess.run(  # noqa: S603 (our interpreter, fixed code)
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=True,
    )
    *said, peak_kb = done.stdout.strip().splitlines()
    return "\n".join(said), int(peak_kb) // 1024


def test_the_shared_strings_bomb_is_refused_naming_the_ratio(tmp_path):
    # given the workbook of the issue: ~72 MB of shared strings packed into ~0.2 MB
    path = workbook(tmp_path / "bomb.xlsx", strings=3_000_000, text="张三丰", distinct=False)
    # when the import reads it
    said, peak = import_in_child(path, tmp_path)
    # then it is refused for its ratio before any part is parsed (before the fix: read, 600 MB)
    assert said.startswith("refused file_too_large") and "压缩比超过 100 倍" in said
    assert peak <= PEAK_LIMIT_MB


def test_a_large_table_within_the_ratio_is_read_in_bounded_memory(tmp_path):
    # given a million distinct shared strings (~34 MB of XML, packed 14 times: not refused),
    # and the same sheet with a small table
    small = workbook(tmp_path / "small.xlsx", strings=40_004, text="张三丰", distinct=True)
    wide = workbook(
        tmp_path / "wide.xlsx", strings=1_000_000, text="张三丰", distinct=True, level=1
    )
    # when every row of each is read and the error report written
    said_small, base = import_in_child(small, tmp_path)
    said, peak = import_in_child(wide, tmp_path)
    # then the table's size hardly moves memory (before the fix, a Python list: +90 MB; the
    # issue's 2.5 million strings took 540 MB, 130 MB since)
    assert said == said_small == "read 10000"
    assert peak - base <= 30, f"{base} MB with a small table, {peak} MB with a large one"
    assert peak <= PEAK_LIMIT_MB


def test_too_much_in_all_is_refused_naming_the_limit(world, tmp_path, settings):
    settings.PEOPLE_IMPORT_MAX_EXPANDED_BYTES = 2 * 1024 * 1024
    path = workbook(tmp_path / "big.xlsx", strings=100_000, text="张三丰", distinct=True)
    job = run_import(path)
    assert job.status == ImportStatus.FAILED
    assert job.problems[0]["code"] == "file_too_large" and "2 MB" in job.message


def test_a_tight_part_is_refused_through_the_job(world, tmp_path):
    path = workbook(tmp_path / "tight.xlsx", strings=200_000, text="张三丰", distinct=False)
    job = run_import(path)
    assert job.status == ImportStatus.FAILED and "压缩比" in job.message


def _with_strings(tmp_path: Path, sst: str) -> Path:
    path = workbook(tmp_path / "s.xlsx", strings=8, text="x", distinct=True)
    rebuilt = tmp_path / "r.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(rebuilt, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            out.writestr(info, sst if info.filename == "xl/sharedStrings.xml" else data)
    return rebuilt


def test_a_shared_string_longer_than_excel_allows_is_refused(tmp_path):
    sst = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    path = _with_strings(tmp_path, sst + "a" * 40_000 + "</t></si></sst>")
    with pytest.raises(XlsxLimit) as refused:
        XlsxBook(path)
    assert refused.value.reason == "cell"


def test_shared_strings_read_back_from_disk_as_written(tmp_path):
    sst = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>户编号</t></si><si><t>姓名</t></si><si><t>身份证号</t></si>"
        "<si><t>与户主关系</t></si><si><r><t>王</t></r><r><t>建国</t></r></si><si><t/></si>"
        "<si><t>😀" + "长" * 300 + "</t></si><si><t>x</t></si></sst>"
    )
    book = XlsxBook(_with_strings(tmp_path, sst))
    try:
        assert [book.convert("s", str(i), 0) for i in range(6)] == [
            "户编号",
            "姓名",
            "身份证号",
            "与户主关系",
            "王建国",
            "",
        ]
        assert book.convert("s", "6", 0) == "😀" + "长" * 300
        with pytest.raises(IndexError):
            book.convert("s", "8", 0)
    finally:
        book.close()
