"""The import workload: 100,000 residents written as .xlsx and imported through the real
ledger path (job_create → job_validate → job_confirm → job_apply) in a child process, so that
its peak memory is its own."""

from __future__ import annotations

import datetime
import json
import os
import resource
import subprocess
import time
from pathlib import Path
from typing import Any

import generate as gen
from workloads import PY, say


def write_ledger(path: Path, rows: int) -> None:
    """`rows` residents in households of 4 on two of the county's grids, as .xlsx."""
    from openpyxl import Workbook

    from grassroots.areas.models import Area
    from grassroots.people.idnumber import make_id
    from grassroots.people.ledger.columns import (
        HOUSEHOLD_COLUMNS,
        RESIDENT_COLUMNS,
        template_headers,
    )

    grids = list(
        Area.objects.filter(level="grid3", county__code="141126000000")
        .order_by("code")
        .values_list("code", flat=True)[:2]
    )
    heads = template_headers(HOUSEHOLD_COLUMNS)
    cols = template_headers(RESIDENT_COLUMNS)
    wb = Workbook(write_only=True)
    wh = wb.create_sheet("户")
    wh.append(heads)
    wr = wb.create_sheet("人")
    wr.append(cols)
    base = datetime.date(1941, 1, 1)
    seq = 0

    def nid() -> str:
        nonlocal seq
        day, s = divmod(seq, 500)
        seq += 1
        sex = "male" if s % 2 else "female"
        return make_id("149901", base + datetime.timedelta(days=day), s, sex)

    members = (("王建国", "户主"), ("李秀英", "配偶"), ("王小明", "子女"), ("王小红", "子女"))
    for h in range((rows + 3) // 4):
        num = f"B{h:06d}"
        house = {
            "户编号": num,
            "网格代码": grids[h % 2],
            "地址": f"石楼小镇{h // 20}号楼{h % 20}室",
            "楼栋/村组": f"{h // 20}号楼",
            "门牌/室": str(h % 20),
        }
        wh.append([house.get(c, "") for c in heads])
        for i, (name, rel) in enumerate(members):
            if h * 4 + i >= rows:
                break
            person = {
                "户编号": num,
                "姓名": name,
                "身份证号": nid(),
                "与户主关系": rel,
                "联系电话": f"139{h:08d}" if i == 0 else "",
                "民族": "汉族",
                "文化程度": "初中",
                "就业状况": "务农",
                "政治面貌": "群众",
                "迁入日期": "2020-01-01",
            }
            wr.append([person.get(c, "") for c in cols])
    wb.save(path)


def import_child(path: str) -> None:
    """In a child process: import the ledger through the real path, print rows/s and peak RSS."""
    from grassroots.people.ledger import jobs

    t0 = time.perf_counter()
    with open(path, "rb") as fh:
        job = jobs.job_create(actor=None, upload=fh, filename=Path(path).name)
    job = jobs.job_validate(job.pk)
    if job.status == "preview":
        job = jobs.job_confirm(actor=None, job=job, digest=str(job.preview.get("digest", "")))
        job = jobs.job_apply(job.pk)
    secs = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "status": str(job.status),
                "message": str(job.message)[:200],
                "rows": job.total,
                "created": job.created,
                "seconds": round(secs, 2),
                "per_second": round((job.total or 0) / secs, 1),
                "peak_mb": round(peak, 1),
            }
        )
    )


def import_workload(env: dict[str, str], rows: int) -> dict[str, Any]:
    path = gen.BENCH_VAR / f"ledger-{rows}.xlsx"
    say(f"  import: writing {rows:,} residents to {path.name}")
    write_ledger(path, rows)
    say("  import: through the ledger import path (child process)")
    out = subprocess.run(  # noqa: S603
        [PY, str(Path(__file__).with_name("run.py")), "import-child", str(path)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))
