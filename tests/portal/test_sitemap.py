from wagtail.models import PageViewRestriction

from tests.factories import InfoPageFactory, SectionPageFactory


def sitemap_text(client) -> str:
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert "sitemap-pages.xml" in index.content.decode()
    return client.get("/sitemap-pages.xml").content.decode()


def test_sitemap_lists_every_live_public_page_and_nothing_else(client, home):
    news = SectionPageFactory(parent=home, title="财政新闻", slug="news")
    InfoPageFactory(parent=news, title="公开", slug="public-one")
    InfoPageFactory(parent=news, title="草稿", slug="draft-one", live=False)
    private = InfoPageFactory(parent=news, title="内部", slug="private-one")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    text = sitemap_text(client)

    assert "/news/" in text
    assert "/news/public-one/" in text
    assert "draft-one" not in text
    assert "private-one" not in text


def test_unpublishing_removes_a_page_from_the_sitemap(client, home):
    news = SectionPageFactory(parent=home, title="财政新闻", slug="news")
    page = InfoPageFactory(parent=news, slug="soon-gone")
    assert "soon-gone" in sitemap_text(client)

    page.unpublish()

    assert "soon-gone" not in sitemap_text(client)


def test_sitemap_entries_name_the_public_address_when_one_is_configured(client, home, settings):
    SectionPageFactory(parent=home, title="财政新闻", slug="news")
    settings.PUBLIC_BASE_URL = "https://portal.example.gov.cn"

    text = sitemap_text(client)

    assert "<loc>https://portal.example.gov.cn/news/</loc>" in text
    assert "http://localhost" not in text


def test_sitemap_entries_follow_the_site_record_otherwise(client, home, settings):
    SectionPageFactory(parent=home, title="财政新闻", slug="news")
    settings.PUBLIC_BASE_URL = ""
    site = home.get_site()
    site.hostname, site.port = "127.0.0.1", 8100
    site.save()

    assert "<loc>http://127.0.0.1:8100/news/</loc>" in sitemap_text(client)
