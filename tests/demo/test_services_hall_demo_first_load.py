"""The services-hall demo loaded on a site without it: the steps schedule their notifications, and nobody is told.
Apart from test_services_hall_demo.py, whose tests share one copy of the demo for the whole module."""

import datetime as dt

import pytest
from django.core import mail

from demo.services_hall import build_services_demo
from services_hall import notifications
from tests.factories import SectionPageFactory

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def services(home, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return SectionPageFactory(parent=home, title="政务服务", slug="services")


def test_the_demo_tells_nobody_about_its_cases(services, settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "services_hall.notifications.LocmemSmsBackend"
    notifications.sms_outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        build_services_demo(parent=services, today=TODAY)

    assert callbacks  # the steps did schedule their notifications…
    assert mail.outbox == []  # …and none of them sent anything
    assert notifications.sms_outbox == []
