"""Remind the disclosure staff of requests overdue or due soon (run daily, e.g. from cron or a task worker)."""

from django.core.management.base import BaseCommand

from disclosure.services import reminders_send


class Command(BaseCommand):
    help = "向受理员发送依申请公开的超期和即将到期提醒。"

    def handle(self, *args, **options):
        sent = reminders_send()
        self.stdout.write(f"超期 {sent.overdue} 件，即将到期 {sent.due_soon} 件，已提醒 {sent.recipients} 人。")
