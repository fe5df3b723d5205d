"""Editors reach every screen of the shell in the (Chinese) admin without an error."""

import pytest
from django.core.management import call_command

from portal.models import NavigationSettings, SiteIdentity
from tests.factories import InfoPageFactory, SectionPageFactory, UserFactory


@pytest.fixture
def editor_client(client, home):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_admin_is_in_chinese(editor_client):
    response = editor_client.get("/admin/")

    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()


def test_editors_can_open_the_home_column_and_page_editors(editor_client, home):
    section = SectionPageFactory(parent=home, title="财政新闻", slug="news")
    entry = InfoPageFactory(parent=section)

    for page in (home, section, entry):
        assert editor_client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    assert editor_client.get(f"/admin/pages/add/portal/infopage/{section.pk}/").status_code == 200


def test_editors_can_open_the_identity_and_navigation_settings(editor_client, home):
    site_id = home.get_site().pk
    for model in (SiteIdentity, NavigationSettings):
        url = f"/admin/settings/portal/{model._meta.model_name}/{site_id}/"
        response = editor_client.get(url)
        assert response.status_code == 200, url


def test_identity_settings_are_saved_from_the_admin_form(editor_client, home):
    site_id = home.get_site().pk
    response = editor_client.post(
        f"/admin/settings/portal/siteidentity/{site_id}/",
        {
            "site_name": "某市财政局",
            "sponsor": "某市财政局",
            "site_code": "5104000001",
            "icp_number": "蜀ICP备00000001号",
            "icp_url": "https://beian.miit.gov.cn/",
            "show_party_government_badge": "on",
        },
    )

    assert response.status_code == 302
    assert "蜀ICP备00000001号" in editor_client.get("/").content.decode()


def test_there_are_no_missing_migrations(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
