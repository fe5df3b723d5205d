"""The statute's closed lists, as tables: who applies, through which channel, and how a request can end.

Wording of the applicant columns and of the outcomes is that of the State Council office's format of the
政府信息公开工作年度报告 (国办公开办函〔2021〕30号), so the annual report counts every case under exactly one row.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import models


class ApplicantKind(models.TextChoices):
    """The columns of the table 收到和处理政府信息公开申请情况."""

    NATURAL_PERSON = "natural_person", "自然人"
    COMMERCIAL = "commercial", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_INTEREST = "public_interest", "社会公益组织"
    LEGAL_SERVICE = "legal_service", "法律服务机构"
    OTHER_ORGANISATION = "other_organisation", "其他"


ORGANISATION_KINDS = tuple(kind for kind in ApplicantKind if kind != ApplicantKind.NATURAL_PERSON)


class Channel(models.TextChoices):
    IN_PERSON = "in_person", "当面提交"
    POST_SIGNED = "post_signed", "邮寄（须签收）"
    POST_UNSIGNED = "post_unsigned", "平常信函"
    ONLINE = "online", "互联网"
    FAX = "fax", "传真"


class InformationForm(models.TextChoices):
    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子"


class Delivery(models.TextChoices):
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    ONLINE = "online", "网上获取"
    IN_PERSON = "in_person", "当面领取"
    FAX = "fax", "传真"


@dataclass(frozen=True)
class ReceiptRule:
    """条例第三十一条: which event of a channel fixes the date the office received the application."""

    event_label: str  # what staff enter, e.g. 签收日期
    basis: str


RECEIPT_RULES: dict[Channel, ReceiptRule] = {
    Channel.IN_PERSON: ReceiptRule("提交日期", "当面提交的，以提交之日为收到申请之日。"),
    Channel.POST_SIGNED: ReceiptRule("签收日期", "以邮寄方式提交的，以行政机关签收之日为收到申请之日。"),
    Channel.POST_UNSIGNED: ReceiptRule(
        "与申请人确认日期", "以平常信函等无需签收的邮寄方式提交的，收到当日与申请人确认，确认之日为收到申请之日。"
    ),
    Channel.ONLINE: ReceiptRule("双方确认日期", "通过互联网渠道提交的，以双方确认之日为收到申请之日。"),
    Channel.FAX: ReceiptRule("双方确认日期", "通过传真提交的，以双方确认之日为收到申请之日。"),
}


def receipt_date(*, channel: Channel | str, arrived_on: dt.date, fixed_on: dt.date | None = None) -> dt.date:
    """The statutory date of receipt (条例第三十一条).

    `arrived_on` is the day the application reached the office; `fixed_on` the day of the channel's fixing event
    (signature, confirmation with the applicant), which cannot come before it. Handed in: the day it is handed in.
    """
    channel = Channel(channel)
    if channel == Channel.IN_PERSON:
        return arrived_on
    rule = RECEIPT_RULES[channel]
    if fixed_on is None:
        raise ValueError(f"请填写{rule.event_label}。")
    if fixed_on < arrived_on:
        raise ValueError(f"{rule.event_label}不能早于申请到达日期。")
    return fixed_on


# ---------------------------------------------------------------------------------------------------------------
# Outcomes: every row of 本年度办理结果, each case counted under exactly one.


class OutcomeGroup(models.TextChoices):
    DISCLOSED = "disclosed", "予以公开"
    PARTLY_DISCLOSED = "partly_disclosed", "部分公开"
    WITHHELD = "withheld", "不予公开"
    UNAVAILABLE = "unavailable", "无法提供"
    NOT_PROCESSED = "not_processed", "不予处理"
    OTHER = "other", "其他处理"


class Outcome(models.TextChoices):
    DISCLOSED = "disclosed", "予以公开"
    PARTLY_DISCLOSED = "partly_disclosed", "部分公开"
    WITHHELD_STATE_SECRET = "withheld_state_secret", "属于国家秘密"
    WITHHELD_PROHIBITED_BY_LAW = "withheld_prohibited_by_law", "其他法律行政法规禁止公开"
    WITHHELD_SECURITY_STABILITY = "withheld_security_stability", "危及“三安全一稳定”"
    WITHHELD_THIRD_PARTY = "withheld_third_party", "保护第三方合法权益"
    WITHHELD_INTERNAL_AFFAIRS = "withheld_internal_affairs", "属于三类内部事务信息"
    WITHHELD_PROCESS = "withheld_process", "属于四类过程性信息"
    WITHHELD_ENFORCEMENT_FILE = "withheld_enforcement_file", "属于行政执法案卷"
    WITHHELD_QUERY_MATTER = "withheld_query_matter", "属于行政查询事项"
    UNAVAILABLE_NOT_HELD = "unavailable_not_held", "本机关不掌握相关政府信息"
    UNAVAILABLE_NEEDS_MAKING = "unavailable_needs_making", "没有现成信息需要另行制作"
    UNAVAILABLE_STILL_UNCLEAR = "unavailable_still_unclear", "补正后申请内容仍不明确"
    NOT_PROCESSED_PETITION = "not_processed_petition", "信访举报投诉类申请"
    NOT_PROCESSED_REPEATED = "not_processed_repeated", "重复申请"
    NOT_PROCESSED_PUBLICATION = "not_processed_publication", "要求提供公开出版物"
    NOT_PROCESSED_MASS_REPEATED = "not_processed_mass_repeated", "无正当理由大量反复申请"
    NOT_PROCESSED_CONFIRMATION = "not_processed_confirmation", "要求行政机关确认或重新出具已获取信息"
    OTHER_NO_CORRECTION = (
        "other_no_correction", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    )
    OTHER_FEE_UNPAID = (
        "other_fee_unpaid", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    )
    OTHER = "other", "其他"


@dataclass(frozen=True)
class OutcomeRule:
    group: OutcomeGroup
    basis: str  # the article of the 条例 the 告知书 cites


O, G = Outcome, OutcomeGroup
OUTCOMES: dict[Outcome, OutcomeRule] = {
    O.DISCLOSED: OutcomeRule(G.DISCLOSED, "《中华人民共和国政府信息公开条例》第三十六条第（二）项"),
    O.PARTLY_DISCLOSED: OutcomeRule(G.PARTLY_DISCLOSED, "《中华人民共和国政府信息公开条例》第三十七条"),
    O.WITHHELD_STATE_SECRET: OutcomeRule(G.WITHHELD, "《中华人民共和国政府信息公开条例》第十四条"),
    O.WITHHELD_PROHIBITED_BY_LAW: OutcomeRule(G.WITHHELD, "《中华人民共和国政府信息公开条例》第十四条"),
    O.WITHHELD_SECURITY_STABILITY: OutcomeRule(G.WITHHELD, "《中华人民共和国政府信息公开条例》第十四条"),
    O.WITHHELD_THIRD_PARTY: OutcomeRule(G.WITHHELD, "《中华人民共和国政府信息公开条例》第十五条、第三十二条"),
    O.WITHHELD_INTERNAL_AFFAIRS: OutcomeRule(G.WITHHELD, "《中华人民共和国政府信息公开条例》第十六条第一款"),
    O.WITHHELD_PROCESS: OutcomeRule(G.WITHHELD, "《中华人民共和国政府信息公开条例》第十六条第二款"),
    O.WITHHELD_ENFORCEMENT_FILE: OutcomeRule(G.WITHHELD, "《中华人民共和国政府信息公开条例》第十六条第二款"),
    O.WITHHELD_QUERY_MATTER: OutcomeRule(G.WITHHELD, "《中华人民共和国政府信息公开条例》第三十六条第（七）项"),
    O.UNAVAILABLE_NOT_HELD: OutcomeRule(G.UNAVAILABLE, "《中华人民共和国政府信息公开条例》第三十六条第（四）项"),
    O.UNAVAILABLE_NEEDS_MAKING: OutcomeRule(G.UNAVAILABLE, "《中华人民共和国政府信息公开条例》第三十八条"),
    O.UNAVAILABLE_STILL_UNCLEAR: OutcomeRule(G.UNAVAILABLE, "《中华人民共和国政府信息公开条例》第三十条"),
    O.NOT_PROCESSED_PETITION: OutcomeRule(G.NOT_PROCESSED, "《中华人民共和国政府信息公开条例》第三十九条第一款"),
    O.NOT_PROCESSED_REPEATED: OutcomeRule(G.NOT_PROCESSED, "《中华人民共和国政府信息公开条例》第三十六条第（六）项"),
    O.NOT_PROCESSED_PUBLICATION: OutcomeRule(G.NOT_PROCESSED, "《中华人民共和国政府信息公开条例》第三十九条第二款"),
    O.NOT_PROCESSED_MASS_REPEATED: OutcomeRule(G.NOT_PROCESSED, "《中华人民共和国政府信息公开条例》第三十五条"),
    O.NOT_PROCESSED_CONFIRMATION: OutcomeRule(G.NOT_PROCESSED, "《中华人民共和国政府信息公开条例》第三十九条第二款"),
    O.OTHER_NO_CORRECTION: OutcomeRule(G.OTHER, "《中华人民共和国政府信息公开条例》第三十条"),
    O.OTHER_FEE_UNPAID: OutcomeRule(G.OTHER, "《中华人民共和国政府信息公开条例》第四十二条"),
    O.OTHER: OutcomeRule(G.OTHER, "《中华人民共和国政府信息公开条例》"),
}
del O, G


def outcome_group(outcome: Outcome | str) -> OutcomeGroup:
    return OUTCOMES[Outcome(outcome)].group


def outcomes_in(group: OutcomeGroup | str) -> list[Outcome]:
    """The outcomes under one group, in the report's order."""
    return [outcome for outcome, rule in OUTCOMES.items() if rule.group == group]


class ReviewKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", "行政复议"
    LITIGATION = "litigation", "行政诉讼"


class ReviewResult(models.TextChoices):
    UPHELD = "upheld", "结果维持"
    CORRECTED = "corrected", "结果纠正"
    OTHER = "other", "其他结果"
    PENDING = "pending", "尚未审结"


# ---------------------------------------------------------------------------------------------------------------
# The life of a request


class Status(models.TextChoices):
    RECEIVED = "received", "已收到"
    CORRECTION = "correction", "补正中"
    CONSULTING = "consulting", "征求意见中"
    ANSWERED = "answered", "已答复"


class Action(models.TextChoices):
    RECEIVE = "receive", "收到申请"
    REQUEST_CORRECTION = "request_correction", "告知补正"
    SUPPLEMENT = "supplement", "提交补正"
    EXTEND = "extend", "延长答复期限"
    CONSULT = "consult", "征求第三方意见"
    CONSULT_END = "consult_end", "收到第三方意见"
    ANSWER = "answer", "作出答复"
    # After the answer: what the applicant brought against it, recorded by staff (the status stays 已答复).
    REVIEW = "review", "登记行政复议或行政诉讼"
    REVIEW_DECIDE = "review_decide", "登记复议或诉讼结果"


# (from, action) -> to. Staff act on everything but SUPPLEMENT, which is the applicant's.
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.RECEIVED, Action.REQUEST_CORRECTION): Status.CORRECTION,
    (Status.CORRECTION, Action.SUPPLEMENT): Status.RECEIVED,
    # 逾期不补正 ends the request as 其他处理 (条例第三十条: 视为放弃申请).
    (Status.CORRECTION, Action.ANSWER): Status.ANSWERED,
    (Status.RECEIVED, Action.EXTEND): Status.RECEIVED,
    (Status.CONSULTING, Action.EXTEND): Status.CONSULTING,
    (Status.RECEIVED, Action.CONSULT): Status.CONSULTING,
    (Status.CONSULTING, Action.CONSULT_END): Status.RECEIVED,
    (Status.RECEIVED, Action.ANSWER): Status.ANSWERED,
    (Status.CONSULTING, Action.ANSWER): Status.ANSWERED,
}
OPEN_STATUSES = frozenset({Status.RECEIVED, Status.CORRECTION, Status.CONSULTING})


class TransitionNotAllowed(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def next_status(current: Status | str, action: Action | str) -> Status:
    """The status after `action`, or TransitionNotAllowed naming what was tried."""
    current, action = Status(current), Action(action)
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise TransitionNotAllowed(f"申请当前状态为“{current.label}”，不能执行“{action.label}”。") from None
