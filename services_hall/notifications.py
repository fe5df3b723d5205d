"""Telling applicants and letter writers what happened: email through Django's mail, SMS through a backend.

The SMS backend is a class path in settings.SMS_BACKEND (console by default); a real gateway implements
BaseSmsBackend.send_messages. Notifications run after the transaction commits and never undo it: a failure is logged.
"""

import abc
import logging
import sys
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from .workflow import Action

logger = logging.getLogger(__name__)

DEFAULT_SMS_BACKEND = "services_hall.notifications.ConsoleSmsBackend"


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str


class BaseSmsBackend(abc.ABC):
    """Sends text messages; returns how many were accepted by the gateway. A real gateway subclasses this."""

    @abc.abstractmethod
    def send_messages(self, messages: list[SmsMessage]) -> int:
        """Send `messages`; return how many the gateway accepted."""


class ConsoleSmsBackend(BaseSmsBackend):
    """Writes messages to standard output: the embedded default, like Django's console email backend."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send_messages(self, messages: list[SmsMessage]) -> int:
        for message in messages:
            self.stream.write(f"[短信] 发送至 {message.to}：{message.body}\n")
        self.stream.flush()
        return len(messages)


# Messages "sent" by LocmemSmsBackend, for tests (like django.core.mail.outbox).
sms_outbox: list[SmsMessage] = []


class LocmemSmsBackend(BaseSmsBackend):
    def send_messages(self, messages: list[SmsMessage]) -> int:
        sms_outbox.extend(messages)
        return len(messages)


def get_sms_backend() -> BaseSmsBackend:
    return import_string(getattr(settings, "SMS_BACKEND", DEFAULT_SMS_BACKEND))()


def send_sms(*, to: str, body: str) -> int:
    return get_sms_backend().send_messages([SmsMessage(to=to, body=body)])


def _deliver(*, email: str, phone: str, subject: str, body: str) -> None:
    """Email and SMS independently: one channel failing does not stop the other."""
    if email:
        try:
            send_mail(subject, body, None, [email])
        except Exception:  # noqa: BLE001 — the case is already saved; a lost mail must not become a 500
            logger.exception("邮件发送失败：%s", subject)
    if phone:
        try:
            send_sms(to=phone, body=body)
        except Exception:  # noqa: BLE001
            logger.exception("短信发送失败：%s", subject)


def person_notify(*, email: str, phone: str, subject: str, body: str) -> None:
    """Tell a person by email and SMS, the way the hall tells its applicants (used by the apps built on the hall, e.g.
    依申请公开); a failure is logged, never raised."""
    _deliver(email=email, phone=phone, subject=subject, body=body)


def application_event_message(*, tracking_number: str, service_title: str, action: str, to_status_label: str,
                              comment: str, correction_items: list[str], query_code: str) -> tuple[str, str]:
    """The subject and text sent to the applicant after one step of their case."""
    subject = f"【金财门户】申报 {tracking_number} {to_status_label}"
    lines = [f"您申报的“{service_title}”（申报号 {tracking_number}）状态已更新为：{to_status_label}。"]
    if action == Action.SUBMIT:
        lines.append(f"查询码：{query_code}。凭申报号和查询码可在“办件查询”中查看办理进度。")
    if action == Action.REQUEST_CORRECTION and correction_items:
        lines.append("请一次性补正以下材料：" + "；".join(correction_items) + "。")
    if comment and action in (Action.REQUEST_CORRECTION, Action.REJECT, Action.DENY, Action.APPROVE):
        lines.append(f"说明：{comment}")
    return subject, "\n".join(lines)


def application_event_notify(*, event_id: int) -> None:
    """Tell the applicant about one recorded step of their case (email and SMS)."""
    from .models import ApplicationEvent

    event = ApplicationEvent.objects.select_related(
        "application__service", "application__applicant__user"
    ).get(pk=event_id)
    application = event.application
    subject, body = application_event_message(
        tracking_number=application.tracking_number,
        service_title=application.service.title,
        action=event.action,
        to_status_label=event.get_to_status_display(),
        comment=event.comment,
        correction_items=list(application.correction_items) if event.action == Action.REQUEST_CORRECTION else [],
        query_code=application.query_code,
    )
    _deliver(email=application.applicant.user.email, phone=application.applicant.phone, subject=subject, body=body)


def letter_reply_notify(*, letter_id: int) -> None:
    from .models import Letter

    letter = Letter.objects.select_related("reply").get(pk=letter_id)
    subject = f"【金财门户】您的留言 {letter.tracking_number} 已答复"
    body = f"您的{letter.get_kind_display()}“{letter.subject}”已由{letter.reply.department}答复：\n{letter.reply.body}"
    _deliver(email=letter.email, phone=letter.phone, subject=subject, body=body)
