"""Public uploads (news photos, their thumbnails) reach a browser on `make run`, where no web server is in front."""

import pytest


@pytest.fixture
def photo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "news-1.fill-120x90.webp").write_bytes(b"RIFF\x00\x00\x00\x00WEBP")
    return "/media/images/news-1.fill-120x90.webp"


def test_make_run_serves_a_news_thumbnail(client, settings, photo):
    settings.SERVE_MEDIA = True  # portal.settings.local

    answer = client.get(photo)

    assert answer.status_code == 200
    assert b"".join(answer.streaming_content).startswith(b"RIFF")


def test_behind_a_web_server_the_app_leaves_media_to_it(client, settings, photo):
    settings.SERVE_MEDIA = False  # production: nginx serves /media/

    assert client.get(photo).status_code == 404


def test_nothing_outside_the_public_uploads_is_served(client, settings, photo):
    settings.SERVE_MEDIA = True

    # A path out of MEDIA_ROOT is refused (400: a suspicious path), never read.
    assert client.get("/media/../secret-key").status_code in (400, 404)
    assert client.get("/media/%2e%2e/secret-key").status_code in (400, 404)
    assert client.get("/media/images/no-such-photo.webp").status_code == 404


def test_the_local_settings_serve_media():
    from portal.settings import local

    assert local.SERVE_MEDIA is True and local.DEBUG is False
