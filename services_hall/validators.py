"""Identity numbers of applicants: 统一社会信用代码 (GB 32100-2015) and 居民身份证号 (GB 11643-1999).

The pure functions return the problem as a Chinese sentence (or None when the value is valid), so forms,
services and tests share one wording; the Django validators raise it as a ValidationError.
"""

import datetime as dt

from django.core.exceptions import ValidationError

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
USCC_LENGTH = 18
# GB 32100-2015: the weight of position i (0-based) is 3^i mod 31.
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(USCC_LENGTH - 1))

ID_NUMBER_LENGTH = 18
# GB 11643-1999 / ISO 7064 MOD 11-2: the weight of position i (0-based, left to right) is 2^(17-i) mod 11.
ID_NUMBER_WEIGHTS = tuple(pow(2, ID_NUMBER_LENGTH - 1 - i, 11) for i in range(ID_NUMBER_LENGTH - 1))
ID_NUMBER_CHECK_CHARS = "0123456789X"
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)


def normalize_code(value: str) -> str:
    """The code as people mean it: surrounding and inner blanks removed, letters in upper case."""
    return "".join(str(value).split()).upper()


def uscc_check_char(body: str) -> str:
    """The check character for the first 17 characters of a credit code (all from USCC_CHARSET)."""
    total = sum(USCC_CHARSET.index(char) * weight for char, weight in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_problem(value: str) -> str | None:
    """Why `value` is not a valid 统一社会信用代码, or None when it is."""
    code = normalize_code(value)
    if len(code) != USCC_LENGTH:
        return f"统一社会信用代码应为18位，当前为{len(code)}位。"
    wrong = sorted({char for char in code if char not in USCC_CHARSET})
    if wrong:
        return f"统一社会信用代码含有不允许的字符：{'、'.join(wrong)}（不使用 I、O、S、V、Z）。"
    if uscc_check_char(code[:-1]) != code[-1]:
        return "统一社会信用代码校验位不正确，请核对后重新输入。"
    return None


def is_valid_uscc(value: str) -> bool:
    return uscc_problem(value) is None


def id_number_check_char(body: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits of an ID number."""
    total = sum(int(digit) * weight for digit, weight in zip(body, ID_NUMBER_WEIGHTS, strict=True))
    return ID_NUMBER_CHECK_CHARS[(12 - total % 11) % 11]


def id_number_birth_date(value: str) -> dt.date | None:
    """The birth date written in an 18-digit ID number, or None when those digits are not a date."""
    code = normalize_code(value)
    try:
        return dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return None


def id_number_problem(value: str, *, today: dt.date | None = None) -> str | None:
    """Why `value` is not a valid 居民身份证号, or None when it is."""
    code = normalize_code(value)
    if len(code) != ID_NUMBER_LENGTH:
        return f"居民身份证号应为18位，当前为{len(code)}位。"
    if not code[:-1].isdigit() or not code[:-1].isascii() or code[-1] not in ID_NUMBER_CHECK_CHARS:
        return "居民身份证号前17位应为数字，最后一位为数字或 X。"
    if code[0] == "0":
        return "居民身份证号的地址码不正确。"
    birth = id_number_birth_date(code)
    if birth is None or not EARLIEST_BIRTH_DATE <= birth <= (today or dt.date.today()):
        return "居民身份证号中的出生日期不正确。"
    if id_number_check_char(code[:-1]) != code[-1]:
        return "居民身份证号校验位不正确，请核对后重新输入。"
    return None


def is_valid_id_number(value: str) -> bool:
    return id_number_problem(value) is None


def validate_uscc(value: str) -> None:
    """Django validator for 统一社会信用代码."""
    problem = uscc_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_uscc")


def validate_id_number(value: str) -> None:
    """Django validator for 居民身份证号."""
    problem = id_number_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_id_number")
