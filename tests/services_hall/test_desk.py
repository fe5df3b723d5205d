"""The hall staff's desk on the admin dashboard: overdue and due-soon filings, cases whose 补正 came back, letters
nearing their reply deadline, each linking to where to act; people without a hall role have no such desk."""

from django.utils import timezone

from services_hall.models import Letter
from services_hall.services import letter_submit
from tests.services_hall.test_admin_views import editor, queue  # noqa: F401  (fixtures)


def desk(client, user) -> str:
    client.force_login(user)
    page = client.get("/admin/").content.decode()
    assert 'id="desk-hall"' in page
    return page.split('id="desk-hall"')[1].split("</section>")[0]


def test_hall_staff_see_overdue_and_due_soon_filings_linking_to_each_case(client, queue, intake):
    shown = desk(client, intake)

    overdue = shown.split("已超期的办件")[1].split("即将到期的办件")[0]
    due_soon = shown.split("即将到期的办件")[1].split("申请人已补正")[0]
    assert queue["late"].tracking_number in overdue
    assert f'href="/admin/services-hall/applications/{queue["late"].pk}/"' in overdue
    assert queue["soon"].tracking_number in due_soon
    assert queue["fresh"].tracking_number not in overdue + due_soon
    assert queue["done"].tracking_number not in shown


def test_letters_nearing_their_deadline_are_on_the_desk(client, home, intake):
    near = letter_submit(kind=Letter.Kind.CONSULTATION, subject="代理记账资格审批要多久？", body="请问多少个工作日办结？",
                         name="王小明", phone="13900001111", consent_publish=True)
    Letter.objects.filter(pk=near.pk).update(due_on=timezone.localdate())
    relaxed = letter_submit(kind=Letter.Kind.SUGGESTION, subject="建议延长大厅周末开放时间", body="周末办事的人多。",
                            name="李华", phone="13900002222", consent_publish=False)

    shown = desk(client, intake)
    letters = shown.split("临近答复期限的来信")[1]
    assert near.subject in letters and "答复期限" in letters
    assert f'href="/admin/services-hall/letters/{near.pk}/"' in letters
    assert relaxed.subject not in letters


def test_people_without_a_hall_role_have_no_hall_desk(client, home, editor):  # noqa: F811
    client.force_login(editor)
    assert 'id="desk-hall"' not in client.get("/admin/").content.decode()
