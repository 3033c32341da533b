"""Validators: credit codes, application numbers, certificates, dates, amounts, years."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kejiju_desktop import fields, validation
from kejiju_desktop.services.entity_models import model_of


def test_known_good_credit_code_passes():
    assert validation.check_credit_code("91110000600037341L") == "91110000600037341L"


def test_credit_code_is_normalised_from_full_width_and_lower_case():
    assert validation.check_credit_code(" ９１１１００００６０００３７３４１ｌ ") == "91110000600037341L"


def test_wrong_credit_check_character_is_a_warning_naming_the_expected_one():
    with pytest.raises(validation.Invalid) as info:
        validation.check_credit_code("91110000600037341M")
    assert info.value.severity == validation.WARNING
    assert "统一社会信用代码" in info.value.message and "“L”" in info.value.message


@pytest.mark.parametrize(
    ("code", "fragment"),
    [("9111000060003734", "18 位"), ("91110000600037341I", "不允许的字符“I”"), ("9111000060003734OL", "“O”")],
)
def test_malformed_credit_code_is_an_error(code, fragment):
    with pytest.raises(validation.Invalid) as info:
        validation.check_credit_code(code)
    assert info.value.severity == validation.ERROR
    assert fragment in info.value.message


credit_bodies = st.text(alphabet=validation.CREDIT_CHARSET, min_size=17, max_size=17)


@given(credit_bodies)
def test_generated_credit_code_passes(body):
    code = validation.make_credit_code(body)
    assert validation.check_credit_code(code) == code


@given(credit_bodies, st.integers(0, 17), st.sampled_from(validation.CREDIT_CHARSET))
def test_any_single_character_change_of_a_credit_code_fails(body, position, replacement):
    code = validation.make_credit_code(body)
    changed = code[:position] + replacement + code[position + 1 :]
    if changed == code:
        return
    with pytest.raises(validation.Invalid):
        validation.check_credit_code(changed)


@pytest.mark.parametrize("number", ["201710601862.3", "200610108546.4"])
def test_known_good_application_numbers_pass(number):
    assert validation.check_app_no(number) == number


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("ZL201710601862.3", "201710601862.3"),
        ("2017106018623", "201710601862.3"),
        ("zl 200610108546.4", "200610108546.4"),
    ],
)
def test_zl_prefix_and_missing_dot_are_normalised(raw, normal):
    assert validation.check_app_no(raw) == normal


def test_old_eight_digit_application_number_passes():
    digits = "98123456"
    number = f"{digits}.{validation.patent_check_char(digits)}"
    assert validation.check_app_no(number) == number
    assert validation.patent_type_of(number) == "发明"


def test_wrong_patent_check_character_is_an_error():
    with pytest.raises(validation.Invalid) as info:
        validation.check_app_no("201710601862.4")
    assert info.value.severity == validation.ERROR
    assert "申请号" in info.value.message and "“3”" in info.value.message


def test_check_character_x_is_used_for_remainder_ten():
    assert validation.patent_check_char("02100000") == "X"
    assert validation.check_app_no("02100000.X") == "02100000.X"


def test_bad_type_digit_is_an_error():
    digits = "201750601862"
    with pytest.raises(validation.Invalid, match="类型位"):
        validation.check_app_no(f"{digits}.{validation.patent_check_char(digits)}")


@given(st.integers(2003, 2030), st.sampled_from([1, 2, 3, 8, 9]), st.integers(0, 9_999_999))
def test_generated_application_number_passes_and_knows_its_type(year, digit, serial):
    number = validation.make_app_no(year, digit, serial)
    assert validation.check_app_no(number) == number
    assert validation.patent_type_of(number) == validation.PATENT_TYPE_BY_DIGIT[str(digit)]


@given(
    st.integers(2003, 2030),
    st.integers(0, 9_999_999),
    st.sampled_from([*range(12), 13]),  # every digit and the check character; 12 is the dot
    st.sampled_from("0123456789X"),
)
def test_any_single_character_change_of_an_application_number_fails(year, serial, position, replacement):
    number = validation.make_app_no(year, 1, serial)
    changed = number[:position] + replacement + number[position + 1 :]
    if changed == number:
        return
    with pytest.raises(validation.Invalid):
        validation.check_app_no(changed)


def test_patent_type_must_agree_with_the_application_number():
    problems = fields.PATENTS.rules[1](fields.PATENTS, {"app_no": "201710601862.3", "patent_type": "发明"})
    assert problems == []
    problems = fields.PATENTS.rules[1](fields.PATENTS, {"app_no": "201720601862.X", "patent_type": "发明"})
    assert problems and "实用新型" in problems[0].message and problems[0].field == "patent_type"


def test_high_tech_certificate_number_form():
    assert validation.check_cert_no("gr201251000123") == "GR201251000123"
    with pytest.raises(validation.Invalid) as info:
        validation.check_cert_no("川高企2012-01")
    assert info.value.severity == validation.WARNING


@pytest.mark.parametrize(
    "text", ["2012-03-05", "2012.3.5", "2012/3/5", "2012年3月5日", "20120305", "２０１２－３－５"]
)
def test_dates_in_the_usual_forms(text):
    assert validation.parse_date(text, "申请日") == dt.date(2012, 3, 5)


@pytest.mark.parametrize("text", ["2012-02-30", "2013-02-29", "2012-13-01", "明天", "2012-3"])
def test_impossible_dates_are_errors_naming_the_field(text):
    with pytest.raises(validation.Invalid) as info:
        validation.parse_date(text, "申请日")
    assert info.value.message.startswith("申请日")


def test_date_out_of_range_is_refused():
    with pytest.raises(validation.Invalid, match="超出合理范围"):
        validation.parse_date("1900-01-01", "成立日期")


def test_amounts():
    assert validation.parse_money("12.5", "财政资助(万元)") == Decimal("12.50")
    assert validation.parse_money(3187, "财政资助(万元)") == Decimal("3187.00")
    assert validation.parse_money(0.1 + 0.2, "财政资助(万元)") == Decimal("0.30")
    with pytest.raises(validation.Invalid, match="不能为负数"):
        validation.parse_money("-1", "财政资助(万元)")
    with pytest.raises(validation.Invalid, match="最多保留 2 位小数"):
        validation.parse_money("1.234", "财政资助(万元)")
    with pytest.raises(validation.Invalid, match="不是数字"):
        validation.parse_money("十万", "财政资助(万元)")


def test_years_and_counts():
    assert validation.parse_year("2012年", "申报年度") == 2012
    assert validation.parse_year(2012.0, "申报年度") == 2012
    with pytest.raises(validation.Invalid, match="申报年度"):
        validation.parse_year("12", "申报年度")
    with pytest.raises(validation.Invalid, match="不能为负数"):
        validation.parse_int("-3", "职工人数")


def test_choice_synonyms_map_to_the_canonical_value():
    level = fields.PROJECTS.field("level")
    assert level.parse("省级") == "省"
    assert level.parse("国家级") == "国家"
    with pytest.raises(validation.Invalid, match="项目级别“乡级”不是可选的值"):
        level.parse("乡级")


def test_required_field_message_names_the_field():
    with pytest.raises(validation.Invalid, match="项目名称不能为空"):
        fields.PROJECTS.field("name").parse("  ")


def test_every_entity_field_names_a_model_column():
    for entity in fields.ENTITIES.values():
        for spec in entity.fields:
            assert hasattr(model_of(entity), spec.key), (entity.table, spec.key)
            if spec.sort_key:
                assert hasattr(model_of(entity), spec.sort_key)
        assert model_of(entity).__tablename__ == entity.table


def test_high_tech_certificate_runs_three_years_less_a_day():
    assert fields.default_valid_until("高新技术企业", dt.date(2012, 10, 30)) == dt.date(2015, 10, 29)
    assert fields.default_valid_until("高新技术企业", dt.date(2012, 2, 29)) == dt.date(2015, 2, 27)
    assert fields.default_valid_until("科普基地", dt.date(2012, 10, 30)) is None
