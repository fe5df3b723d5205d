"""The data staff's desk on the admin dashboard: 数据使用申请 waiting for a decision, linking to each; decided ones
leave it; people who may not decide have no such desk."""

from django.contrib.auth.models import Permission

from opendata.models import AccessApplication
from opendata.services import access_application_refuse
from tests.factories import UserFactory
from tests.opendata.test_access import VALID, apply_url, conditional  # noqa: F401  (fixture)


def test_data_staff_see_waiting_applications_and_decided_ones_leave(client, conditional):  # noqa: F811
    client.post(apply_url(conditional), VALID)
    client.post(apply_url(conditional), VALID | {"organisation": "财政科学研究院", "email": "li@example.org"})
    first, second = AccessApplication.objects.order_by("pk")
    staff = UserFactory(username="shuju")
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", "change_accessapplication"]))
    access_application_refuse(application=second, actor=staff, reason="用途与开放条件不符")

    client.force_login(staff)
    page = client.get("/admin/").content.decode()
    desk = page.split('id="desk-data"')[1].split("</section>")[0]
    assert "待审批的数据使用申请（1）" in desk
    assert "中央财经大学 申请“中央对地方转移支付明细”" in desk
    assert f'href="/admin/open-data/access/{first.pk}/"' in desk


def test_people_who_may_not_decide_have_no_data_desk(client, conditional):  # noqa: F811
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert 'id="desk-data"' not in client.get("/admin/").content.decode()
