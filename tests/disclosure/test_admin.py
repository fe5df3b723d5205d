"""The back office: the queue with overdue requests on top, registering a letter, extending and answering."""

import datetime as dt

import pytest
from django.utils import timezone

from disclosure.models import DisclosureRequest
from disclosure.rules import Channel, Outcome, Status
from tests.factories import UserFactory

from .factories import DisclosureRequestFactory, request_data

pytestmark = pytest.mark.django_db
QUEUE = "/admin/disclosure/"


def test_the_queue_shows_overdue_requests_first_with_a_mark(client, clerk):
    today = timezone.localdate()
    DisclosureRequestFactory(applicant_name="新近申请人", received_on=today)
    DisclosureRequestFactory(applicant_name="超期申请人", received_on=today - dt.timedelta(days=60))
    client.force_login(clerk)
    page = client.get(QUEUE).text
    assert page.index("超期申请人") < page.index("新近申请人")
    assert "已超期" in page


def test_people_without_a_staff_role_are_refused(client):
    editor = UserFactory(is_superuser=False)
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(QUEUE).status_code == 403


def test_staff_register_a_letter_with_its_statutory_date_of_receipt(client, clerk):
    client.force_login(clerk)
    form = client.get(QUEUE + "register/")
    assert "签收或确认日期" in form.text
    data = request_data(channel=Channel.POST_SIGNED, arrived_on="2026-03-02", fixed_on="2026-03-03",
                        idempotency_key="reg-1")
    response = client.post(QUEUE + "register/", data)
    case = DisclosureRequest.objects.get()
    assert response.status_code == 302 and case.received_on == dt.date(2026, 3, 3)
    # The same form sent again registers nothing new.
    client.post(QUEUE + "register/", data)
    assert DisclosureRequest.objects.count() == 1
    bad = client.post(QUEUE + "register/", data | {"fixed_on": "", "idempotency_key": "reg-2"})
    assert bad.status_code == 400 and "请填写签收日期" in bad.text


def test_staff_extend_once_then_answer_and_download_the_notice(client, clerk):
    case = DisclosureRequestFactory(received_on=timezone.localdate())
    client.force_login(clerk)
    url = f"{QUEUE}{case.pk}/"
    assert "延长答复期限" in client.get(url).text
    refused = client.post(url, {"action": "extend", "days": "30", "approved_by": "", "reason": ""})
    assert refused.status_code == 400 and "延长期限应为1至20个工作日" in refused.text
    client.post(url, {"action": "extend", "days": "20", "approved_by": "王主任", "reason": "需调取档案。"})
    page = client.get(url).text
    assert "20 个工作日，经王主任同意" in page and 'data-step="extend"' not in page
    client.post(url, {"action": "answer", "outcome": Outcome.PARTLY_DISCLOSED, "text": "涉及第三方商业秘密部分不予公开。"})
    case.refresh_from_db()
    assert case.status == Status.ANSWERED and case.outcome == Outcome.PARTLY_DISCLOSED
    notice = client.get(f"{url}notice.pdf")
    assert notice.status_code == 200 and notice["Content-Type"] == "application/pdf"
    # Nothing more can be done to an answered request.
    again = client.post(url, {"action": "extend", "days": "5", "approved_by": "王主任", "reason": "x"})
    assert again.status_code == 409


def test_an_unknown_action_is_a_400(client, clerk):
    case = DisclosureRequestFactory()
    client.force_login(clerk)
    assert client.post(f"{QUEUE}{case.pk}/", {"action": "explode"}).status_code == 400


def test_the_daily_reminder_tells_the_clerks_what_is_overdue(clerk, mailoutbox):
    from django.core.management import call_command

    today = timezone.localdate()
    late = DisclosureRequestFactory(received_on=today - dt.timedelta(days=60))
    DisclosureRequestFactory(received_on=today)
    call_command("disclosure_reminders")
    (mail,) = mailoutbox
    assert mail.to == [clerk.email] and "超期 1 件" in mail.subject
    assert late.tracking_number in mail.body and "已超期" in mail.body


def test_the_report_button_builds_the_report_or_says_why_not(client, clerk):
    client.force_login(clerk)
    assert "生成年度报告" in client.get(QUEUE).text
    response = client.post(QUEUE + "report/", {"year": "2025"}, follow=True)
    assert "没有找到“年度报告”栏目" in response.text
    response = client.post(QUEUE + "report/", {"year": "abc"}, follow=True)
    assert "年度应在2008年" in response.text


def _answered(clerk, **fields):
    from disclosure.services import request_answer

    case = DisclosureRequestFactory(**fields)
    return request_answer(request=case, outcome=Outcome.WITHHELD_THIRD_PARTY, text="涉及第三方商业秘密。", actor=clerk,
                          today=case.received_on + dt.timedelta(days=10))


def test_staff_record_a_reconsideration_then_its_result_and_the_report_counts_it(client, clerk):
    from disclosure.selectors import report_facts
    from disclosure.report import reviews_table

    case = _answered(clerk, received_on=dt.date(2026, 3, 2))
    client.force_login(clerk)
    url = f"{QUEUE}{case.pk}/"
    screen = client.get(url).text
    assert "登记行政复议或行政诉讼" in screen
    response = client.post(url, {"action": "review", "kind": "reconsideration", "filed_on": "2026-04-01",
                                 "result": "pending", "decided_on": "", "note": "申请人不服不予公开。"})
    assert response.status_code == 302
    screen = client.get(url).text
    assert "已登记行政复议" in screen and "2026年4月1日" in screen and "尚未审结" in screen
    assert "登记行政复议结果" in screen
    review = case.reviews.get()
    response = client.post(url, {"action": "review_decide", "review": review.pk,
                                 f"review-{review.pk}-result": "corrected",
                                 f"review-{review.pk}-decided_on": "2026-06-15"})
    assert response.status_code == 302
    screen = client.get(url).text
    assert "结果纠正" in screen and "2026年6月15日" in screen and "data-step=\"review_decide\"" not in screen
    # Both steps are in the request's record, with who did them.
    actions = list(case.events.values_list("action", flat=True))
    assert actions[-2:] == ["review", "review_decide"]
    _, reviews, _ = report_facts(year=2026)
    assert reviews_table(reviews, year=2026)["reconsideration"] == [0, 1, 0, 0, 1]


@pytest.mark.parametrize(("posted", "message"), [
    ({"kind": "appeal"}, "请选择行政复议或行政诉讼"),
    ({"filed_on": "2026/13/45"}, "请按 2026-11-23 的格式填写日期"),
    ({"filed_on": ""}, "请填写提起日期"),
    ({"filed_on": "2026-03-01"}, "提起日期不能早于答复日期"),
    ({"result": "upheld"}, "已审结的须填写审结日期"),
    ({"decided_on": "2026-05-01"}, "尚未审结的不填审结日期"),
    ({"result": "upheld", "decided_on": "2026-03-20"}, "审结日期不能早于提起日期"),
    ({"after_reconsideration": "on"}, "仅适用于行政诉讼"),
    ({"filed_on": "2999-01-01"}, "提起日期不能晚于今天"),
])
def test_a_review_with_bad_input_is_refused_with_a_message_and_nothing_is_stored(client, clerk, posted, message):
    case = _answered(clerk, received_on=dt.date(2026, 3, 2))
    client.force_login(clerk)
    data = {"action": "review", "kind": "reconsideration", "filed_on": "2026-04-01", "result": "pending",
            "decided_on": "", "note": ""} | posted
    response = client.post(f"{QUEUE}{case.pk}/", data)
    assert response.status_code == 400 and message in response.text
    assert not case.reviews.exists() and not case.events.filter(action="review").exists()


def test_a_review_cannot_be_recorded_before_the_answer_nor_decided_twice(client, clerk):
    from disclosure.services import review_record

    waiting = DisclosureRequestFactory()
    client.force_login(clerk)
    assert "登记行政复议或行政诉讼" not in client.get(f"{QUEUE}{waiting.pk}/").text
    refused = client.post(f"{QUEUE}{waiting.pk}/", {"action": "review", "kind": "litigation",
                                                    "filed_on": "2026-04-01", "result": "pending"})
    assert refused.status_code == 400 and "申请尚未答复" in refused.text
    case = _answered(clerk, received_on=dt.date(2026, 3, 2))
    review = review_record(request=case, kind="litigation", filed_on=dt.date(2026, 4, 1), result="upheld",
                           decided_on=dt.date(2026, 5, 1), actor=clerk)
    again = client.post(f"{QUEUE}{case.pk}/", {"action": "review_decide", "review": review.pk,
                                               f"review-{review.pk}-result": "corrected",
                                               f"review-{review.pk}-decided_on": "2026-06-01"})
    assert again.status_code == 409 and "已登记结果" in again.text
    unknown = client.post(f"{QUEUE}{case.pk}/", {"action": "review_decide", "review": "x"})
    assert unknown.status_code == 400 and "未找到" in unknown.text
