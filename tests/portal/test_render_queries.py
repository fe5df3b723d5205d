"""Renders the page cache cannot answer stay cheap: at most 10 queries per page kind however long its lists grow,
with the menu, footer and site identity kept as tagged fragments that an editor's change replaces at once."""

import datetime as dt

import pytest
from django.core.cache import cache
from wagtail.models import PageViewRestriction

from portal.models import MainMenuItem
from tests.content.factories import (
    ArticlePageFactory,
    InterpretationPageFactory,
    PolicyPageFactory,
    ProcurementNoticePageFactory,
    TopicPageFactory,
)
from tests.factories import SectionPageFactory
from tests.opendata.factories import BUDGET_CSV, DatasetPageFactory, ingested

# How many statements a render runs is the ORM's count, not the dialect's: the SQLite pass has it (the PostgreSQL
# pass renders the same pages in tests/content, tests/opendata and tests/search).
pytestmark = pytest.mark.same_on_every_database

MAX_QUERIES = 10


@pytest.fixture(autouse=True)
def shell_caches(settings, tmp_path):
    """The production settings: fragments, the Site and the private paths from the cache; no page cache."""
    settings.FRAGMENT_CACHE_ENABLED = True
    settings.PAGE_CACHE_ENABLED = False
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"  # the datasets' imported files
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` around an editor's change: it commits, so the purge on commit runs."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def site(home, identity, navigation, committed):
    news = SectionPageFactory(parent=home, title="财政新闻", slug="news", listing_kind="article")
    policies = SectionPageFactory(parent=home, title="政策发布", slug="policies", listing_kind="policy")
    procurement = SectionPageFactory(parent=home, title="政府采购", slug="procurement", listing_kind="procurement")
    topics = SectionPageFactory(parent=home, title="专题专栏", slug="topics")
    with committed():
        home.headline_section, home.policy_section, home.procurement_section = news, policies, procurement
        home.save_revision().publish()
        for order, page in enumerate((news, policies, procurement, topics)):
            MainMenuItem.objects.create(settings=navigation, link_page=page, sort_order=order)
    return {"home": home, "news": news, "policies": policies, "procurement": procurement, "topics": topics}


def queries_of(client, url, django_assert_max_num_queries) -> str:
    client.get(url)  # the first visit builds the shared fragments
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def grow_news(site, count):
    for _ in range(count):
        article = ArticlePageFactory(parent=site["news"])
        article.tags.add("政府和社会资本合作")
        article.save()


@pytest.mark.parametrize("count", [2, 14])
def test_home_page_stays_within_ten_queries_as_its_regions_fill(client, site, count, django_assert_max_num_queries,
                                                                committed):
    with committed():  # publishing commits: the regions kept since the home page was last published are purged
        grow_news(site, count)
        for _ in range(count):
            PolicyPageFactory(parent=site["policies"])
            ProcurementNoticePageFactory(parent=site["procurement"])
    text = queries_of(client, "/", django_assert_max_num_queries)
    assert "财政部召开2026年第" in text and "财政新闻" in text


@pytest.mark.parametrize("count", [2, 25])
def test_a_column_stays_within_ten_queries_however_many_entries_it_lists(client, site, count,
                                                                         django_assert_max_num_queries):
    grow_news(site, count)
    text = queries_of(client, site["news"].url, django_assert_max_num_queries)
    assert text.count('class="entry-list__item"') == min(count, 20)


@pytest.mark.parametrize("count", [1, 6])
def test_an_article_stays_within_ten_queries_with_its_tags_and_related_reading(client, site, count,
                                                                              django_assert_max_num_queries):
    others = [ArticlePageFactory(parent=site["news"], title=f"相关文章{n}") for n in range(count)]
    article = ArticlePageFactory(parent=site["news"], title="预算执行情况")
    for other in others:
        article.related_pages.create(page=other)
        article.tags.add(f"标签{other.pk}")
    article.save_revision().publish()
    text = queries_of(client, article.url, django_assert_max_num_queries)
    assert "预算执行情况" in text and f"相关文章{count - 1}" in text


@pytest.mark.parametrize("count", [1, 6])
def test_a_policy_stays_within_ten_queries_with_its_interpretations(client, site, count,
                                                                    django_assert_max_num_queries):
    policy = PolicyPageFactory(parent=site["policies"], title="关于加强预算管理的通知")
    for n in range(count):
        InterpretationPageFactory(parent=site["policies"], policy=policy, title=f"解读之{n}")
    text = queries_of(client, policy.url, django_assert_max_num_queries)
    assert "关于加强预算管理的通知" in text and f"解读之{count - 1}" in text


@pytest.mark.parametrize("count", [1, 6])
def test_a_procurement_notice_stays_within_ten_queries_with_its_project_timeline(client, site, count,
                                                                                 django_assert_max_num_queries):
    notices = [ProcurementNoticePageFactory(parent=site["procurement"], project_code="ZB2026-0001")
               for _ in range(count)]
    text = queries_of(client, notices[0].url, django_assert_max_num_queries)
    assert "ZB2026-0001" in text


@pytest.mark.parametrize("count", [2, 14])
def test_a_topic_stays_within_ten_queries_however_many_pages_carry_its_tag(client, site, count,
                                                                           django_assert_max_num_queries):
    topic = TopicPageFactory(parent=site["topics"], slug="ppp")
    grow_news(site, count)
    text = queries_of(client, topic.url, django_assert_max_num_queries)
    assert "财政部召开2026年第" in text


@pytest.mark.parametrize("count", [1, 3])
def test_a_dataset_page_stays_within_ten_queries_with_its_resources(client, site, count,
                                                                    django_assert_max_num_queries):
    dataset = DatasetPageFactory(parent=site["home"], slug="budget-monthly", title="全国一般公共预算收支月度数据")
    for n in range(count):
        ingested(dataset, BUDGET_CSV.encode(), name=f"预算{n}.csv")
    text = queries_of(client, dataset.url, django_assert_max_num_queries)
    assert "全国一般公共预算收支月度数据" in text and "税收收入" in text


@pytest.mark.parametrize("count", [2, 12])
def test_the_catalog_stays_within_ten_queries_however_many_datasets_it_lists(client, site, count,
                                                                             django_assert_max_num_queries):
    for n in range(count):
        ingested(DatasetPageFactory(parent=site["home"]), BUDGET_CSV.encode(), name=f"数据{n}.csv")
    text = queries_of(client, "/open-data/catalog/", django_assert_max_num_queries)
    assert "全国一般公共预算收支月度数据" in text


# --- a kept fragment shows an edit on the next request -----------------------------------------------------


def test_a_renamed_menu_item_shows_on_the_next_page_view(client, site, navigation, committed):
    assert "财政新闻" in client.get("/").content.decode()
    item = MainMenuItem.objects.get(link_page=site["news"])
    with committed():
        item.label = "新闻动态"
        item.save()
    text = client.get(site["policies"].url).content.decode()
    assert "新闻动态" in text


def test_a_new_menu_item_shows_on_the_next_page_view(client, site, navigation, committed):
    client.get("/")
    with committed():
        MainMenuItem.objects.create(settings=navigation, link_url="/hall/inquiry/", label="办件查询", sort_order=9)
    assert 'href="/hall/inquiry/"' in client.get("/").content.decode()


def test_a_retitled_column_shows_in_the_menu_on_the_next_page_view(client, site, committed):
    client.get("/")
    news = site["news"]
    with committed():
        news.title = "财经要闻"
        news.save_revision().publish()
    nav = client.get(site["policies"].url).content.decode().split('class="main-nav"')[1].split("</nav>")[0]
    assert "财经要闻" in nav and "财政新闻" not in nav


def test_an_unpublished_column_leaves_the_menu_on_the_next_page_view(client, site, committed):
    client.get("/")
    with committed():
        site["topics"].unpublish()
    nav = client.get("/").content.decode().split('class="main-nav"')[1].split("</nav>")[0]
    assert "专题专栏" not in nav


def test_an_edited_site_identity_shows_in_the_footer_on_the_next_page_view(client, site, identity, committed):
    client.get("/")
    with committed():
        identity.sponsor = "某某市财政局"
        identity.save()
    assert "主办单位：某某市财政局" in client.get("/").content.decode()


def test_a_column_made_private_is_at_once_left_out_of_lists_and_asks_for_a_password(client, site, committed):
    grow_news(site, 1)
    article = ArticlePageFactory(parent=site["news"], title="内部通报材料")
    assert "内部通报材料" in client.get(site["news"].url).content.decode()
    with committed():
        PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.PASSWORD,
                                           password="secret")
    assert "内部通报材料" not in client.get(site["news"].url).content.decode()
    assert "password" in client.get(article.url).content.decode().lower()


def test_the_filter_bar_selects_are_the_html_django_would_write(site):
    import re

    from content.listings import listing_for
    from portal.templatetags.portal_tags import form_field
    from tests.content.factories import DepartmentFactory, ThemeFactory

    theme = ThemeFactory(name="预算<管理>", slug="budget")
    DepartmentFactory()
    form = listing_for("article").bound({"theme": theme.slug}, within=site["news"]).form
    for name in ("theme", "department"):
        ours, django = form_field(form[name]), str(form[name])
        assert re.sub(r">\s+<", "><", ours) == re.sub(r">\s+<", "><", django).strip()
    assert '<option value="budget" selected>预算&lt;管理&gt;</option>' in form_field(form["theme"])


def filter_bar_of(text: str) -> str:
    return text.split('<form class="filter-bar"')[1].split("</form>")[0]


def test_a_renamed_or_new_department_shows_in_a_columns_filter_bar_on_the_next_page_view(client, site, committed):
    from tests.content.factories import DepartmentFactory

    with committed():
        department = DepartmentFactory(name="预算司")
    assert "预算司" in filter_bar_of(client.get(site["news"].url).content.decode())
    with committed():
        department.name = "预算管理司"
        department.save()
    assert "预算管理司" in filter_bar_of(client.get(site["news"].url).content.decode())
    with committed():
        DepartmentFactory(code="000014350", name="国库司")
    bar = filter_bar_of(client.get(site["news"].url + "?page=1").content.decode())
    assert "预算管理司" in bar and "国库司" in bar


def test_a_chosen_filter_stays_selected_after_the_plain_filter_bar_was_kept(client, site):
    from tests.content.factories import ThemeFactory

    ThemeFactory(name="预算管理", slug="budget")
    grow_news(site, 1)
    plain = '<option value="budget">预算管理</option>'
    assert plain in filter_bar_of(client.get(site["news"].url).content.decode())
    chosen = filter_bar_of(client.get(site["news"].url + "?theme=budget").content.decode())
    assert '<option value="budget" selected>预算管理</option>' in chosen and "清除筛选" in chosen
    again = filter_bar_of(client.get(site["news"].url).content.decode())
    assert plain in again and "清除筛选" not in again


def facet_items(text: str, facet: str) -> dict[str, str]:
    """value -> "label count" of one catalog facet as the page shows it."""
    import re

    found = re.findall(rf'data-facet="{facet}" data-value="([^"]*)"[^>]*>([^<]*) <span class="facet__count">(\d+)<',
                       text)
    return {value: f"{label} {count}" for value, label, count in found}


def test_the_catalog_facets_show_a_renamed_publisher_a_new_format_and_a_new_dataset_on_the_next_page_view(
        client, site, committed):
    from tests.opendata.factories import PublisherFactory

    with committed():
        publisher = PublisherFactory(name="预算司数据组", slug="budget")
        first = DatasetPageFactory(parent=site["home"], publisher=publisher)
        ingested(first, BUDGET_CSV.encode(), name="预算.csv")
    text = client.get("/open-data/catalog/").content.decode()
    assert facet_items(text, "publisher") == {"budget": "预算司数据组 1"}
    assert facet_items(text, "format") == {"csv": "CSV 1"}

    with committed():
        publisher.name = "预算司数据中心"
        publisher.save()
    assert facet_items(client.get("/open-data/catalog/").content.decode(), "publisher") == {"budget": "预算司数据中心 1"}

    with committed():
        ingested(first, b'[{"a": 1}]', name="预算.json")
    assert facet_items(client.get("/open-data/catalog/").content.decode(), "format") == {"csv": "CSV 1",
                                                                                           "json": "JSON 1"}
    with committed():
        DatasetPageFactory(parent=site["home"], publisher=publisher, slug="second")
    assert facet_items(client.get("/open-data/catalog/").content.decode(), "publisher") == {"budget": "预算司数据中心 2"}


# --- the home page's kept regions -------------------------------------------------------------------------------


def test_a_newly_published_article_shows_in_the_home_headlines_on_the_next_page_view(client, site, committed):
    with committed():
        grow_news(site, 2)
    client.get("/")
    with committed():
        ArticlePageFactory(parent=site["news"], title="全国财政工作会议在京召开")
    assert "全国财政工作会议在京召开" in client.get("/").content.decode()


def test_a_retitled_headline_shows_on_the_home_page_on_the_next_page_view(client, site, committed):
    with committed():
        article = ArticlePageFactory(parent=site["news"], title="财政部部署预算绩效管理工作")
    assert "财政部部署预算绩效管理工作" in client.get("/").content.decode()
    with committed():
        article.title = "财政部全面部署预算绩效管理工作"
        article.save_revision().publish()
    assert "财政部全面部署预算绩效管理工作" in client.get("/").content.decode()


def test_a_headline_made_private_leaves_the_home_page_on_the_next_page_view(client, site, committed):
    with committed():
        article = ArticlePageFactory(parent=site["news"], title="内部通报材料")
    assert "内部通报材料" in client.get("/").content.decode()
    with committed():
        PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.PASSWORD,
                                           password="secret")
    assert "内部通报材料" not in client.get("/").content.decode()


def test_a_policy_published_after_the_headlines_were_kept_shows_in_its_own_region(client, site, committed):
    client.get("/")
    with committed():
        PolicyPageFactory(parent=site["policies"], title="关于加强地方政府专项债券管理的通知")
    assert "关于加强地方政府专项债券管理的通知" in client.get("/").content.decode()


# --- the home page's kept hand-picked panels ---------------------------------------------------------------------


def test_a_service_shortcut_published_on_the_home_page_shows_on_the_next_page_view(client, site, committed):
    from portal.models import ServiceShortcut

    home = site["home"]
    assert "办件查询入口" not in client.get("/").content.decode()
    home.service_shortcuts.add(ServiceShortcut(label="办件查询入口", link_url="/hall/inquiry/", icon="query"))
    with committed():
        home.save_revision().publish()
    text = client.get("/").content.decode()
    assert "办件查询入口" in text and 'href="/hall/inquiry/"' in text


def test_a_topic_banner_leaves_the_home_page_when_its_topic_is_unpublished(client, site, committed):
    from portal.models import TopicBanner

    home = site["home"]
    topic = TopicPageFactory(parent=site["topics"], slug="ppp", title="政府和社会资本合作")
    home.topic_banners.add(TopicBanner(title="PPP专题横幅", link_page=topic))
    with committed():
        home.save_revision().publish()
    assert "PPP专题横幅" in client.get("/").content.decode()
    with committed():
        topic.unpublish()
    assert "PPP专题横幅" not in client.get("/").content.decode()


def test_a_preview_of_the_home_page_shows_its_panels_as_edited(admin_client, site):
    from portal.models import ServiceShortcut

    home = site["home"]
    admin_client.get("/")
    home.service_shortcuts.add(ServiceShortcut(label="尚未发布的入口", link_url="/hall/", icon="guide"))
    request = admin_client.get("/").wsgi_request
    request.is_preview = True
    from portal.selectors import home_curated

    assert "尚未发布的入口" in home_curated(home=home, request=request)["services"]
    assert "尚未发布的入口" not in client_text(admin_client)


def client_text(client) -> str:
    return client.get("/").content.decode()


# --- a topic's kept banner and curated blocks --------------------------------------------------------------------


def curated_topic(site, committed, *, picks):
    with committed():
        topic = TopicPageFactory(parent=site["topics"], slug="ppp")
        topic.blocks = [{"type": "pages", "value": {"heading": "精选政策", "items": [page.pk for page in picks]}},
                        {"type": "link", "value": {"title": "项目库入口", "description": "", "page": picks[0].pk,
                                                   "url": ""}}]
        topic.save_revision().publish()
    return topic


def test_a_page_retitled_after_a_topic_picked_it_shows_its_new_title_on_the_topic(client, site, committed):
    with committed():
        policy = PolicyPageFactory(parent=site["policies"], title="关于规范实施政府和社会资本合作新机制的指导意见")
    topic = curated_topic(site, committed, picks=[policy])
    assert "关于规范实施政府和社会资本合作新机制的指导意见" in client.get(topic.url).content.decode()
    with committed():
        policy.title = "关于规范实施政府和社会资本合作新机制的指导意见（修订）"
        policy.save_revision().publish()
    assert "新机制的指导意见（修订）" in client.get(topic.url).content.decode()


def test_a_picked_page_unpublished_or_moved_leaves_or_follows_on_the_topic(client, site, committed):
    with committed():
        kept = ArticlePageFactory(parent=site["news"], title="PPP项目信息公开情况", slug="ppp-info")
        dropped = ArticlePageFactory(parent=site["news"], title="即将撤下的项目通报")
    topic = curated_topic(site, committed, picks=[kept, dropped])
    text = client.get(topic.url).content.decode()
    assert "即将撤下的项目通报" in text and 'href="/news/ppp-info/"' in text
    with committed():
        dropped.unpublish()
        kept.move(site["policies"], pos="last-child")
    text = client.get(topic.url).content.decode()
    assert "即将撤下的项目通报" not in text
    assert 'href="/policies/ppp-info/"' in text and 'href="/news/ppp-info/"' not in text


def test_a_topic_republished_with_a_new_pick_shows_it_and_stays_within_ten_queries(
        client, site, committed, django_assert_max_num_queries):
    with committed():
        first = PolicyPageFactory(parent=site["policies"], title="政府和社会资本合作项目管理办法")
        second = PolicyPageFactory(parent=site["policies"], title="政府和社会资本合作项目绩效评价指引")
    topic = curated_topic(site, committed, picks=[first])
    assert "项目绩效评价指引" not in queries_of(client, topic.url, django_assert_max_num_queries)
    with committed():
        topic.blocks = [{"type": "pages", "value": {"heading": "精选政策", "items": [first.pk, second.pk]}}]
        topic.save_revision().publish()
    assert "项目绩效评价指引" in queries_of(client, topic.url, django_assert_max_num_queries)


# --- a policy's kept 附件, 政策解读 and 本文件替代的文件 sections ---------------------------------------------------


def test_an_interpretation_published_after_its_policy_was_viewed_shows_on_the_policy(client, site, committed):
    with committed():
        policy = PolicyPageFactory(parent=site["policies"], title="关于加强预算管理的通知")
        InterpretationPageFactory(parent=site["policies"], policy=policy, title="图解：预算管理新规")
    assert "图解：预算管理新规" in client.get(policy.url).content.decode()
    with committed():
        InterpretationPageFactory(parent=site["policies"], policy=policy, title="专家解读：预算管理新规")
    text = client.get(policy.url).content.decode()
    assert "图解：预算管理新规" in text and "专家解读：预算管理新规" in text


def test_an_interpretation_retitled_or_unpublished_changes_on_its_policy(client, site, committed):
    with committed():
        policy = PolicyPageFactory(parent=site["policies"], title="关于加强预算管理的通知")
        kept = InterpretationPageFactory(parent=site["policies"], policy=policy, title="政策问答（一）")
        dropped = InterpretationPageFactory(parent=site["policies"], policy=policy, title="即将撤下的解读")
    assert "即将撤下的解读" in client.get(policy.url).content.decode()
    with committed():
        kept.title = "政策问答（一）（更新）"
        kept.save_revision().publish()
        dropped.unpublish()
    text = client.get(policy.url).content.decode()
    assert "政策问答（一）（更新）" in text and "即将撤下的解读" not in text


def test_a_policy_marked_replaced_later_is_listed_on_the_policy_replacing_it(client, site, committed):
    with committed():
        new = PolicyPageFactory(parent=site["policies"], title="预算绩效管理办法（2026年修订）")
        old = PolicyPageFactory(parent=site["policies"], title="预算绩效管理暂行办法", document_number="财预〔2020〕10号")
    assert "本文件替代的文件" not in client.get(new.url).content.decode()
    with committed():
        old.replaced_by = new
        old.validity, old.validity_changed_on = "repealed", dt.date(2026, 11, 1)
        old.save_revision().publish()
    text = client.get(new.url).content.decode()
    assert "本文件替代的文件" in text and "预算绩效管理暂行办法" in text


# --- a dataset's kept 相关政策和新闻 section ---------------------------------------------------------------------


def test_a_dataset_shows_a_related_policy_retitled_or_unpublished_and_a_link_added_on_the_next_view(
        client, site, committed):
    from opendata.models import DatasetRelatedPage

    with committed():
        dataset = DatasetPageFactory(parent=site["home"], slug="budget-monthly", title="全国一般公共预算收支月度数据")
        policy = PolicyPageFactory(parent=site["policies"], title="关于公开预算收支数据的通知")
        news = ArticlePageFactory(parent=site["news"], title="即将撤下的数据解读")
        dataset.related_links.add(DatasetRelatedPage(page=policy), DatasetRelatedPage(page=news))
        dataset.save_revision().publish()
    text = client.get(dataset.url).content.decode()
    assert "关于公开预算收支数据的通知" in text and "即将撤下的数据解读" in text
    with committed():
        policy.title = "关于公开预算收支月度数据的通知"
        policy.save_revision().publish()
        news.unpublish()
    text = client.get(dataset.url).content.decode()
    assert "关于公开预算收支月度数据的通知" in text and "即将撤下的数据解读" not in text
    with committed():
        dataset.related_links.add(DatasetRelatedPage(page=PolicyPageFactory(parent=site["policies"],
                                                                            title="政府数据开放管理办法")))
        dataset.save_revision().publish()
    assert "政府数据开放管理办法" in client.get(dataset.url).content.decode()


def test_a_dataset_shows_its_new_rows_after_a_reimport_and_a_new_resource_on_the_next_view(client, site, committed):
    from opendata.ingest import resource_ingest
    from tests.opendata.factories import upload

    dataset = DatasetPageFactory(parent=site["home"], slug="budget-monthly", title="全国一般公共预算收支月度数据")
    with committed():
        resource = ingested(dataset, BUDGET_CSV.encode(), name="预算.csv")
    text = client.get(dataset.url).content.decode()
    assert "18845.6" in text and "共 4 行" in text
    revised = BUDGET_CSV.replace("18845.6", "18850.2") + "2025-03-31,税收收入,46113.9,-1.5\n"
    with committed():
        resource_ingest(resource=resource, upload=upload(revised.encode(), "预算.csv"), filename="预算.csv")
    text = client.get(dataset.url).content.decode()
    assert "18850.2" in text and "18845.6" not in text and "共 5 行" in text
    assert text.count('class="dataset__resource-name"') == 1
    with committed():
        ingested(dataset, BUDGET_CSV.encode(), name="预算补充表.csv")
    assert client.get(dataset.url).content.decode().count('class="dataset__resource-name"') == 2
