"""The ledger pages with the test client: upload, progress polling, preview, confirm, downloads."""

from __future__ import annotations

import datetime
import re
import time

from django.test import Client

from grassroots.core.models import User
from grassroots.people.ledger import jobs
from grassroots.people.models import Resident
from grassroots.people.models_ledger import ImportJob, ImportStatus
from tests.conftest import PASSWORD
from tests.otp_support import verify_session
from tests.test_ledger_support import (  # noqa: F401
    family,
    ledger,
    ledger_settings,
    pid,
    read_xlsx,
    res,
)

HOME = "/people/ledger/"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>")


def signed_in(username: str) -> Client:
    client = Client()
    assert client.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
    verify_session(client, User.objects.get(username=username))
    return client


def _upload(client: Client, file_path, **fields):
    with file_path.open("rb") as fh:
        return client.post(HOME, {"file": fh, "mode": "all", **fields})


def test_the_upload_page(world):
    response = signed_in("community").get(HOME)
    html = response.content.decode()
    assert response.status_code == 200
    assert "台账导入导出" in html and 'enctype="multipart/form-data"' in html
    assert "只导入无误的户" in html and "下载导入模板" in html
    assert "people/ledger.css" in html and not INLINE_SCRIPT.search(html)


def test_upload_runs_the_job_and_shows_the_result(world, tmp_path):
    client = signed_in("community")
    households, residents = family()
    response = _upload(client, ledger(tmp_path / "a.xlsx", households, residents))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{HOME}jobs/{job.pk}/"
    assert job.status == ImportStatus.DONE and job.actor == world.users["community"]
    html = client.get(response["Location"]).content.decode()
    assert "新增居民" in html and "已完成" in html and not INLINE_SCRIPT.search(html)
    # the finished job's progress fragment stops the polling and reloads the page
    fragment = client.get(f"{HOME}jobs/{job.pk}/progress/")
    assert fragment["HX-Refresh"] == "true" and "hx-get" not in fragment.content.decode()


def test_a_running_job_polls_every_second(world, tmp_path):
    households, residents = family()
    with ledger(tmp_path / "a.xlsx", households, residents).open("rb") as fh:
        job = jobs.job_create(actor=world.users["community"], upload=fh, filename="a.xlsx")
    client = signed_in("community")
    html = client.get(f"{HOME}jobs/{job.pk}/").content.decode()
    assert f'hx-get="{HOME}jobs/{job.pk}/progress/"' in html and 'hx-trigger="every 1s"' in html
    assert "<progress" in html and "可以关闭本页面" in html
    fragment = client.get(f"{HOME}jobs/{job.pk}/progress/")
    assert "HX-Refresh" not in fragment and 'hx-trigger="every 1s"' in fragment.content.decode()
    assert fragment["Cache-Control"] == "no-store"


def test_errors_are_listed_and_the_report_downloads(world, tmp_path):
    client = signed_in("community")
    households, residents = family()
    residents[1][2] = "141126850403123"
    _upload(client, ledger(tmp_path / "bad.xlsx", households, residents))
    job = ImportJob.objects.get()
    html = client.get(f"{HOME}jobs/{job.pk}/").content.decode()
    assert "未导入" in html and "15位" in html and "下载错误报告" in html
    report = client.get(f"{HOME}jobs/{job.pk}/report/")
    assert report.status_code == 200 and report["Cache-Control"] == "no-store"
    assert "attachment" in report["Content-Disposition"]
    sheets = read_xlsx(b"".join(report.streaming_content))
    assert sheets["人"][2][-1].value.startswith("身份证号：不再接受15位")
    assert Resident.objects.count() == 0


def test_a_failed_all_or_nothing_run_shows_that_nothing_was_written(world, tmp_path):
    # given: a ledger of one household, one of whose three rows is wrong
    client = signed_in("community")
    households, residents = family()
    residents[1][2] = "141126850403123"
    # when
    _upload(client, ledger(tmp_path / "bad.xlsx", households, residents))
    # then: no count says something was added, the page says nothing was written
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert (job.created, job.households_created, job.updated) == (0, 0, 0)
    html = client.get(f"{HOME}jobs/{job.pk}/").content.decode()
    assert "未写入任何数据" in html
    assert "新增居民" not in html and "新增户" not in html
    home = client.get(HOME).content.decode()
    row = re.search(r"<tr><td>[^<]*</td><td><a href=\"[^\"]*\">bad.xlsx</a>.*?</tr>", home)
    assert row is not None and '<td class="num">0</td><td class="num">0</td>' in row.group(0)


def test_the_preview_and_confirmation_through_the_pages(world, registry, tmp_path):
    client = signed_in("community")
    rows = [
        res("H001", "王建国", pid(11, datetime.date(1980, 5, 17)), "户主", 联系电话="13987654321")
    ]
    _upload(client, ledger(tmp_path / "u.xlsx", [], rows))
    job = ImportJob.objects.get()
    html = client.get(f"{HOME}jobs/{job.pk}/").content.decode()
    assert "修改预览" in html and "138****5678" in html and "139****4321" in html
    assert "确认修改并导入" in html
    # a stale digest is refused, the right one applies
    client.post(f"{HOME}jobs/{job.pk}/confirm/", {"digest": "0" * 64})
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW
    response = client.post(f"{HOME}jobs/{job.pk}/confirm/", {"digest": job.preview["digest"]})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    registry.father.refresh_from_db()
    assert registry.father.phone_masked == "139****4321"


def test_a_preview_can_be_cancelled(world, registry, tmp_path):
    client = signed_in("community")
    rows = [
        res("H001", "王建国", pid(11, datetime.date(1980, 5, 17)), "户主", 联系电话="13987654321")
    ]
    _upload(client, ledger(tmp_path / "u.xlsx", [], rows))
    job = ImportJob.objects.get()
    client.post(f"{HOME}jobs/{job.pk}/cancel/")
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.message == "已取消，未写入任何数据"
    registry.father.refresh_from_db()
    assert registry.father.phone_masked == "138****5678"


def test_jobs_are_private_to_their_uploader(world, tmp_path):
    households, residents = family()
    _upload(signed_in("community"), ledger(tmp_path / "a.xlsx", households, residents))
    job = ImportJob.objects.get()
    township = signed_in("township")
    assert township.get(f"{HOME}jobs/{job.pk}/").status_code == 404
    assert township.get(f"{HOME}jobs/{job.pk}/progress/").status_code == 404
    assert township.get(f"{HOME}jobs/{job.pk}/report/").status_code == 404


def test_who_may_use_the_pages(world, tmp_path):
    assert signed_in("nobody").get(HOME).status_code == 403
    assert signed_in("auditor").get(HOME).status_code == 403
    gridworker = signed_in("gridworker")
    assert gridworker.get(HOME).status_code == 200  # may export, may not import
    households, residents = family()
    assert (
        _upload(gridworker, ledger(tmp_path / "a.xlsx", households, residents)).status_code == 403
    )
    assert ImportJob.objects.count() == 0
    assert Client().get(HOME).status_code == 302


def test_an_empty_upload_is_refused_on_the_form(world, tmp_path):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    response = _upload(signed_in("community"), empty)
    assert response.status_code == 400 and "0 字节" in response.content.decode()


def test_template_and_export_downloads(world, registry):
    community = signed_in("community")
    template = community.get(f"{HOME}template/")
    assert template.status_code == 200 and "attachment" in template["Content-Disposition"]
    assert list(read_xlsx(b"".join(template.streaming_content))) == ["说明", "户", "人"]
    export = community.get(f"{HOME}export/households/", {"within": world.grid3a.pk})
    assert export.status_code == 200 and export["Cache-Control"] == "no-store"
    rows = read_xlsx(b"".join(export.streaming_content))["户"]
    assert [r[0].value for r in rows[1:]] == ["H001"]
    masked = community.post(f"{HOME}export/residents/", {"within": world.grid3a.pk})
    cells = read_xlsx(b"".join(masked.streaming_content))["人"]
    assert registry.father.id_number_masked in {r[2].value for r in cells}
    refused = community.post(
        f"{HOME}export/residents/", {"unmasked": "1", "purpose": "入户走访核对"}
    )
    assert refused.status_code == 403
    township = signed_in("township")
    full = township.post(f"{HOME}export/residents/", {"unmasked": "1", "purpose": "入户走访核对"})
    assert full.status_code == 200 and full["Cache-Control"] == "no-store"
    cells = read_xlsx(b"".join(full.streaming_content))["人"]
    assert pid(11, datetime.date(1980, 5, 17)) in {r[2].value for r in cells}


def test_an_upload_runs_in_a_background_thread(transactional_db, world, tmp_path, settings):
    """With the in-process ThreadBackend the request returns at once; polling shows the end."""
    settings.TASKS = {"default": {"BACKEND": "grassroots.core.tasks.ThreadBackend"}}
    client = signed_in("community")
    households, residents = family()
    response = _upload(client, ledger(tmp_path / "a.xlsx", households, residents))
    assert response.status_code == 302
    job = ImportJob.objects.get()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        fragment = client.get(f"{HOME}jobs/{job.pk}/progress/")
        if fragment.has_header("HX-Refresh"):
            break
        time.sleep(0.2)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, (job.message, job.problems)
    assert Resident.objects.count() == 3
