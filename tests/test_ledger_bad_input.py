"""Bad ledgers: each a clear, located problem (sheet, row, column, message); nothing written."""

from __future__ import annotations

import datetime
import zipfile

import pytest

from grassroots.people.idnumber import check_digit
from grassroots.people.models import Household, Resident
from grassroots.people.models_ledger import ImportStatus
from grassroots.people.privacy import id_index
from tests.test_ledger_support import (  # noqa: F401
    GRID_A,
    GRID_LUOCUN,
    HH,
    RES,
    family,
    hh,
    ledger,
    ledger_settings,
    one_problem,
    pid,
    res,
    run_import,
    xlsx,
)


def _bad_id_row(tmp_path, id_number, **extra):
    households, residents = family()
    residents[1] = res("T-1", "陈二", id_number, "配偶", **extra)
    job = run_import(ledger(tmp_path / "bad.xlsx", households, residents))
    assert job.status == ImportStatus.FAILED
    assert Resident.objects.count() == 0 and Household.objects.count() == 0
    return one_problem(job, "人", 3)


def test_wrong_checksum(world, tmp_path):
    good = pid(101, sex="female")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    problem = _bad_id_row(tmp_path, wrong)
    assert (problem["column"], problem["field"], problem["code"]) == (
        "身份证号",
        "id_number",
        "id_checksum",
    )
    assert problem["message"].startswith("身份证号码校验位不符：最后一位应为")


def test_impossible_birth_date(world, tmp_path):
    first17 = "14112619850230" + "123"
    problem = _bad_id_row(tmp_path, first17 + check_digit(first17))
    assert problem["code"] == "id_birth_date"
    assert problem["message"] == "身份证号码中的出生日期不存在，请核对第7至14位的年月日"


def test_fifteen_digit_old_ids_are_refused(world, tmp_path):
    problem = _bad_id_row(tmp_path, "141126850403123")
    assert problem["code"] == "id_old_15" and "15位" in problem["message"]


def test_letters_other_than_a_final_x(world, tmp_path):
    problem = _bad_id_row(tmp_path, "1411261985040A1231")
    assert problem["code"] == "id_chars"
    assert problem["message"] == "身份证号码只能包含数字，最后一位可以是X"


def test_an_id_stored_by_excel_as_a_number_says_so(world, tmp_path):
    problem = _bad_id_row(tmp_path, 141126198504031000)
    assert "存成了数字" in problem["message"]


def test_full_width_digits_are_normalised(world, tmp_path):
    households, residents = family()
    full = pid(101, sex="female").translate({ord(str(d)): chr(0xFF10 + d) for d in range(10)})
    residents[1] = res("T-1", "陈二", full, "配偶")
    job = run_import(ledger(tmp_path / "fw.xlsx", households, residents))
    assert job.status == ImportStatus.DONE, job.problems
    assert Resident.objects.filter(id_number_index=id_index(pid(101, sex="female"))).exists()


def test_duplicate_ids_in_the_file_flag_both_rows(world, tmp_path):
    households, residents = family()
    residents[2] = res("T-1", "刘三", pid(100), "子女")
    job = run_import(ledger(tmp_path / "dup.xlsx", households, residents))
    first, second = one_problem(job, "人", 2), one_problem(job, "人", 4)
    assert first["code"] == second["code"] == "duplicate_id"
    assert first["message"] == "身份证号在文件中重复：与第 4 行相同"
    assert second["message"] == "身份证号在文件中重复：与第 2 行相同"


def test_an_id_registered_outside_the_import_s_range_but_visible_is_refused(
    world, registry, tmp_path
):
    # the township sees 石楼小镇's grid B, so saying the number is taken there reveals nothing;
    # a number held where the importer cannot see is a transfer request (test_people_transfers)
    households, residents = family()
    residents[2] = res("T-1", "赵大爷", pid(14, datetime.date(1940, 1, 2)), "子女")
    job = run_import(
        ledger(tmp_path / "dup.xlsx", households, residents),
        actor=world.users["township"],
        within=world.grid3a,
    )
    problem = one_problem(job, "人", 4)
    assert problem["code"] == "id_out_of_scope" and problem["field"] == "id_number"


def test_unknown_grid_code(world, tmp_path):
    households, residents = family()
    households[0] = hh("T-1", "1411269999999999999")
    job = run_import(ledger(tmp_path / "g.xlsx", households, residents))
    problem = one_problem(job, "户", 2)
    assert (problem["column"], problem["code"]) == ("网格代码", "grid_not_found")
    assert problem["message"] == "网格代码“1411269999999999999”不存在，或不在您的管辖范围内"


def test_a_grid_that_is_not_a_micro_grid(world, tmp_path):
    households, residents = family()
    households[0] = hh("T-1", "1411261000010101")
    problem = one_problem(run_import(ledger(tmp_path / "g.xlsx", households, residents)), "户", 2)
    assert problem["code"] == "grid_not_grid3" and "不是三级网格" in problem["message"]


def test_a_township_officer_cannot_import_into_luocun(world, tmp_path):
    # given: two households in 罗村's micro grid, out of 灵泉镇's scope
    h1, r1 = family("A", 100, GRID_LUOCUN)
    h2, r2 = family("B", 110, GRID_LUOCUN)
    # when
    job = run_import(ledger(tmp_path / "lc.xlsx", h1 + h2, r1 + r2), actor=world.users["township"])
    # then: one located error per household row, the same words as an unknown grid
    assert job.status == ImportStatus.FAILED and Household.objects.count() == 0
    for row in (2, 3):
        problem = one_problem(job, "户", row)
        assert (problem["field"], problem["code"]) == ("grid", "grid_not_found")
        assert GRID_LUOCUN in problem["message"] and "不在您的管辖范围内" in problem["message"]


def test_a_chosen_area_limits_the_import(world, tmp_path):
    households, residents = family(grid=GRID_A)
    job = run_import(
        ledger(tmp_path / "a.xlsx", households, residents),
        actor=world.users["township"],
        within=world.hujiayu,
    )
    problem = one_problem(job, "户", 2)
    assert problem["code"] == "grid_outside_area" and "胡家峪村" in problem["message"]


def test_empty_mandatory_cells_each_named(world, tmp_path):
    households, residents = family()
    residents[1] = res("T-1", "", "", "")
    job = run_import(ledger(tmp_path / "e.xlsx", households, residents))
    found = {(p["column"], p["message"]) for p in job.problems if p["row"] == 3}
    assert found == {
        ("姓名", "必填项不能为空"),
        ("身份证号", "必填项不能为空"),
        ("与户主关系", "必填项不能为空"),
    }


@pytest.mark.parametrize(
    ("column", "value", "code", "message"),
    [
        ("与户主关系", "表哥", "invalid_choice", "“表哥”不是可选值"),
        ("迁入日期", "2021-02-30", "invalid_date", "日期无效，格式应为 2024-01-31"),
        ("迁入日期", "2999-01-01", "future_date", "日期不能晚于今天"),
        ("迁入日期", "1980-01-01", "date_before_birth", "迁入日期早于出生日期"),
        ("联系电话", "5212345", "phone_no_area_code", "固定电话请加上区号"),
        ("标签", "不存在的标签", "unknown_tag", "未知标签：不存在的标签"),
    ],
)
def test_cell_problems(world, tmp_path, column, value, code, message):
    households, residents = family()
    residents[1][RES.index(column)] = value
    problem = one_problem(run_import(ledger(tmp_path / "c.xlsx", households, residents)), "人", 3)
    assert (problem["column"], problem["code"]) == (column, code)
    assert message in problem["message"]


def test_a_household_without_head(world, tmp_path):
    households, residents = family()
    residents[0][3] = "其他"
    job = run_import(ledger(tmp_path / "h.xlsx", households, residents))
    problem = one_problem(job, "户", 2)
    assert problem["code"] == "no_head" and "没有户主" in problem["message"]


def test_a_household_with_two_heads(world, tmp_path):
    households, residents = family()
    residents[1][3] = "户主"
    job = run_import(ledger(tmp_path / "h.xlsx", households, residents))
    for row in (2, 3):
        problem = one_problem(job, "人", row)
        assert problem["code"] == "many_heads" and "第 2、3 行" in problem["message"]


def test_a_household_number_nobody_declared(world, tmp_path):
    households, residents = family()
    residents[2][0] = "NOWHERE"
    job = run_import(ledger(tmp_path / "h.xlsx", households, residents))
    problem = one_problem(job, "人", 4)
    assert problem["code"] == "household_not_found"
    assert problem["message"] == "户编号“NOWHERE”既不在“户”表中，也未在系统中登记"


def test_a_duplicate_household_row(world, tmp_path):
    households, residents = family()
    job = run_import(ledger(tmp_path / "h.xlsx", households + households, residents))
    assert (
        one_problem(job, "户", 2)["code"]
        == one_problem(job, "户", 3)["code"]
        == "duplicate_household"
    )


# -- the file as a whole ---------------------------------------------------------------------


def _file_problem(job):
    assert job.status == ImportStatus.FAILED
    return job.problems[0]


def test_merged_cells_are_located(world, tmp_path):
    households, residents = family()
    path = xlsx(
        tmp_path / "m.xlsx",
        {"户": [HH, *households], "人": [RES, *residents]},
        merge=("人", "A3:A4"),
    )
    problem = _file_problem(run_import(path))
    assert (problem["sheet"], problem["row"], problem["column"]) == ("人", 3, "户编号")
    assert problem["code"] == "merged_cells" and "A3:A4" in problem["message"]


def test_extra_sheets_are_refused(world, tmp_path):
    households, residents = family()
    path = xlsx(
        tmp_path / "x.xlsx", {"户": [HH, *households], "人": [RES, *residents], "Sheet3": []}
    )
    problem = _file_problem(run_import(path))
    assert (problem["sheet"], problem["code"]) == ("Sheet3", "unknown_sheet")
    assert "未知工作表“Sheet3”" in problem["message"]


def test_unknown_and_missing_columns(world, tmp_path):
    path = xlsx(
        tmp_path / "c.xlsx",
        {"人": [["户编号", "姓名", "年龄", "与户主关系"], ["T-1", "刘一", "3", "户主"]]},
    )
    job = run_import(path)
    found = {(p["row"], p["column"], p["code"]) for p in job.problems}
    assert found == {(1, "年龄", "unknown_column"), (1, "身份证号", "missing_column")}


def test_an_old_xls_is_refused_with_advice(world, tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    problem = _file_problem(run_import(path))
    assert problem["code"] == "file_xls" and "另存为” .xlsx" in problem["message"]


def test_a_renamed_text_file_is_not_an_xlsx(world, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("这不是表格", encoding="utf-8")
    problem = _file_problem(run_import(path))
    assert problem["code"] == "file_not_excel" and "不是 Excel 工作簿" in problem["message"]


def test_a_zip_that_is_not_a_workbook(world, tmp_path):
    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    problem = _file_problem(run_import(path))
    assert problem["code"] == "file_not_excel" and "不是 Excel 工作簿" in problem["message"]


def test_binary_content_named_csv(world, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert _file_problem(run_import(path))["code"] == "file_not_text"


def test_an_empty_file_is_refused_before_it_is_stored(world, tmp_path, settings):
    from grassroots.people.ledger.layout import LedgerFileError

    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    with pytest.raises(LedgerFileError) as caught:
        run_import(path)
    assert caught.value.code == "file_empty" and "0 字节" in str(caught.value.message)
    assert not any((settings.MEDIA_ROOT / "imports").iterdir())


def test_a_file_over_the_cap_is_refused(world, tmp_path, settings):
    from grassroots.people.ledger.layout import LedgerFileError

    settings.PEOPLE_IMPORT_MAX_BYTES = 1024
    households, residents = family()
    path = ledger(tmp_path / "big.xlsx", households, residents)
    with pytest.raises(LedgerFileError) as caught:
        run_import(path)
    assert caught.value.code == "file_too_large"
    assert str(caught.value.message).startswith("文件超过大小上限")
    assert not any((settings.MEDIA_ROOT / "imports").iterdir())


# -- CSV ------------------------------------------------------------------------------------


def _csv(residents, households=None):
    header = ["户编号", "网格代码", "地址", "姓名", "身份证号", "与户主关系", "联系电话"]
    lines = [",".join(header)]
    for r in residents:
        lines.append(",".join([r[0], GRID_A, "石楼小镇9号", r[1], r[2], r[3], r[4]]))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_each_encoding(world, tmp_path, encoding):
    _households, residents = family()
    path = tmp_path / "l.csv"
    path.write_bytes(_csv(residents).encode(encoding))
    job = run_import(path, actor=world.users["community"])
    assert job.status == ImportStatus.DONE, job.problems
    assert job.created == 3 and Household.objects.get(number="T-1").members.count() == 3


def test_a_csv_row_problem_is_located(world, tmp_path):
    _households, residents = family()
    residents[2][2] = "123"
    path = tmp_path / "l.csv"
    path.write_text(_csv(residents), encoding="utf-8")
    problem = one_problem(run_import(path), "人", 4)
    assert problem["code"] == "id_length" and problem["message"] == "身份证号码应为18位，当前为3位"


def test_a_csv_in_an_unknown_encoding(world, tmp_path):
    path = tmp_path / "l.csv"
    path.write_bytes("户编号,姓名,身份证号\n".encode() + b"\xff\xfe\xfa\n")
    assert _file_problem(run_import(path))["code"] == "file_encoding"


def test_a_csv_that_is_neither_table(world, tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    assert _file_problem(run_import(path))["code"] == "unknown_table"


def test_a_formula_cell_is_named_as_a_formula_not_an_empty_one(world, tmp_path):
    # given: a name typed as a formula (openpyxl stores it without a computed value)
    households, residents = family()
    residents[1][RES.index("姓名")] = '=CONCAT("陈","二")'
    # when
    job = run_import(ledger(tmp_path / "f.xlsx", households, residents))
    # then: the column and row are named, and the message says formulas are not accepted
    assert job.status == ImportStatus.FAILED
    problem = one_problem(job, "人", 3)
    assert (problem["column"], problem["code"]) == ("姓名", "formula")
    assert "不接受公式" in problem["message"] and "必填" not in problem["message"]
    assert "CONCAT" not in problem["message"]


def test_a_formula_in_a_csv_is_refused_too(world, tmp_path):
    _households, residents = family()
    residents[2][RES.index("身份证号")] = "=A1&B1"
    path = tmp_path / "l.csv"
    path.write_text(_csv(residents), encoding="utf-8")
    problem = one_problem(run_import(path), "人", 4)
    assert (problem["column"], problem["code"]) == ("身份证号", "formula")
