"""网页防篡改: a changed static file or a changed page is noticed by the scheduled check, which mails an alert and
shows it on the admin dashboard, naming the file or URL."""

from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from wagtail.models import Page

from audit.models import Fingerprint, FingerprintKind, TamperAlert
from audit.tamper import normalise
from tests.factories import InfoPageFactory, UserFactory


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", email="security@example.gov.cn", is_staff=True, is_superuser=True)


@pytest.fixture
def collected(settings, tmp_path, superuser):
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", "--noinput", verbosity=0)
    return Path(settings.STATIC_ROOT)


@pytest.fixture
def published(home, superuser, django_capture_on_commit_callbacks):
    page = InfoPageFactory(parent=home, title="机构职能", slug="functions", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision(user=superuser).publish(user=superuser)
    return page


def check() -> str:
    """What the scheduled job reports: empty when everything matches, else the failure and each finding."""
    from io import StringIO

    errors = StringIO()
    try:
        call_command("tamper_check", stderr=errors)
    except CommandError as failure:
        return errors.getvalue() + str(failure)
    return ""


def test_collectstatic_fingerprints_every_file_and_an_untouched_site_passes(collected):
    files = [p for p in collected.rglob("*") if p.is_file()]
    assert Fingerprint.objects.filter(kind=FingerprintKind.STATIC).count() == len(files) > 0
    assert check() == ""
    assert mail.outbox == []


def test_a_changed_static_file_is_alerted_by_mail_and_on_the_dashboard(client, collected, superuser):
    target = sorted(p for p in collected.rglob("*.css") if p.is_file())[0]
    name = target.relative_to(collected).as_posix()
    target.write_text(target.read_text() + "\nbody{background:url(//evil.example/x.png)}")
    (collected / "js-injected.js").write_text("alert(1)")

    report = check()
    assert f"{name}：静态文件内容与 collectstatic 时的指纹不一致" in report
    assert "js-injected.js：出现了 collectstatic 之外新增的静态文件" in report
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["security@example.gov.cn"]
    assert name in mail.outbox[0].body and "网页防篡改告警" in mail.outbox[0].subject

    client.force_login(superuser)
    dashboard = client.get("/admin/").content.decode()
    assert "网页防篡改告警" in dashboard and name in dashboard

    check()
    assert len(mail.outbox) == 1, "an alert already raised is not mailed again at every run"
    call_command("tamper_check", "--baseline", verbosity=0)
    assert TamperAlert.objects.filter(resolved_at__isnull=True).count() == 0
    assert check() == ""


def test_publishing_fingerprints_the_page_and_the_columns_above_it(published, home):
    fingerprinted = set(Fingerprint.objects.filter(kind=FingerprintKind.PAGE).values_list("page_id", flat=True))
    assert {published.pk, home.pk} <= fingerprinted
    assert check() == ""


def test_a_page_changed_outside_publishing_is_alerted_naming_its_url(published, superuser):
    # Someone with database access rewrites the live page without going through the review chain.
    Page.objects.filter(pk=published.pk).update(title="机构职能 <script>挖矿</script>")
    report = check()
    assert f"{published.get_full_url()}：页面内容与发布时的指纹不一致" in report
    assert published.get_full_url() in mail.outbox[-1].body


def test_an_unpublished_page_loses_its_fingerprint(published, superuser, django_capture_on_commit_callbacks):
    published.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        published.unpublish(user=superuser)
    assert not Fingerprint.objects.filter(page_id=published.pk).exists()
    assert check() == ""


def test_per_request_values_do_not_count_as_changes():
    one = b'<form><input type="hidden" name="csrfmiddlewaretoken" value="abc"><script nonce="n1">x</script>' \
          b'<strong data-view-count data-volatile>12</strong></form>'
    two = b'<form><input type="hidden" name="csrfmiddlewaretoken" value="xyz"><script nonce="n2">x</script>' \
          b'<strong data-view-count data-volatile>13</strong></form>'
    assert normalise(one) == normalise(two)
    assert normalise(b"<strong data-download-count>3</strong>") == normalise(b"<strong data-download-count>4</strong>")
    assert normalise(one) != normalise(one.replace(b">x<", b">y<"))


@pytest.mark.django_db(transaction=True)
def test_the_check_can_fetch_pages_over_http_as_visitors_get_them(live_server, home, superuser,
                                                                  django_capture_on_commit_callbacks):
    page = InfoPageFactory(parent=home, title="联系我们", slug="contact", live=False)
    page.save_revision(user=superuser).publish(user=superuser)  # on_commit runs: this test commits for real
    assert Fingerprint.objects.filter(page_id=page.pk).exists()
    call_command("tamper_check", "--base-url", live_server.url, verbosity=0)
    Page.objects.filter(pk=page.pk).update(title="已被篡改")
    with pytest.raises(CommandError, match="1 处不一致"):
        call_command("tamper_check", "--base-url", live_server.url, verbosity=0)


def test_publishing_pages_builds_the_middleware_stack_once_not_once_a_page(home, superuser, monkeypatch,
                                                                           django_capture_on_commit_callbacks):
    # Building it scans every collected static file (WhiteNoise): a tenth of a second that each publish used to pay.
    from django.test.client import ClientHandler

    builds = []
    original = ClientHandler.load_middleware
    monkeypatch.setattr(ClientHandler, "load_middleware",
                        lambda self, *args, **kwargs: (builds.append(1), original(self, *args, **kwargs))[1])
    monkeypatch.setattr("audit.tamper._handler", None, raising=False)
    for slug in ("one", "two", "three"):
        page = InfoPageFactory(parent=home, title=f"页面{slug}", slug=slug, live=False)
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision(user=superuser).publish(user=superuser)

    fingerprinted = Fingerprint.objects.filter(kind=FingerprintKind.PAGE, location__contains="/one/")
    assert fingerprinted.exists()
    assert len(builds) == 1


@pytest.mark.django_db(transaction=True)
def test_a_page_that_cannot_be_fingerprinted_is_still_published_and_the_failure_is_logged(home, monkeypatch, caplog):
    # The fingerprint runs once the publication is committed, "robust": its failure must be logged, not raised into
    # the editor's publish (Django names a robust callback by its __qualname__, which a functools.partial lacks).
    from audit import tamper

    def broken(*, page_id):
        raise RuntimeError("页面渲染失败")

    monkeypatch.setattr(tamper, "page_and_ancestors_fingerprint", broken)
    page = InfoPageFactory(parent=home, title="机构职能", slug="functions", live=False)
    page.save_revision().publish()

    page.refresh_from_db()
    assert page.live
    assert "页面渲染失败" in caplog.text
