"""Open-data rules as data and pure functions: catalog vocabularies, who may see what, field slots, cell values.

Nothing here touches the database; models, views and the ingestion pipeline call these functions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import models

# --- catalog vocabularies ----------------------------------------------------------------------------------


class ShareType(models.TextChoices):
    UNCONDITIONAL = "unconditional", "无条件共享"
    CONDITIONAL = "conditional", "有条件共享"
    NONE = "none", "不予共享"


class ShareMethod(models.TextChoices):
    PLATFORM_API = "platform_api", "共享平台·接口"
    PLATFORM_FILE = "platform_file", "共享平台·文件下载"
    PLATFORM_DB = "platform_db", "共享平台·数据库交换"
    OTHER = "other", "其他方式"


class OpenType(models.TextChoices):
    OPEN = "open", "无条件开放"
    CONDITIONAL = "conditional", "有条件开放"
    CLOSED = "closed", "不予开放"


class Classification(models.TextChoices):
    NON_SECRET = "non_secret", "非涉密"
    SECRET = "secret", "涉密·秘密"
    CONFIDENTIAL = "confidential", "涉密·机密"
    TOP_SECRET = "top_secret", "涉密·绝密"


class UpdateFrequency(models.TextChoices):
    REALTIME = "realtime", "实时"
    DAILY = "daily", "每日"
    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    HALF_YEARLY = "half_yearly", "每半年"
    YEARLY = "yearly", "每年"
    IRREGULAR = "irregular", "不定期"
    NEVER = "never", "不更新"


class License(models.TextChoices):
    CC_BY_4 = "cc-by-4.0", "知识共享署名 4.0（CC BY 4.0）"
    CC0 = "cc0-1.0", "知识共享零（CC0 1.0）"
    OPEN_GOV = "gov-open", "政府数据开放使用协议（署名）"


LICENSE_URLS: dict[str, str] = {
    License.CC_BY_4: "https://creativecommons.org/licenses/by/4.0/",
    License.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    License.OPEN_GOV: "https://data.gov.cn/terms/",
}

# The frequency IRIs of the EU vocabulary DCAT uses for dct:accrualPeriodicity.
FREQUENCY_IRIS: dict[str, str] = {
    UpdateFrequency.REALTIME: "http://publications.europa.eu/resource/authority/frequency/CONT",
    UpdateFrequency.DAILY: "http://publications.europa.eu/resource/authority/frequency/DAILY",
    UpdateFrequency.WEEKLY: "http://publications.europa.eu/resource/authority/frequency/WEEKLY",
    UpdateFrequency.MONTHLY: "http://publications.europa.eu/resource/authority/frequency/MONTHLY",
    UpdateFrequency.QUARTERLY: "http://publications.europa.eu/resource/authority/frequency/QUARTERLY",
    UpdateFrequency.HALF_YEARLY: "http://publications.europa.eu/resource/authority/frequency/ANNUAL_2",
    UpdateFrequency.YEARLY: "http://publications.europa.eu/resource/authority/frequency/ANNUAL",
    UpdateFrequency.IRREGULAR: "http://publications.europa.eu/resource/authority/frequency/IRREG",
    UpdateFrequency.NEVER: "http://publications.europa.eu/resource/authority/frequency/NEVER",
}


class FieldType(models.TextChoices):
    STRING = "string", "字符串"
    INTEGER = "integer", "整数"
    DECIMAL = "decimal", "小数"
    DATE = "date", "日期"
    BOOLEAN = "boolean", "布尔"


class ResourceFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    JSON = "json", "JSON"


FORMAT_MEDIA_TYPES: dict[str, str] = {
    ResourceFormat.CSV: "text/csv",
    ResourceFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ResourceFormat.JSON: "application/json",
}


class ResourceStatus(models.TextChoices):
    PENDING = "pending", "待导入"
    READY = "ready", "已导入"
    FAILED = "failed", "导入失败"


# --- publication and visibility ----------------------------------------------------------------------------


def can_publish(*, classification: str) -> bool:
    """Only 非涉密 resources may ever be published on the portal."""
    return classification == Classification.NON_SECRET


PUBLISH_REFUSED = "涉密数据资源不得在门户发布：只有资源密级为“非涉密”的数据资源可以发布。"


def dataset_errors(
    *, live: bool, classification: str, share_type: str, share_condition: str, open_type: str,
    open_condition: str, temporal_start: dt.date | None, temporal_end: dt.date | None,
) -> dict[str, str]:
    """Field errors of a dataset's catalog metadata (empty when it is consistent)."""
    errors: dict[str, str] = {}
    if live and not can_publish(classification=classification):
        errors["classification"] = PUBLISH_REFUSED
    if share_type == ShareType.CONDITIONAL and not share_condition.strip():
        errors["share_condition"] = "有条件共享的数据资源须填写共享条件。"
    if open_type == OpenType.CONDITIONAL and not open_condition.strip():
        errors["open_condition"] = "有条件开放的数据资源须填写开放条件。"
    if temporal_start and temporal_end and temporal_end < temporal_start:
        errors["temporal_end"] = "时间范围的截止日期不能早于起始日期。"
    return errors


def publicly_listed(*, open_type: str, classification: str) -> bool:
    """Whether the public may see a (live) dataset at all: 不予开放 and 涉密 never."""
    return open_type in PUBLIC_OPEN_TYPES and can_publish(classification=classification)


PUBLIC_OPEN_TYPES = (OpenType.OPEN, OpenType.CONDITIONAL)


def data_is_public(*, open_type: str) -> bool:
    """Whether anyone may read the rows without a key: only 无条件开放."""
    return open_type == OpenType.OPEN


def access_rights(*, open_type: str) -> str:
    """A sentence for dct:accessRights and the page: what a reader must do to get the data."""
    return {
        OpenType.OPEN: "无条件开放：任何人可直接下载和调用。",
        OpenType.CONDITIONAL: "有条件开放：元数据公开，数据须申请并获批接口密钥后使用。",
        OpenType.CLOSED: "不予开放。",
    }[OpenType(open_type)]


# --- the data dictionary (信息项) --------------------------------------------------------------------------

MAX_FIELD_NAME_LENGTH = 63
# A Unicode word that starts with a letter (汉字 included) and has no "__": field names become query
# parameters of the data API, where a leading "_" and "__" are reserved for its own syntax.
FIELD_NAME_RE = re.compile(r"^[^\W\d_]\w*$")

TEXT_SLOTS = ("k1", "k2", "k3", "k4")
NUMBER_SLOTS = ("n1", "n2", "n3", "n4")
NUMERIC_TYPES = frozenset({FieldType.INTEGER, FieldType.DECIMAL})


def field_name_error(name: str) -> str:
    """Why `name` cannot be a field name ("" when it can)."""
    if not name:
        return "字段名不能为空。"
    if len(name) > MAX_FIELD_NAME_LENGTH:
        return f"字段名不能超过 {MAX_FIELD_NAME_LENGTH} 个字符。"
    if not FIELD_NAME_RE.match(name) or "__" in name:
        return "字段名须以字母或汉字开头，只含字母、数字、汉字和单个下划线。"
    return ""


def header_to_name(header: str) -> str:
    """A field name made from a column header: 金额（万元） → 金额万元, "Budget Year" → budget_year."""
    name = re.sub(r"\s+", "_", header.strip())
    name = re.sub(r"[^\w]", "", name)
    name = re.sub(r"_+", "_", name).strip("_")
    name = re.sub(r"^[\d_]+", "", name)
    return name[:MAX_FIELD_NAME_LENGTH].lower() if name.isascii() else name[:MAX_FIELD_NAME_LENGTH]


@dataclass(frozen=True)
class FieldSpec:
    """One 信息项 as the store sees it."""

    name: str
    label: str = ""
    type: str = FieldType.STRING
    unit: str = ""
    description: str = ""
    filterable: bool = False
    indexed: bool = False


def slot_kind(field_type: str) -> str:
    return "n" if field_type in NUMERIC_TYPES else "k"


def data_field_errors(fields: Iterable[FieldSpec]) -> list[str]:
    """Problems with a whole data dictionary: bad or repeated names, too many indexed fields of one kind."""
    errors: list[str] = []
    seen: set[str] = set()
    indexed = {"k": 0, "n": 0}
    for spec in fields:
        if message := field_name_error(spec.name):
            errors.append(f"字段“{spec.name}”：{message}")
        if spec.name in seen:
            errors.append(f"字段名“{spec.name}”重复。")
        seen.add(spec.name)
        if spec.indexed:
            indexed[slot_kind(spec.type)] += 1
    if indexed["k"] > len(TEXT_SLOTS):
        errors.append(f"建立索引的文本、日期和布尔字段最多 {len(TEXT_SLOTS)} 个。")
    if indexed["n"] > len(NUMBER_SLOTS):
        errors.append(f"建立索引的数值字段最多 {len(NUMBER_SLOTS)} 个。")
    return errors


def assign_slots(fields: Iterable[FieldSpec]) -> dict[str, str]:
    """Field name → the typed index column (k1…k4 for text, dates and booleans; n1…n4 for numbers) of each
    indexed field, in declaration order; fields beyond the four of a kind stay unindexed."""
    free = {"k": list(TEXT_SLOTS), "n": list(NUMBER_SLOTS)}
    slots: dict[str, str] = {}
    for spec in fields:
        if spec.indexed and free[slot_kind(spec.type)]:
            slots[spec.name] = free[slot_kind(spec.type)].pop(0)
    return slots


# --- cell values -------------------------------------------------------------------------------------------

MAX_TEXT_INDEX_LENGTH = 255
# numeric(32, 8): the typed number columns hold what a finance table needs, 24 digits before the point.
NUMBER_MAX_DIGITS, NUMBER_DECIMAL_PLACES = 32, 8
NUMBER_LIMIT = Decimal(10) ** (NUMBER_MAX_DIGITS - NUMBER_DECIMAL_PLACES)

_INTEGER_RE = re.compile(r"^[+-]?(0|[1-9]\d{0,17})$")
_DECIMAL_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DATE_RES = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
TRUE_WORDS = frozenset({"true", "是", "y", "yes"})
FALSE_WORDS = frozenset({"false", "否", "n", "no"})


def parse_decimal(text: str) -> Decimal:
    cleaned = text.strip()
    if _GROUPED_RE.match(cleaned):
        cleaned = cleaned.replace(",", "")
    if not _DECIMAL_RE.match(cleaned):
        raise ValueError("不是有效的数值")
    value = Decimal(cleaned)
    if abs(value) >= NUMBER_LIMIT:
        raise ValueError("数值超出范围")
    return value


def parse_date(text: str) -> dt.date:
    for pattern in _DATE_RES:
        if match := pattern.match(text.strip()):
            year, month, day = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                break
    raise ValueError("不是有效的日期（应为 YYYY-MM-DD）")


def convert(value, field_type: str):
    """A cell value (text from CSV, or what XLSX/JSON hold) as the JSON value the store keeps for its type:
    integers as numbers, decimals as canonical strings, dates as YYYY-MM-DD; None for an empty cell.
    ValueError with a Chinese reason when the value does not fit the type."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if field_type == FieldType.STRING:
        if isinstance(value, (dt.datetime, dt.date)):
            return value.isoformat()
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    if field_type == FieldType.INTEGER:
        if isinstance(value, bool):
            raise ValueError("不是有效的整数")
        if isinstance(value, int):
            return value
        if isinstance(value, (float, Decimal)):
            if not Decimal(value).is_finite() or value != int(value) or abs(value) >= NUMBER_LIMIT:
                raise ValueError("不是有效的整数")
            return int(value)
        text = str(value).strip()
        if _GROUPED_RE.match(text) and "." not in text:
            text = text.replace(",", "")
        if not _INTEGER_RE.match(text) and not re.match(r"^[+-]?\d{1,18}$", text):
            raise ValueError("不是有效的整数")
        return int(text)
    if field_type == FieldType.DECIMAL:
        if isinstance(value, bool):
            raise ValueError("不是有效的数值")
        if isinstance(value, float):
            number = Decimal(repr(value))
        elif isinstance(value, (int, Decimal)):
            number = Decimal(value)
        else:
            number = parse_decimal(str(value))
        if not number.is_finite() or abs(number) >= NUMBER_LIMIT:
            raise ValueError("数值超出范围")
        return _canonical(number)
    if field_type == FieldType.DATE:
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return parse_date(str(value)).isoformat()
    if field_type == FieldType.BOOLEAN:
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE_WORDS or word == "1":
            return True
        if word in FALSE_WORDS or word == "0":
            return False
        raise ValueError("不是有效的布尔值（应为 是/否 或 true/false）")
    raise ValueError(f"未知的字段类型 {field_type}")


def _canonical(number: Decimal) -> str:
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def index_value(value, field_type: str):
    """What the typed index column holds for a stored JSON value."""
    if value is None:
        return None
    if field_type in NUMERIC_TYPES:
        return Decimal(value).quantize(Decimal(1).scaleb(-NUMBER_DECIMAL_PLACES))
    if field_type == FieldType.BOOLEAN:
        return "true" if value else "false"
    return str(value)[:MAX_TEXT_INDEX_LENGTH]


class TypeGuess:
    """The narrowest type that fits every non-empty value seen so far in one column."""

    ORDER = (FieldType.BOOLEAN, FieldType.INTEGER, FieldType.DECIMAL, FieldType.DATE, FieldType.STRING)

    def __init__(self) -> None:
        self.candidates = set(self.ORDER)
        self.seen = False

    def observe(self, value) -> None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return
        self.seen = True
        if isinstance(value, str) and self.candidates & {FieldType.INTEGER, FieldType.DECIMAL}:
            # Codes with leading zeros (部门代码 000014349) are text, not numbers.
            stripped = value.strip().lstrip("+-")
            if len(stripped) > 1 and stripped[0] == "0" and stripped[1] != ".":
                self.candidates -= {FieldType.INTEGER, FieldType.DECIMAL}
        for candidate in list(self.candidates):
            if candidate == FieldType.STRING:
                continue
            if candidate == FieldType.BOOLEAN and not (isinstance(value, bool) or (
                    isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS)):
                self.candidates.discard(candidate)
                continue
            try:
                convert(value, candidate)
            except ValueError:
                self.candidates.discard(candidate)

    @property
    def type(self) -> str:
        if not self.seen:
            return FieldType.STRING
        return next(kind for kind in self.ORDER if kind in self.candidates)


# --- formula injection -------------------------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell a spreadsheet would run as a formula (= + - @, or a tab/CR before one) gets a leading quote.

    Numbers stay numbers: only text can carry a formula, and "-12.5" written as text by us is a number
    column's value, which the caller passes as a number."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_row(values: Iterable, types: Iterable[str]) -> list:
    """Neutralise the text cells of one row; numeric, date and boolean cells pass through."""
    return [value if kind != FieldType.STRING else neutralise(value) for value, kind in zip(values, types)]


def fields_from_schema(schema: Iterable[Mapping]) -> list[FieldSpec]:
    return [
        FieldSpec(name=item["name"], label=item.get("label", ""), type=item.get("type", FieldType.STRING),
                  unit=item.get("unit", ""), description=item.get("description", ""),
                  filterable=bool(item.get("filterable")), indexed=bool(item.get("indexed")))
        for item in schema
    ]


# --- access to 有条件开放 data ---------------------------------------------------------------------------------


class AccessStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "未批准"


class AccessAction(models.TextChoices):
    APPROVE = "approve", "批准"
    REFUSE = "refuse", "不予批准"


ACCESS_TRANSITIONS: dict[tuple[str, str], str] = {
    (AccessStatus.PENDING, AccessAction.APPROVE): AccessStatus.APPROVED,
    (AccessStatus.PENDING, AccessAction.REFUSE): AccessStatus.REFUSED,
}


class AccessTransitionNotAllowed(ValueError):
    pass


def next_access_status(current: str, action: str) -> str:
    """The status of an access application after `action`; AccessTransitionNotAllowed once it is decided."""
    target = ACCESS_TRANSITIONS.get((current, action))
    if target is None:
        status = dict(AccessStatus.choices).get(current, current)
        raise AccessTransitionNotAllowed(f"该申请已是“{status}”状态，不能再次审批。")
    return target


def may_apply_for_access(*, open_type: str) -> bool:
    """Only 有条件开放 data needs (and accepts) an application: 无条件开放 data is open to all."""
    return open_type == OpenType.CONDITIONAL
