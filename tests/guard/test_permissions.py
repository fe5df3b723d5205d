"""Who sees 网站检查 by default: 终审 and the site managers (Moderators), not only superusers."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("group, allowed", [("终审", True), ("Moderators", True), ("初审", False), ("受理员", False)])
def test_dashboard_is_open_to_final_review_and_site_managers_by_default(client, home, group, allowed):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)

    page = client.get("/admin/site-guard/")

    assert page.status_code == (200 if allowed else 403)
    menu = client.get("/admin/").content.decode()
    assert ("/admin/site-guard/" in menu) == allowed  # the 网站检查 menu item


def test_only_final_review_may_let_wording_through_by_default():
    assert Group.objects.get(name="终审").permissions.filter(codename="override_wording").exists()
    assert not Group.objects.get(name="Moderators").permissions.filter(codename="override_wording").exists()
    assert not Group.objects.get(name="复审").permissions.filter(codename="override_wording").exists()
