"""Pure rules of personal data: ID numbers, phones, masking, leak finders, export cells."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import assume, given
from hypothesis import strategies as st

from grassroots.core.xlsx_safe import TEXT_FORMAT, TextCell, safe_cell, text_cell
from grassroots.people.idnumber import (
    IdInfo,
    IdNumberError,
    check_digit,
    check_id,
    make_id,
    normalise_id,
)
from grassroots.people.masking import (
    FULL_ID_PATTERN,
    FULL_PHONE_PATTERN,
    age_band,
    age_on,
    find_full_ids,
    find_full_phones,
    mask_id,
    mask_name,
    mask_phone,
    remask_id,
)
from grassroots.people.phone import PhoneError, check_phone, normalise_phone
from grassroots.people.privacy import sealed_id

TODAY = datetime.date(2025, 6, 1)
# Synthetic numbers: Dongcheng, Beijing, and Shilou county.
MAN = make_id("110101", datetime.date(1990, 3, 7), 61, "male")  # 110101199003071233
WOMAN = make_id("141126", datetime.date(1962, 11, 30), 7, "female")
FUTURE = make_id("110101", datetime.date(2099, 12, 31), 1, "male")
AREA_CODES = ["141126000000", "14112610000101", "1411261000010101", "1411261000010101001"]


def _wrong_check(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


# --- ID numbers ------------------------------------------------------------------------------


def test_examples_are_what_they_say():
    assert MAN == "110101199003071233"
    assert check_id(MAN, today=TODAY) == IdInfo(
        number=MAN, birth_date=datetime.date(1990, 3, 7), sex="male", region="110101"
    )
    info = check_id(WOMAN, today=TODAY)
    assert (info.sex, info.birth_date, info.region) == (
        "female",
        datetime.date(1962, 11, 30),
        "141126",
    )


def test_check_digit_follows_iso_7064():
    # Weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; the sum mod 11 indexes "10X98765432".
    assert check_digit("11010119900307123") == "3"
    assert check_digit("00000000000000000") == "1"
    assert check_digit("10000000000000000") == "5"  # 7 % 11 = 7 -> "5"
    assert check_digit("00000010000000000") == "X"  # weight 2 -> 2 -> "X"
    with pytest.raises(ValueError):
        check_digit("1234")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 110101 19900307 1233 ", "110101199003071233"),
        ("１１０１０１１９９００３０７１２３３", "110101199003071233"),
        ("11010119900307123x", "11010119900307123X"),
        ("11010119900307123ｘ", "11010119900307123X"),
        ("11010119900307123Ｘ", "11010119900307123X"),
        ("\u3000110101199003071233\t", "110101199003071233"),
    ],
)
def test_normalise_id(raw, expected):
    assert normalise_id(raw) == expected


def test_full_width_input_is_accepted():
    full_width = MAN.translate({ord(str(i)): chr(0xFF10 + i) for i in range(10)})
    assert check_id(full_width, today=TODAY).number == MAN


def test_lower_case_x_is_accepted_and_normalised():
    x_id = next(
        make_id("141126", datetime.date(1980, 1, 1), seq, "male")
        for seq in range(500)
        if make_id("141126", datetime.date(1980, 1, 1), seq, "male").endswith("X")
    )
    assert check_id(x_id.lower(), today=TODAY).number == x_id


@pytest.mark.parametrize(
    ("raw", "code", "fragment"),
    [
        ("", "id_empty", "请填写身份证号码"),
        ("   ", "id_empty", "请填写身份证号码"),
        ("110101900307123", "id_old_15", "15位"),
        ("110101900307123", "id_old_15", "18位的二代身份证"),
        ("11010119900307123", "id_length", "当前为17位"),
        ("1101011990030712333", "id_length", "当前为19位"),
        ("11010119900307123A", "id_chars", "最后一位可以是X"),
        ("1101011990030712X3", "id_chars", "只能包含数字"),
        ("11010119900307-233", "id_chars", "只能包含数字"),
        ("١١٠١٠١١٩٩٠٠٣٠٧١٢٣٣", "id_chars", "只能包含数字"),  # Arabic-Indic digits
        ("110101199902301233", "id_birth_date", "出生日期不存在"),  # 30 February
        ("110101199913011233", "id_birth_date", "出生日期不存在"),  # month 13
        ("110101199900001233", "id_birth_date", "出生日期不存在"),  # month 0
        ("110101189912311233", "id_birth_date", "早于1900年"),
        ("110101202512311233", "id_birth_date", "晚于今天"),
        (_wrong_check(MAN), "id_checksum", "最后一位应为3"),
    ],
)
def test_bad_id_numbers_are_clear_errors(raw, code, fragment):
    with pytest.raises(IdNumberError) as caught:
        check_id(raw, today=TODAY)
    assert caught.value.code == code
    assert fragment in str(caught.value.message)
    assert caught.value.detail == {"field": "id_number"}


def test_checksum_message_names_x():
    number = "11010119900307123"
    x_id = next(
        f"{number[:14]}{n:03d}" for n in range(1000) if check_digit(f"{number[:14]}{n:03d}") == "X"
    )
    with pytest.raises(IdNumberError) as caught:
        check_id(x_id + "0", today=TODAY)
    assert "最后一位应为X" in str(caught.value.message)


def test_messages_never_repeat_the_number():
    for raw in (_wrong_check(MAN), "110101202512311233", "110101199902301233"):
        with pytest.raises(IdNumberError) as caught:
            check_id(raw, today=TODAY)
        assert raw not in str(caught.value) and "19990230" not in str(caught.value)


def test_today_defaults_to_the_local_date():
    today = timezone.localdate()
    assert check_id(make_id("110101", today, 1, "male")).birth_date == today
    with pytest.raises(IdNumberError) as caught:
        check_id(make_id("110101", today + datetime.timedelta(days=1), 1, "male"))
    assert caught.value.code == "id_birth_date"


def test_sealing_checks_the_birth_date_against_the_day_given():
    # given: someone born on the import's day
    born = make_id("110101", TODAY, 1, "male")
    # when / then: sealed on that day it is valid, sealed the day before it is not
    info, sealed = sealed_id(born, today=TODAY)
    assert info.birth_date == TODAY and sealed.masked == mask_id(born)
    with pytest.raises(IdNumberError) as caught:
        sealed_id(born, today=TODAY - datetime.timedelta(days=1))
    assert caught.value.code == "id_birth_date"


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=24))
def test_normalise_id_takes_a_short_cut_only_where_nothing_changes(raw):
    table = str.maketrans(
        {**{chr(0xFF10 + i): str(i) for i in range(10)}, "Ｘ": "X", "ｘ": "X", "x": "X"}
    )
    full_rule = "".join(raw.split()).translate(table)
    assert normalise_id(raw) == full_rule


def test_make_id_refuses_bad_arguments():
    for args in [
        ("11010", datetime.date(1990, 1, 1), 1, "male"),
        ("110101", datetime.date(1990, 1, 1), 500, "male"),
        ("110101", datetime.date(1990, 1, 1), -1, "male"),
        ("110101", datetime.date(1990, 1, 1), 1, "m"),
        ("110101", datetime.date(1899, 12, 31), 1, "male"),
    ]:
        with pytest.raises(ValueError):
            make_id(*args)


regions = st.from_regex(r"[1-9][0-9]{5}", fullmatch=True)
births = st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY)
sexes = st.sampled_from(["male", "female"])
valid_ids = st.builds(make_id, regions, births, st.integers(0, 499), sexes)


@given(regions, births, st.integers(0, 499), sexes)
def test_every_made_id_passes_and_round_trips(region, birth, seq, sex):
    info = check_id(make_id(region, birth, seq, sex), today=TODAY)
    assert (info.region, info.birth_date, info.sex) == (region, birth, sex)


@given(valid_ids, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_character_change_is_caught(number, position, char):
    assume(char != number[position] and (char != "X" or position == 17))
    mutated = number[:position] + char + number[position + 1 :]
    with pytest.raises(IdNumberError) as caught:
        check_id(mutated, today=TODAY)
    if 6 <= position < 14:  # a birth-date digit may make the date impossible first
        assert caught.value.code in {"id_checksum", "id_birth_date"}
    else:
        assert caught.value.code == "id_checksum"


@given(valid_ids, st.integers(0, 16))
def test_any_swap_of_adjacent_different_digits_is_caught(number, position):
    a, b = number[position], number[position + 1]
    assume(a != b and b != "X")
    swapped = number[:position] + b + a + number[position + 2 :]
    with pytest.raises(IdNumberError):
        check_id(swapped, today=TODAY)


@given(st.text())
def test_check_id_on_any_text_raises_only_id_number_error(raw):
    try:
        check_id(raw, today=TODAY)
    except IdNumberError as e:
        assert e.code.startswith("id_")


@given(st.text(alphabet="0123456789Xx０１９Ｘｘ \u3000-", max_size=22))
def test_check_id_on_id_like_text_raises_only_id_number_error(raw):
    try:
        info = check_id(raw, today=TODAY)
    except IdNumberError as e:
        assert e.detail == {"field": "id_number"}
    else:
        assert info.number[17] == check_digit(info.number[:17])


# --- phones ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        (" 138 1234 5678 ", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("＋８６13812345678", "13812345678"),
        ("008613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("19912345678", "19912345678"),
        ("0358-5212345", "0358-5212345"),
        ("03585212345", "0358-5212345"),
        ("(0358) 5212345", "0358-5212345"),
        ("（0358）5212345", "0358-5212345"),
        ("0358－5212345", "0358-5212345"),
        ("010-12345678", "010-12345678"),
        ("02012345678", "020-12345678"),
        ("+86 358 5212345", "0358-5212345"),
        ("+86 10 12345678", "010-12345678"),
        ("0086 0358 5212345", "0358-5212345"),
        ("0358-52123456", "0358-52123456"),
    ],
)
def test_valid_phones_are_normalised(raw, expected):
    assert normalise_phone(raw) == expected
    assert check_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code", "fragment"),
    [
        ("", "phone_empty", "请填写电话号码"),
        ("  - ", "phone_empty", "请填写电话号码"),
        ("138abcd5678", "phone_chars", "只能包含数字"),
        ("1381234567", "phone_length", "当前为10位"),
        ("138123456789", "phone_length", "当前为12位"),
        ("+86 138123456", "phone_length", "当前为9位"),
        ("12812345678", "phone_invalid", "13至19开头"),
        ("5212345", "phone_no_area_code", "区号"),
        ("52123456", "phone_no_area_code", "区号"),
        ("0358-52123", "phone_invalid", "区号加7至8位"),
        ("0358-521234567", "phone_invalid", "区号加7至8位"),
        ("013-8123456", "phone_invalid", "区号加7至8位"),  # no 013 area code
        ("4008001234", "phone_invalid", "格式不正确"),
        ("+1 650 253 0000", "phone_chars", "只能包含数字"),
    ],
)
def test_bad_phones_are_clear_errors(raw, code, fragment):
    with pytest.raises(PhoneError) as caught:
        check_phone(raw)
    assert caught.value.code == code
    assert fragment in str(caught.value.message)
    assert caught.value.detail == {"field": "phone"}


@given(st.text())
def test_check_phone_on_any_text_raises_only_phone_error(raw):
    try:
        result = check_phone(raw)
    except PhoneError as e:
        assert e.code.startswith("phone_")
    else:
        assert check_phone(result) == result  # normalising is idempotent


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_every_mobile_passes(mobile):
    assert check_phone(mobile) == mobile
    assert check_phone(f"+86 {mobile[:3]}-{mobile[3:7]}-{mobile[7:]}") == mobile


# --- masking ---------------------------------------------------------------------------------


def test_mask_examples():
    assert mask_id("110101199003071234") == "1****************4"
    assert mask_id("11010119900307123X") == "1****************X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138 1234 5678") == "138****5678"
    assert mask_phone("0358-5212345") == "0358-****345"
    assert mask_phone("010-12345678") == "010-****5678"
    assert mask_name("张三丰") == "张**"
    assert mask_name("张三") == "张*"
    assert mask_name("阿卜杜·热合曼") == "阿******"


@pytest.mark.parametrize("mask", [mask_id, mask_phone, mask_name])
@pytest.mark.parametrize(("value", "expected"), [("", ""), (None, "")])
def test_masks_of_nothing_are_empty(mask, value, expected):
    assert mask(value) == expected


def test_short_values_are_starred_in_full():
    assert mask_id("1101") == "****"
    assert mask_id("110101900307123") == "1*************3"  # 15 characters: 13 hidden
    assert mask_id("11010190030712") == "*" * 14
    assert mask_phone("5212345") == "*******"
    assert mask_name("张") == "*"


@given(valid_ids)
def test_masked_id_hides_the_middle(number):
    masked = mask_id(number)
    assert masked == number[0] + "*" * 16 + number[-1]
    assert not find_full_ids(masked)


@given(valid_ids)
def test_a_masked_id_reveals_at_most_its_first_and_last_character(number):
    # issue 15 defect 5: the old mask kept 7 of 18 characters (area code and sequence)
    masked = mask_id(number)
    shown = [(i, c) for i, c in enumerate(masked) if c != "*"]
    assert len(masked) == len(number)
    assert shown == [(0, number[0]), (17, number[17])]


@given(st.text(max_size=30))
def test_no_input_shows_more_than_two_characters_of_an_id_mask(value):
    assert len([c for c in mask_id(value) if c != "*"]) <= 2


@given(valid_ids)
def test_an_old_stored_mask_narrows_to_the_new_one(number):
    old = number[:3] + "*" * 11 + number[-4:]
    assert remask_id(old) == mask_id(number) == remask_id(mask_id(number))


@given(st.dates(min_value=datetime.date(1900, 1, 1)), st.dates(min_value=datetime.date(1900, 1, 1)))
def test_age_band_is_ten_years_wide_and_holds_the_age(birth, today):
    age = max(age_on(birth, today), 0)
    band = age_band(birth, today)
    if age >= 80:
        assert band == "80+"
    else:
        low, high = (int(x) for x in band.split("-"))
        assert low % 10 == 0 and high == low + 9 and low <= age <= high


def test_age_band_examples():
    born = datetime.date(1980, 5, 17)
    assert age_band(born, datetime.date(2026, 5, 16)) == "40-49"
    assert age_band(born, datetime.date(2030, 5, 17)) == "50-59"
    assert age_band(datetime.date(1940, 1, 1), datetime.date(2026, 1, 1)) == "80+"
    assert age_band(datetime.date(2026, 1, 1), datetime.date(2026, 1, 1)) == "0-9"


@pytest.mark.parametrize("mask", [mask_id, mask_phone, mask_name])
@given(value=st.text(alphabet=st.characters(blacklist_characters="*"), min_size=1))
def test_mask_output_never_contains_the_value(mask, value):
    assert value not in mask(value)


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_masked_mobile_hides_the_middle(mobile):
    masked = mask_phone(mobile)
    assert masked == mobile[:3] + "****" + mobile[-4:]
    assert not find_full_phones(masked)


# --- leak finders ----------------------------------------------------------------------------


def test_finders_report_unmasked_values():
    text = f'{{"id_number": "{MAN}", "other": "{WOMAN}", "phone": "13812345678"}}'
    assert find_full_ids(text) == [MAN, WOMAN]
    assert find_full_phones(text) == ["13812345678"]
    assert find_full_ids(f"<td>{MAN.lower()}</td>") == [MAN]
    assert find_full_phones("电话：+86 138-1234-5678。") == ["13812345678"]
    assert find_full_phones("8613812345678") == ["13812345678"]


@pytest.mark.parametrize("code", AREA_CODES)
def test_area_codes_are_not_reported(code):
    assert not FULL_ID_PATTERN.search(code)
    assert not FULL_PHONE_PATTERN.search(code)
    assert find_full_ids(f"/areas/{code}/") == []
    assert find_full_phones(f'"code":"{code}"') == []


@pytest.mark.parametrize(
    "text",
    [
        f"a{MAN}",  # part of a token
        f"{MAN}b",
        f"9{MAN}",  # part of a longer number
        f"{MAN}0",
        f"110.{MAN}",  # the digits of a decimal fraction
        f"{MAN}.5",
        _wrong_check(MAN),  # fails the checksum
        FUTURE,  # born in the future
        "110***********1233",
    ],
)
def test_id_finder_ignores_non_ids(text):
    assert find_full_ids(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "a13812345678",
        "13812345678b",
        "113812345678",
        "138123456780",
        "37.13812345678",
        "138****5678",
    ],
)
def test_phone_finder_ignores_non_mobiles(text):
    assert find_full_phones(text) == []


@given(st.text(), valid_ids, st.text())
def test_find_full_ids_finds_every_embedded_id(before, number, after):
    assert number in find_full_ids(f"{before} {number} {after}")


@given(st.text(), st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.text())
def test_find_full_phones_finds_every_embedded_mobile(before, mobile, after):
    assert mobile in find_full_phones(f"{before} {mobile} {after}")


@given(st.from_regex(r"[0-9]{19,21}", fullmatch=True), st.text(alphabet=" ,:/\"'<>"))
def test_long_digit_runs_are_never_reported(code, sep):
    text = f"{sep}{code}{sep}"
    assert find_full_ids(text) == []
    assert find_full_phones(text) == []


# --- export cells ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("张三", "张三"),
        ("a=b", "a=b"),
        ("", ""),
        (-5, -5),
        (3.5, 3.5),
        (None, None),
        (datetime.date(2025, 1, 1), datetime.date(2025, 1, 1)),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_text_cell_keeps_digits_as_text():
    assert text_cell(MAN) == TextCell(MAN, "@")
    assert text_cell("=HYPERLINK()").value == "'=HYPERLINK()"
    assert TEXT_FORMAT == "@"
