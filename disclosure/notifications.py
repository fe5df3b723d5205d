"""Telling the applicant that their request changed: 补正 asked, the time limit extended, a consultation pausing the
clock, the answer given. Email and SMS go through the hall's channel (services_hall.notifications) after the step
commits; the same words head the request's row in 我的办件."""

from dataclasses import dataclass

from services_hall.notifications import person_notify

from .rules import Action, Outcome

NOTIFIED = frozenset({Action.REQUEST_CORRECTION, Action.EXTEND, Action.CONSULT, Action.ANSWER})


@dataclass(frozen=True)
class Notice:
    subject: str
    body: str
    summary: str  # one line for 我的办件


def request_event_notice(
    *, action: str, tracking_number: str, query_code: str, has_account: bool, correction_items: str = "",
    extension_days: int = 0, extension_reason: str = "", third_party: bool = True, outcome: str = "",
) -> Notice | None:
    """What the applicant is told after one step of their request, or None for steps they are not told of."""
    if action not in NOTIFIED:
        return None
    where = ("请登录金财门户“我的办件”查看" if has_account
             else f"可凭申请编号 {tracking_number} 和查询码 {query_code} 在“办件查询”中查看")
    head = f"您的政府信息公开申请（编号 {tracking_number}）"
    if action == Action.REQUEST_CORRECTION:
        summary = f"需要补正：{correction_items}"
        lines = [f"{head}内容不够明确，请补正以下事项：{correction_items}",
                 "答复期限自收到补正之日起重新计算；无正当理由逾期不补正的，视为放弃申请（条例第三十条）。",
                 ("请登录金财门户“我的办件”提交补正。" if has_account else "请按原提交方式补正或与我们联系。")]
        subject = f"【金财门户】政府信息公开申请 {tracking_number} 需要补正"
    elif action == Action.EXTEND:
        summary = f"答复期限已延长{extension_days}个工作日"
        lines = [f"{head}经政府信息公开工作机构负责人同意，答复期限延长{extension_days}个工作日（条例第三十三条）。",
                 f"延长理由：{extension_reason}", f"{where}。"]
        subject = f"【金财门户】政府信息公开申请 {tracking_number} 答复期限延长"
    elif action == Action.CONSULT:
        party = "第三方" if third_party else "其他机关"
        summary = f"正在征求{party}意见，期间不计入答复期限"
        lines = [f"{head}涉及{party}，我们已书面征求其意见；征求意见所需时间不计算在答复期限内（条例第三十三条）。",
                 f"{where}。"]
        subject = f"【金财门户】政府信息公开申请 {tracking_number} 正在征求意见"
    else:
        label = Outcome(outcome).label if outcome in Outcome.values else "已答复"
        summary = f"已答复（{label}），可下载告知书" if has_account else f"已答复（{label}）"
        lines = [f"{head}已作出答复：{label}。",
                 ("告知书及公开的信息可登录金财门户“我的办件”下载。" if has_account
                  else "告知书将按您选择的获取方式送达。"),
                 "对答复不服的，可依法申请行政复议或提起行政诉讼，具体见告知书。"]
        subject = f"【金财门户】政府信息公开申请 {tracking_number} 已答复"
    return Notice(subject=subject, body="\n".join(lines), summary=summary)


def event_notice(event) -> Notice | None:
    """The notice for a recorded DisclosureEvent (its request and consultations loaded or read here)."""
    request = event.request
    consultation = request.consultations.all()
    return request_event_notice(
        action=event.action, tracking_number=request.tracking_number, query_code=request.query_code,
        has_account=request.account_id is not None, correction_items=request.correction_items,
        extension_days=request.extension_days, extension_reason=request.extension_reason,
        third_party=consultation[len(consultation) - 1].third_party if consultation else True,
        outcome=request.outcome,
    )


def request_event_notify(*, event_id: int) -> None:
    """Send the notice of one step to the applicant's email and phone (run after the step commits)."""
    from .models import DisclosureEvent

    event = DisclosureEvent.objects.select_related("request").get(pk=event_id)
    notice = event_notice(event)
    if notice is not None:
        person_notify(email=event.request.email, phone=event.request.phone, subject=notice.subject, body=notice.body)
