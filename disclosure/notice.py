"""The answer letter (政府信息公开申请答复告知书): its text composed from the decision, and its PDF.

The text is a pure function of the request and the decision, so tests read it without a PDF; the PDF goes through
portal/pdf.py, which embeds the CJK font so the text can be extracted again.
"""

import datetime as dt
from dataclasses import dataclass

from portal.pdf import cjk_document, heading, paragraph, to_bytes

from .rules import OUTCOMES, ApplicantKind, Outcome, OutcomeGroup

NOTICE_TITLE = "政府信息公开申请答复告知书"

GROUP_SENTENCES: dict[OutcomeGroup, str] = {
    OutcomeGroup.DISCLOSED: "您申请获取的政府信息属于公开范围，本机关予以公开。",
    OutcomeGroup.PARTLY_DISCLOSED: (
        "您申请获取的政府信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处理，"
        "本机关向您提供可以公开的部分，并对不予公开的部分说明理由。"
    ),
    OutcomeGroup.WITHHELD: "您申请获取的政府信息{reason}，本机关不予公开。",
    OutcomeGroup.UNAVAILABLE: "经检索查找，{reason}，本机关无法提供。",
    OutcomeGroup.NOT_PROCESSED: "您的申请属于{reason}的情形，本机关不予处理。",
    OutcomeGroup.OTHER: "{reason}。",
}


def remedy_text(*, review_body: str) -> str:
    """行政复议法第二十条 (60 days) and 行政诉讼法第四十六条 (6 months)."""
    return (
        f"如对本答复不服，可以自收到本告知书之日起六十日内向{review_body}申请行政复议，"
        "或者自收到本告知书之日起六个月内依法向人民法院提起行政诉讼。"
    )


@dataclass(frozen=True)
class NoticeText:
    title: str
    number: str
    salutation: str
    paragraphs: list[str]
    signature: str
    date: str


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def notice_text(
    *, tracking_number: str, applicant_name: str, applicant_kind: str, received_on: dt.date, description: str,
    outcome: Outcome | str, answer_text: str, answered_on: dt.date, office: str, review_body: str,
    extension_days: int = 0, corrected_on: dt.date | None = None, attachments: list[str] | None = None,
) -> NoticeText:
    outcome = Outcome(outcome)
    rule = OUTCOMES[outcome]
    you = "您" if applicant_kind == ApplicantKind.NATURAL_PERSON else "贵单位"
    opening = f"本机关于{_cn_date(received_on)}收到{you}提出的政府信息公开申请，申请获取“{description}”。"
    if corrected_on:
        opening += f"{you}于{_cn_date(corrected_on)}提交了补正后的申请。"
    if extension_days:
        opening += f"经本机关政府信息公开工作机构负责人同意，答复期限延长{extension_days}个工作日，已告知{you}。"
    opening += "经审查，现答复如下："
    decision = GROUP_SENTENCES[rule.group].format(reason=outcome.label).replace("您", you)
    body = [opening, decision]
    if answer_text.strip():
        body.append(answer_text.strip())
    if attachments:
        body.append(f"{'、'.join(attachments)}，见附件。")
    body += [f"依据：{rule.basis}。", remedy_text(review_body=review_body).replace("您", you), "特此告知。"]
    return NoticeText(
        title=NOTICE_TITLE, number=f"申请编号：{tracking_number}", salutation=f"{applicant_name}：",
        paragraphs=body, signature=office, date=_cn_date(answered_on),
    )


def notice_pdf(text: NoticeText) -> bytes:
    pdf = cjk_document(title=text.title, author=text.signature, subject=text.number)
    pdf.add_page()
    heading(pdf, text.title)
    paragraph(pdf, text.number, indent=False, align="C")
    paragraph(pdf, text.salutation, indent=False)
    for body in text.paragraphs:
        paragraph(pdf, body)
    pdf.ln(8)
    paragraph(pdf, text.signature, indent=False, align="R")
    paragraph(pdf, text.date, indent=False, align="R")
    return to_bytes(pdf)
