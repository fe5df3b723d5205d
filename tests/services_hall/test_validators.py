import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from services_hall.validators import (
    USCC_CHARSET,
    id_number_check_char,
    id_number_problem,
    is_valid_id_number,
    is_valid_uscc,
    uscc_check_char,
    uscc_problem,
    validate_id_number,
    validate_uscc,
)

VALID_USCCS = [
    "91350100M000100Y43",  # the worked example commonly quoted for GB 32100-2015
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "52100000500019928T",  # check characters below computed by hand from 3^i mod 31
    "12100000400000624D",
    "92350102MA2XY12340",
]
VALID_ID_NUMBERS = [
    "11010519491231002X",  # the example printed in GB 11643-1999
    "110105199003071239",
    "440304200002294568",  # born on 29 February of a leap year
    "350102197201010521",
]


@pytest.mark.parametrize("code", VALID_USCCS)
def test_real_credit_codes_are_accepted(code):
    assert uscc_problem(code) is None
    validate_uscc(code)


def test_credit_code_is_accepted_with_blanks_and_lower_case_letters():
    assert is_valid_uscc(" 91350100m000100y43 ")
    assert is_valid_uscc("9135 0100 M000 100Y 43")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "应为18位，当前为17位"),
        ("91350100M000100Y433", "应为18位，当前为19位"),
        ("91350100M000100I43", "不允许的字符：I"),
        ("91350100M000100Y44", "校验位不正确"),
        ("91350100M000100Y34", "校验位不正确"),  # two characters swapped
    ],
)
def test_wrong_credit_codes_are_refused_with_a_chinese_reason(code, message):
    with pytest.raises(ValidationError) as error:
        validate_uscc(code)
    assert message in error.value.messages[0]


def test_weights_are_the_gb_32100_table():
    from services_hall.validators import USCC_WEIGHTS

    assert USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


uscc_bodies = st.text(alphabet=USCC_CHARSET, min_size=17, max_size=17)


@given(body=uscc_bodies)
def test_every_body_completed_with_its_check_character_is_valid(body):
    assert is_valid_uscc(body + uscc_check_char(body))


@given(body=uscc_bodies, position=st.integers(0, 17), data=st.data())
def test_changing_any_one_character_of_a_valid_credit_code_is_detected(body, position, data):
    code = body + uscc_check_char(body)
    replacement = data.draw(st.sampled_from([c for c in USCC_CHARSET if c != code[position]]))
    changed = code[:position] + replacement + code[position + 1 :]
    assert not is_valid_uscc(changed)


@pytest.mark.parametrize("number", VALID_ID_NUMBERS)
def test_real_id_numbers_are_accepted(number):
    assert id_number_problem(number) is None
    validate_id_number(number)


def test_id_number_check_digit_matches_the_standard_example_with_an_old_birth_year():
    assert id_number_check_char("44052418800101001") == "4"


def test_id_number_ending_in_lower_case_x_is_accepted():
    assert is_valid_id_number("11010519491231002x")


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("11010519491231002", "应为18位，当前为17位"),
        ("110105491231002", "应为18位，当前为15位"),  # the old 15-digit form is no longer accepted
        ("1101051949123100X2", "前17位应为数字"),
        ("11010519491231002Y", "前17位应为数字"),
        ("11010519490231002X", "出生日期不正确"),  # 31 February
        ("110105194912310021", "校验位不正确"),
    ],
)
def test_wrong_id_numbers_are_refused_with_a_chinese_reason(number, message):
    with pytest.raises(ValidationError) as error:
        validate_id_number(number)
    assert message in error.value.messages[0]


def test_id_number_with_a_future_birth_date_is_refused():
    body = "11010520991231002"
    assert "出生日期不正确" in id_number_problem(body + id_number_check_char(body), today=dt.date(2026, 11, 25))


birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31))


@st.composite
def id_numbers(draw):
    area = draw(st.integers(110000, 829999))
    sequence = draw(st.integers(0, 999))
    body = f"{area}{draw(birth_dates):%Y%m%d}{sequence:03d}"
    return body + id_number_check_char(body)


@given(number=id_numbers())
def test_every_generated_id_number_is_valid(number):
    assert is_valid_id_number(number)


@given(number=id_numbers(), position=st.integers(0, 17), data=st.data())
def test_changing_any_one_digit_of_a_valid_id_number_is_detected(number, position, data):
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in alphabet if c != number[position]]))
    assert not is_valid_id_number(number[:position] + replacement + number[position + 1 :])
