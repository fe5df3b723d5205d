"""Demo 依申请公开: two years and a bit of requests with realistic proportions (mostly 自然人; about a third 予以公开,
a quarter 本机关不掌握), the demo enterprise's own requests in three states, and the annual report of each past year
built from them (the 年度报告 column holds only these generated reports). Dates count back from load_demo's --as-of day; the same day gives the same cases.

Running it again replaces the demo's requests (their submit keys start with "demo-").
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from disclosure.clock import ANSWER_DAYS
from disclosure.models import DisclosureEvent, DisclosureRequest, DisclosureReview
from disclosure.rules import (
    Action,
    ApplicantKind,
    Channel,
    Delivery,
    InformationForm,
    Outcome,
    ReviewKind,
    ReviewResult,
    Status,
)
from disclosure.services import (
    ReportColumnMissing,
    report_build,
    request_answer,
    request_correction_ask,
    request_extend,
    request_submit,
)
from demo.services_hall import DEMO_ENTERPRISE
from services_hall.deadlines import add_working_days
from services_hall.models import Applicant
from services_hall.selectors import work_calendar
from services_hall.validators import id_number_check_char, uscc_check_char

KINDS = [(ApplicantKind.NATURAL_PERSON, 70), (ApplicantKind.COMMERCIAL, 14), (ApplicantKind.RESEARCH, 2),
         (ApplicantKind.PUBLIC_INTEREST, 2), (ApplicantKind.LEGAL_SERVICE, 7), (ApplicantKind.OTHER_ORGANISATION, 5)]
O = Outcome
OUTCOMES = [
    (O.DISCLOSED, 34), (O.PARTLY_DISCLOSED, 6), (O.WITHHELD_STATE_SECRET, 1), (O.WITHHELD_PROHIBITED_BY_LAW, 1),
    (O.WITHHELD_THIRD_PARTY, 2), (O.WITHHELD_INTERNAL_AFFAIRS, 3), (O.WITHHELD_PROCESS, 4),
    (O.WITHHELD_ENFORCEMENT_FILE, 1), (O.WITHHELD_QUERY_MATTER, 1), (O.UNAVAILABLE_NOT_HELD, 24),
    (O.UNAVAILABLE_NEEDS_MAKING, 5), (O.UNAVAILABLE_STILL_UNCLEAR, 2), (O.NOT_PROCESSED_PETITION, 5),
    (O.NOT_PROCESSED_REPEATED, 3), (O.NOT_PROCESSED_PUBLICATION, 1), (O.NOT_PROCESSED_CONFIRMATION, 1),
    (O.OTHER_NO_CORRECTION, 3), (O.OTHER, 2),
]
del O
SUBJECTS = [
    "{y}年度部门预算中“三公”经费的明细", "{y}年政府采购代理机构监督检查结果", "某县{y}年一般公共预算转移支付资金分配表",
    "{y}年会计师事务所执业质量检查的处理决定", "关于{y}年政府债务限额分配的文件", "{y}年彩票公益金使用情况",
    "某国有企业{y}年财务决算报告", "{y}年农业保险保费补贴资金拨付明细", "{y}年代理记账机构备案名单",
    "{y}年行政事业性收费目录清单调整依据", "{y}年政府采购投诉处理决定书", "某工程项目{y}年财政评审报告",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
ORGANISATIONS = {
    ApplicantKind.COMMERCIAL: "北京{n}号商贸有限公司", ApplicantKind.RESEARCH: "{n}号财税研究院",
    ApplicantKind.PUBLIC_INTEREST: "{n}号公益基金会", ApplicantKind.LEGAL_SERVICE: "北京{n}号律师事务所",
    ApplicantKind.OTHER_ORGANISATION: "{n}号行业协会",
}
REASONS = {
    Outcome.PARTLY_DISCLOSED: "所申请信息中涉及第三方商业秘密的报价明细不予公开，其余部分予以公开。",
    Outcome.UNAVAILABLE_NOT_HELD: "经检索，本机关未制作或获取该信息。",
    Outcome.UNAVAILABLE_NEEDS_MAKING: "所申请信息需要对现有信息进行加工、分析，本机关不予提供。",
    Outcome.UNAVAILABLE_STILL_UNCLEAR: "补正后申请内容仍不明确。",
}


def _id_number(rng: random.Random) -> str:
    body = f"11010{rng.randint(1, 9)}{rng.randint(1960, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return body + id_number_check_char(body)


def _uscc(n: int) -> str:
    body = f"91110000MA{n:07d}"
    return body + uscc_check_char(body)


def _pick(rng: random.Random, weighted):
    return rng.choices([item for item, _ in weighted], weights=[weight for _, weight in weighted])[0]


YEARS_OF_REQUESTS = 2  # past years with requests, each with its generated report


def build_disclosure_demo(*, today: dt.date, log=print) -> None:
    """The demo's requests from 1 January two years ago to `today`, and the annual report of each past year."""
    rng = random.Random(f"disclosure-{today.isoformat()}")
    calendar = work_calendar()
    start = dt.date(today.year - YEARS_OF_REQUESTS, 1, 1)
    with transaction.atomic():
        DisclosureRequest.objects.filter(idempotency_key__startswith="demo-").delete()
        day, n = start, 0
        while day <= today:
            if calendar.is_workday(day):
                for _ in range(rng.choices([0, 0, 1, 1, 2], k=1)[0]):
                    n += 1
                    _one_case(rng, n=n, received=day, today=today, calendar=calendar)
            day += dt.timedelta(days=1)
        _demo_enterprise_cases(today=today)
    log(f"  依申请公开：{n + 3} 件申请。")
    for year in range(start.year, today.year):
        try:
            page = report_build(year=year)
        except ReportColumnMissing as missing:
            log(f"  依申请公开：{missing}")
            return
        _report_narrative(page)
        rows = {row["key"]: row["total"] for row in page.tables["applications"]}
        log(f"  {page.title}：新收 {rows['new']} 件，办结 {rows['answered_total']} 件。")
    _remove_prose_reports(page.get_parent())


def _report_narrative(page) -> None:
    """What editors write in a generated report: the parts the system cannot count."""
    if page.proactive_other:
        return
    page.proactive_other = (f"{page.year}年，本机关依法公开行政处罚决定，作出行政处罚决定3件，未作出行政强制决定；"
                            "行政事业性收费按目录清单执行，本机关本年未收取行政事业性收费。")
    page.problems = page.problems or ("依申请公开答复文书的说理仍需加强，部分申请因需调取档案而延期答复。"
                                      "下一步将完善答复模板，加强对承办处室的培训。")
    page.save_revision().publish()


def _remove_prose_reports(column) -> None:
    """Earlier demos filled the 年度报告 column with prose pages beside the generated reports: remove them."""
    from portal.models import InfoPage

    for stale in InfoPage.objects.child_of(column):
        stale.delete()


def _one_case(rng: random.Random, *, n: int, received: dt.date, today: dt.date, calendar) -> None:
    kind = _pick(rng, KINDS)
    person = kind == ApplicantKind.NATURAL_PERSON
    name = rng.choice(SURNAMES) + rng.choice("伟芳娜敏静丽强磊军洋勇艳杰涛明超") if person else ORGANISATIONS[kind].format(n=n)
    channel = rng.choices([Channel.ONLINE, Channel.POST_SIGNED, Channel.IN_PERSON, Channel.POST_UNSIGNED],
                          weights=[55, 30, 10, 5])[0]
    subject = rng.choice(SUBJECTS).format(y=received.year - rng.choice([0, 1, 1, 2]))
    case = DisclosureRequest(
        tracking_number=f"GK{received:%Y%m%d}D{n:07d}", query_code=f"{rng.randint(0, 10**6 - 1):06d}"
        .translate(str.maketrans("01", "AB")), idempotency_key=f"demo-{n}", applicant_kind=kind,
        applicant_name=name, id_document=_id_number(rng) if person else _uscc(n), phone=f"139{rng.randint(0, 10**8 - 1):08d}",
        contact_name="" if person else rng.choice(SURNAMES) + "经办", description=subject,
        information_form=rng.choice([InformationForm.ELECTRONIC, InformationForm.PAPER]),
        delivery=rng.choice([Delivery.EMAIL, Delivery.POST, Delivery.ONLINE]), email=f"applicant{n}@example.cn",
        channel=channel, arrived_on=received, received_on=received, status=Status.RECEIVED,
    )
    events = [(Action.RECEIVE, "", Status.RECEIVED, received, Channel(channel).label)]
    outcome = _pick(rng, OUTCOMES)
    starts = received
    if outcome in (Outcome.OTHER_NO_CORRECTION, Outcome.UNAVAILABLE_STILL_UNCLEAR) or rng.random() < 0.05:
        asked = add_working_days(received, rng.randint(2, 6), calendar=calendar)
        case.correction_requested_on, case.correction_items = asked, "请写明所需信息的文号或形成时间。"
        events.append((Action.REQUEST_CORRECTION, Status.RECEIVED, Status.CORRECTION, asked, case.correction_items))
        if outcome != Outcome.OTHER_NO_CORRECTION:
            case.corrected_on, case.correction_text = asked + dt.timedelta(days=rng.randint(1, 10)), "已补充年度。"
            starts = case.corrected_on
            events.append((Action.SUPPLEMENT, Status.CORRECTION, Status.RECEIVED, starts, case.correction_text))
    took = rng.randint(3, ANSWER_DAYS)
    if rng.random() < 0.08:
        case.extension_days, case.extension_approved_by = 15, "办公厅负责人"
        case.extended_on = add_working_days(starts, ANSWER_DAYS - 2, calendar=calendar)
        case.extension_reason = "所申请信息涉及多个司局，需调取档案核实。"
        events.append((Action.EXTEND, Status.RECEIVED, Status.RECEIVED, case.extended_on,
                       f"延长15个工作日（经{case.extension_approved_by}同意）：{case.extension_reason}"))
        took = ANSWER_DAYS + rng.randint(1, 15)
    answered = add_working_days(starts, took if outcome != Outcome.OTHER_NO_CORRECTION else 25, calendar=calendar)
    if answered < today:
        case.status, case.outcome, case.answered_on = Status.ANSWERED, outcome, answered
        case.answer_text = REASONS.get(outcome, "")
        before = Status.CORRECTION if outcome == Outcome.OTHER_NO_CORRECTION else Status.RECEIVED
        events.append((Action.ANSWER, before, Status.ANSWERED, answered, Outcome(outcome).label))
    elif case.correction_requested_on and not case.corrected_on:
        case.status = Status.CORRECTION
    case.save()
    DisclosureEvent.objects.bulk_create(
        DisclosureEvent(request=case, action=action, from_status=source, to_status=target, actor_name="政务公开办",
                        on_date=on, comment=comment)
        for action, source, target, on, comment in events
    )
    if case.outcome in (Outcome.WITHHELD_THIRD_PARTY, Outcome.UNAVAILABLE_NOT_HELD) and rng.random() < 0.12:
        filed = case.answered_on + dt.timedelta(days=rng.randint(10, 50))
        if filed < today:
            decided = filed + dt.timedelta(days=rng.randint(40, 120))
            done = decided < today
            DisclosureReview.objects.create(
                request=case, kind=rng.choice([ReviewKind.RECONSIDERATION, ReviewKind.RECONSIDERATION,
                                               ReviewKind.LITIGATION]),
                filed_on=filed, decided_on=decided if done else None,
                result=rng.choice([ReviewResult.UPHELD] * 4 + [ReviewResult.CORRECTED]) if done
                else ReviewResult.PENDING,
            )


def _demo_enterprise_cases(*, today: dt.date) -> None:
    """The demo enterprise's own online requests, as its 我的办件 shows them: answered with a 告知书, extended and
    waiting, and asked for 补正."""
    code = DEMO_ENTERPRISE["code"] + uscc_check_char(DEMO_ENTERPRISE["code"])
    account = Applicant.objects.filter(uscc=code).first()
    if account is None:
        return
    calendar = work_calendar()
    base = {"applicant_kind": ApplicantKind.COMMERCIAL, "phone": account.phone or "13900000000",
            "email": account.email, "information_form": InformationForm.ELECTRONIC, "delivery": Delivery.EMAIL}
    def filed(key: str, days_ago: int, description: str) -> DisclosureRequest:
        when = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(10)))
        return request_submit(account=account, data=base | {"description": description}, idempotency_key=key,
                              now=when)

    answered = filed("demo-enterprise-1", 40, f"{today.year - 1}年政府采购代理机构监督检查结果")
    try:
        request_answer(request=answered, outcome=Outcome.PARTLY_DISCLOSED, text=REASONS[Outcome.PARTLY_DISCLOSED],
                       actor=None, today=add_working_days(answered.received_on, 12, calendar=calendar))
    except Exception as problem:  # noqa: BLE001 — without a CJK font the demo keeps the case unanswered
        if type(problem).__name__ != "CJKFontMissing":
            raise
    extended = filed("demo-enterprise-2", 25, "本市代理记账机构年度备案情况汇总")
    request_extend(request=extended, days=20, approved_by="办公厅负责人", reason="所申请信息需多个处室汇总。",
                   actor=None, today=add_working_days(extended.received_on, 15, calendar=calendar))
    unclear = filed("demo-enterprise-3", 3, "关于财政补贴的文件")
    request_correction_ask(request=unclear, items="请写明所需文件的名称、文号或发布时间。", actor=None,
                           today=unclear.received_on)
