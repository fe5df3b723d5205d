import datetime as dt

from django.utils import timezone

from portal.models import DataHighlight, ServiceShortcut, TopicBanner
from tests.factories import InfoPageFactory, SectionPageFactory
from tests.utils import count_queries


def days_ago(n: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=n)


def test_empty_home_page_renders_every_region_with_a_note(client, home):
    page = client.get("/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "暂无要闻" in text
    assert "暂无政策文件" in text
    assert "暂无采购公告" in text


def test_headlines_come_from_the_chosen_column_newest_first_including_sub_columns(client, home):
    news = SectionPageFactory(parent=home, title="财政新闻", slug="news")
    important = SectionPageFactory(parent=news, title="财政要闻", slug="important")
    InfoPageFactory(parent=important, title="全国财政工作会议在京召开", published=days_ago(3))
    InfoPageFactory(parent=news, title="财政部部署预算绩效管理工作", published=days_ago(1))
    home.headline_section = news
    home.save()

    text = client.get("/").content.decode()

    assert text.index("财政部部署预算绩效管理工作") < text.index("全国财政工作会议在京召开")


def test_unpublished_entry_leaves_the_home_page(client, home):
    policies = SectionPageFactory(parent=home, title="政策发布", slug="policies")
    policy = InfoPageFactory(parent=policies, title="关于进一步加强国库集中支付管理的通知")
    home.policy_section = policies
    home.save()
    assert "关于进一步加强国库集中支付管理的通知" in client.get("/").content.decode()

    policy.unpublish()

    assert "关于进一步加强国库集中支付管理的通知" not in client.get("/").content.decode()


def test_home_regions_are_limited_to_their_size(client, home):
    procurement = SectionPageFactory(parent=home, title="政府采购", slug="procurement")
    for n in range(12):
        InfoPageFactory(parent=procurement, title=f"某市财政局办公设备采购项目公开招标公告（第{n}批）", published=days_ago(n))
    home.procurement_section = procurement
    home.save()

    text = client.get("/").content.decode()

    assert "（第0批）" in text
    assert "（第7批）" in text
    assert "（第8批）" not in text


def test_curated_regions_show_shortcuts_figures_and_topic_banners(client, home):
    guides = SectionPageFactory(parent=home, title="政务服务", slug="services")
    topic = SectionPageFactory(parent=home, title="减税降费", slug="tax-cuts")
    ServiceShortcut.objects.create(home=home, label="办事指南", description="查看事项办理要求", link_page=guides)
    DataHighlight.objects.create(home=home, label="一般公共预算收入", value="21.97", unit="万亿元", period="2024年")
    TopicBanner.objects.create(home=home, title="减税降费", subtitle="政策直达快享", link_page=topic)

    text = client.get("/").content.decode()

    assert "办事指南" in text and "查看事项办理要求" in text
    assert "21.97" in text and "万亿元" in text
    assert "政策直达快享" in text


def test_a_shortcut_to_an_unpublished_page_is_hidden(client, home):
    guides = SectionPageFactory(parent=home, title="政务服务", slug="services")
    ServiceShortcut.objects.create(home=home, label="在线申报", link_page=guides)
    guides.unpublish()

    assert "在线申报" not in client.get("/").content.decode()


def test_home_page_query_count_does_not_grow_with_content(client, home):
    news = SectionPageFactory(parent=home, title="财政新闻", slug="news")
    home.headline_section = home.policy_section = home.procurement_section = news
    home.save()
    InfoPageFactory(parent=news)
    client.get("/")  # warm the per-process caches
    small = count_queries(client, "/")
    for n in range(30):
        InfoPageFactory(parent=news, published=days_ago(n))

    assert count_queries(client, "/") == small
