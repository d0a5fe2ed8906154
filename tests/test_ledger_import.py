"""Ledger import: what gets written, all or nothing, valid rows only, idempotence, updates."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from grassroots.core.errors import Conflict, NotFound
from grassroots.core.models import AuditEvent
from grassroots.people import services
from grassroots.people.ledger import jobs
from grassroots.people.models import Household, Membership, Resident, ResidentTag
from grassroots.people.models_ledger import ImportStatus
from grassroots.people.privacy import id_index, tag_token
from tests.test_ledger_support import (  # noqa: F401
    GRID_A,
    GRID_B,
    family,
    hh,
    ledger,
    ledger_settings,
    one_problem,
    pid,
    res,
    run_import,
)


def _counts():
    return Resident.objects.count(), Household.objects.count(), Membership.objects.count()


def test_a_valid_ledger_is_written_like_the_register_service(world, tmp_path):
    # given
    households, residents = family()
    path = ledger(tmp_path / "a.xlsx", households, residents)
    # when
    job = run_import(path, actor=world.users["community"])
    # then
    assert job.status == ImportStatus.DONE, (job.message, job.problems)
    assert (job.created, job.households_created, job.errors) == (3, 1, 0)
    household = Household.objects.get(number="T-1")
    head = Resident.objects.get(id_number_index=id_index(pid(100)))
    assert household.area == world.grid3a and household.head == head
    assert head.household == household and head.area == world.grid3a
    assert head.sex == "male" and head.birth_date == datetime.date(1985, 4, 3)
    assert head.phone_masked == "138****1111"
    assert head.id_number_masked == "1" + "*" * 16 + pid(100)[-1]
    assert "13800001111" not in head.phone_enc and head.ethnicity == "汉族"
    assert head.politics == "masses"
    spouse = Resident.objects.get(id_number_index=id_index(pid(101, sex="female")))
    assert spouse.sex == "female" and spouse.relation == "spouse"
    stays = Membership.objects.filter(household=household, ended_on__isnull=True)
    assert stays.count() == 3 and {m.start_reason for m in stays} == {"imported"}
    audit = AuditEvent.objects.get(action="people.import")
    assert audit.result == "ok" and audit.changes["created"] == 3
    assert audit.changes["sha256"] == job.file_sha256 and audit.changes["mode"] == "all_or_nothing"
    assert audit.actor_name == "community"


def test_files_are_removed_when_the_job_ends(world, tmp_path, settings):
    households, residents = family()
    job = run_import(ledger(tmp_path / "a.xlsx", households, residents))
    assert job.status == ImportStatus.DONE
    left = list((settings.MEDIA_ROOT / "imports").iterdir())
    assert left == []


def test_one_bad_row_writes_nothing_and_reports_it(world, tmp_path, settings):
    # given: two good households and one bad phone in the second
    h1, r1 = family("A", 100)
    h2, r2 = family("B", 110, GRID_B)
    r2[1] = res("B-1", "陈二", pid(111, sex="female"), "配偶", 联系电话="12345")
    before = _counts()
    # when
    job = run_import(ledger(tmp_path / "bad.xlsx", h1 + h2, r1 + r2))
    # then
    assert job.status == ImportStatus.FAILED and job.errors == 1
    assert _counts() == before
    problem = one_problem(job, "人", 6)
    assert (problem["column"], problem["field"]) == ("联系电话", "phone")
    assert "手机号码应为11位数字" in problem["message"]
    assert "1 行有错误" in job.message
    # the report: the same sheets, rows where they were, an 错误 column on the bad row only
    wb = load_workbook(settings.MEDIA_ROOT / job.report_path)
    sheet = wb["人"]
    header = [c.value for c in sheet[1]]
    assert header[-1] == "错误" and header[:3] == ["户编号", "姓名", "身份证号"]
    errors = {r: sheet.cell(row=r, column=len(header)).value for r in range(2, sheet.max_row + 1)}
    assert errors[6].startswith("联系电话：") and all(
        v is None for r, v in errors.items() if r != 6
    )
    assert sheet.cell(row=6, column=3).data_type == "s"
    assert sheet.cell(row=6, column=3).number_format == "@"
    audit = AuditEvent.objects.get(action="people.import")
    assert audit.result == "rejected" and audit.changes["error_rows"] == 1


def test_valid_only_writes_whole_valid_households_and_records_the_choice(world, tmp_path):
    h1, r1 = family("A", 100)
    h2, r2 = family("B", 110, GRID_B)
    r2[2] = res("B-1", "刘三", "141126201299990000", "子女")  # no such birth date
    job = run_import(ledger(tmp_path / "mixed.xlsx", h1 + h2, r1 + r2), valid_only=True)
    assert job.status == ImportStatus.DONE
    assert (job.created, job.errors, job.skipped, job.households_created) == (3, 1, 3, 1)
    assert Household.objects.filter(number="A-1").exists()
    assert not Household.objects.filter(number="B-1").exists()  # never half a household
    assert not Resident.objects.filter(name="陈二", household__number="B-1").exists()
    assert job.report_path  # the skipped rows' problems can be downloaded
    audit = AuditEvent.objects.get(action="people.import")
    assert audit.changes["mode"] == "valid_only" and audit.changes["skipped_rows"] == 3


def test_reimporting_the_same_file_changes_nothing(world, tmp_path):
    households, residents = family()
    path = ledger(tmp_path / "a.xlsx", households, residents)
    assert run_import(path, actor=world.users["community"]).status == ImportStatus.DONE
    before = _counts()
    stamps = list(Resident.objects.order_by("pk").values_list("updated_at", flat=True))
    # when
    job = run_import(path, actor=world.users["community"])
    # then
    assert job.status == ImportStatus.DONE
    assert (job.created, job.updated, job.unchanged, job.households_created) == (0, 0, 3, 0)
    assert _counts() == before
    assert list(Resident.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


def test_updates_are_previewed_masked_and_written_only_when_confirmed(world, registry, tmp_path):
    # given: the registered head gets a new phone and a new occupation
    father = registry.father
    rows = [
        res("H001", "王建国", pid(11, datetime.date(1980, 5, 17)), "户主", 联系电话="13987654321"),
    ]
    rows[0][8] = "木匠"
    path = ledger(tmp_path / "upd.xlsx", [], rows)
    community = world.users["community"]
    # when
    job = run_import(path, actor=community)
    # then: a preview, nothing written yet
    assert job.status == ImportStatus.PREVIEW, (job.message, job.problems)
    father.refresh_from_db()
    assert father.phone_masked == "138****5678" and father.occupation == ""
    (entry,) = job.preview["changes"]
    assert entry["row"] == 2 and entry["id"] == father.id_number_masked
    changes = {c["label"]: (c["old"], c["new"]) for c in entry["changes"]}
    assert changes == {"联系电话": ("138****5678", "139****4321"), "职业": ("", "木匠")}
    # when confirmed
    job = jobs.job_confirm(actor=community, job=job, digest=job.preview["digest"])
    jobs.job_enqueue_apply(job)
    job.refresh_from_db()
    # then
    assert job.status == ImportStatus.DONE and job.updated == 1
    father.refresh_from_db()
    assert father.phone_masked == "139****4321" and father.occupation == "木匠"
    assert father.politics == "party"  # an empty cell keeps the stored value


def test_a_preview_that_no_longer_holds_is_shown_again(world, registry, tmp_path):
    rows = [
        res("H001", "王建国", pid(11, datetime.date(1980, 5, 17)), "户主", 联系电话="13987654321")
    ]
    community = world.users["community"]
    job = run_import(ledger(tmp_path / "upd.xlsx", [], rows), actor=community)
    old_digest = job.preview["digest"]
    # the registry changes between the preview and the confirmation
    services.resident_update(actor=None, resident=registry.father, changes={"phone": "13511112222"})
    job = jobs.job_confirm(actor=community, job=job, digest=old_digest)
    jobs.job_enqueue_apply(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW and "已有变化" in job.message
    assert job.preview["digest"] != old_digest
    registry.father.refresh_from_db()
    assert registry.father.phone_masked == "135****2222"


def test_a_member_moves_to_another_household_with_its_history(world, registry, tmp_path):
    child = registry.child
    rows = [res("H002", "王小明", pid(13, datetime.date(2015, 9, 1)), "孙子女")]
    community = world.users["community"]
    job = run_import(ledger(tmp_path / "move.xlsx", [], rows), actor=community)
    assert job.status == ImportStatus.PREVIEW
    labels = {c["label"]: c for c in job.preview["changes"][0]["changes"]}
    assert labels["户编号"]["old"] == "H001" and labels["户编号"]["new"] == "H002"
    job = jobs.job_confirm(actor=community, job=job, digest=job.preview["digest"])
    jobs.job_enqueue_apply(job)
    child.refresh_from_db()
    assert child.household == registry.home_b and child.area == world.grid3b
    stays = list(Membership.objects.filter(resident=child).order_by("id"))
    assert stays[0].ended_on is not None and stays[0].end_reason == "transferred"
    assert stays[1].household == registry.home_b and stays[1].ended_on is None
    assert stays[1].relation == "grandchild"


def test_a_head_cannot_be_moved_away_by_import(world, registry, tmp_path):
    rows = [res("H002", "王建国", pid(11, datetime.date(1980, 5, 17)), "子女")]
    job = run_import(ledger(tmp_path / "move.xlsx", [], rows), actor=world.users["community"])
    problem = one_problem(job, "人", 2)
    assert problem["field"] == "household" and "是户“H001”的户主" in problem["message"]


def test_a_new_member_joins_a_registered_household(world, registry, tmp_path):
    rows = [res("H001", "王小红", pid(120, datetime.date(2018, 2, 2), "female"), "子女")]
    job = run_import(ledger(tmp_path / "join.xlsx", [], rows), actor=world.users["community"])
    assert job.status == ImportStatus.DONE and job.created == 1
    assert registry.home_a.members.count() == 4
    registry.home_a.refresh_from_db()
    assert registry.home_a.head == registry.father


def test_tags_are_added_by_code_or_name(world, tmp_path):
    households, residents = family()
    residents[0][11] = "veteran，独居老人"
    job = run_import(ledger(tmp_path / "tags.xlsx", households, residents))
    assert job.status == ImportStatus.DONE, job.problems
    head = Resident.objects.get(id_number_index=id_index(pid(100)))
    tokens = set(ResidentTag.objects.filter(resident=head).values_list("token", flat=True))
    assert tokens == {tag_token("veteran"), tag_token("elderly_alone")}


def test_started_on_and_optional_fields_are_kept(world, tmp_path):
    households, residents = family()
    residents[0][6] = "本科"  # 文化程度 as its Chinese label
    residents[0][9] = "党员"  # a common synonym of 中共党员
    residents[0][10] = "2020/3/4"
    job = run_import(ledger(tmp_path / "a.xlsx", households, residents))
    assert job.status == ImportStatus.DONE, job.problems
    head = Resident.objects.get(id_number_index=id_index(pid(100)))
    assert (head.education, head.politics) == ("bachelor", "party")
    assert head.memberships.get().started_on == datetime.date(2020, 3, 4)


def test_a_household_may_be_declared_on_resident_rows(world, tmp_path):
    """A single-table file: the household's grid and address on each resident row."""
    from tests.test_ledger_support import xlsx

    header = ["户编号", "网格代码", "地址", "姓名", "身份证号", "与户主关系"]
    rows = [
        ["S-1", GRID_A, "石楼小镇8号", "刘一", pid(100), "户主"],
        ["S-1", GRID_A, "石楼小镇8号", "陈二", pid(101, sex="female"), "配偶"],
    ]
    job = run_import(xlsx(tmp_path / "one.xlsx", {"人": [header, *rows]}))
    assert job.status == ImportStatus.DONE, job.problems
    household = Household.objects.get(number="S-1")
    assert household.dwelling.address == "石楼小镇8号" and household.members.count() == 2


def test_household_rows_that_disagree_are_an_error(world, tmp_path):
    from tests.test_ledger_support import xlsx

    header = ["户编号", "网格代码", "地址", "姓名", "身份证号", "与户主关系"]
    rows = [
        ["S-1", GRID_A, "石楼小镇8号", "刘一", pid(100), "户主"],
        ["S-1", GRID_B, "石楼小镇8号", "陈二", pid(101, sex="female"), "配偶"],
    ]
    job = run_import(xlsx(tmp_path / "one.xlsx", {"人": [header, *rows]}))
    problem = one_problem(job, "人", 3)
    assert problem["code"] == "household_mismatch" and "第 2 行" in problem["message"]


def test_an_existing_household_number_elsewhere_is_an_error(world, registry, tmp_path):
    rows = [res("H002", "刘一", pid(100), "子女")]
    job = run_import(
        ledger(tmp_path / "a.xlsx", [hh("H002", GRID_A, "别处1号")], rows),
        actor=world.users["community"],
    )
    problem = one_problem(job, "户", 2)
    assert problem["code"] == "household_moved"


def test_a_corrected_error_report_can_be_uploaded_again(world, tmp_path, settings):
    households, residents = family()
    residents[1] = res("T-1", "陈二", "12345", "配偶")
    job = run_import(ledger(tmp_path / "bad.xlsx", households, residents))
    report = settings.MEDIA_ROOT / job.report_path
    wb = load_workbook(report)
    wb["人"]["C3"] = pid(101, sex="female")
    fixed = tmp_path / "fixed.xlsx"
    wb.save(fixed)
    job = run_import(fixed)
    assert job.status == ImportStatus.DONE, job.problems
    assert job.created == 3


def test_the_filled_in_template_imports(world, tmp_path):
    import io

    from grassroots.people.ledger.template import template_bytes

    wb = load_workbook(io.BytesIO(template_bytes()))
    households, residents = family()
    for row in households:
        wb["户"].append(row)
    for row in residents:
        wb["人"].append(row)
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    job = run_import(path)
    assert job.status == ImportStatus.DONE, job.problems
    assert job.created == 3 and job.households_created == 1


def test_a_job_cut_off_by_a_restart_says_so_and_can_be_retried(world, tmp_path, settings):
    # given a job that stopped giving signs of life while it checked its file
    households, residents = family()
    community = world.users["community"]
    with ledger(tmp_path / "a.xlsx", households, residents).open("rb") as fh:
        job = jobs.job_create(actor=community, upload=fh, filename="a.xlsx")
    silent = timezone.now() - datetime.timedelta(seconds=settings.PEOPLE_IMPORT_STALE_SECONDS + 1)
    type(job).objects.filter(pk=job.pk).update(status=ImportStatus.VALIDATING, updated_at=silent)
    job.refresh_from_db()
    # when its page asks for its progress, it says it was interrupted and nothing was written
    assert jobs.job_progress(job)["running"] is False
    job.refresh_from_db()
    assert job.status == ImportStatus.INTERRUPTED and "中断" in job.message
    assert Resident.objects.count() == 0
    # then a retry runs the kept upload as a new job, which imports it
    fresh = jobs.job_retry(actor=community, job=job)
    fresh.refresh_from_db()
    assert fresh.status == ImportStatus.DONE and fresh.created == 3
    assert Resident.objects.count() == 3
    # and the interrupted job cannot be retried twice, nor by anyone else
    job.refresh_from_db()
    with pytest.raises(Conflict):
        jobs.job_retry(actor=community, job=job)
    with pytest.raises(NotFound):
        jobs.job_retry(actor=world.users["township"], job=fresh)


def test_a_running_job_that_is_only_slow_is_not_interrupted(world, tmp_path):
    households, residents = family()
    with ledger(tmp_path / "a.xlsx", households, residents).open("rb") as fh:
        job = jobs.job_create(actor=None, upload=fh, filename="a.xlsx")
    type(job).objects.filter(pk=job.pk).update(status=ImportStatus.VALIDATING)
    job.refresh_from_db()
    assert jobs.job_progress(job)["running"] is True
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATING


def test_a_confirmed_job_is_written_once_even_if_its_task_runs_twice(world, registry, tmp_path):
    rows = [res("H001", "王建国", pid(11, datetime.date(1980, 5, 17)), "户主", 职业="木匠")]
    community = world.users["community"]
    job = run_import(ledger(tmp_path / "upd.xlsx", [], rows), actor=community)
    job = jobs.job_confirm(actor=community, job=job, digest=job.preview["digest"])
    assert jobs.job_apply(job.pk).status == ImportStatus.DONE
    assert jobs.job_apply(job.pk).status == ImportStatus.DONE
    assert AuditEvent.objects.filter(action="people.import", result="ok").count() == 1
