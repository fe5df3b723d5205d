"""What a reader sees on news, policy, interpretation, procurement and topic pages."""

import datetime as dt
from decimal import Decimal

import pytest

from content.models import PolicyPage
from tests.content.factories import (
    ArticlePageFactory,
    DepartmentFactory,
    InterpretationPageFactory,
    PolicyPageFactory,
    ProcurementNoticePageFactory,
    RegionFactory,
    ThemeFactory,
    TopicPageFactory,
)

pytestmark = pytest.mark.django_db


def test_article_shows_its_metadata_body_and_table(client, news):
    article = ArticlePageFactory(
        parent=news, title="1-10月全国一般公共预算收支情况", subtitle="财政收入保持恢复性增长",
        date=dt.date(2026, 11, 14), source="国库司", author="国库司",
        body=[
            ("heading", "一、全国一般公共预算收入情况"),
            ("paragraph", "<p>1-10月累计，全国一般公共预算收入186,490亿元。</p>"),
            ("table", {"data": [["项目", "金额（亿元）"], ["税收收入", "152,388"]],
                       "first_row_is_table_header": True, "first_col_is_header": False}),
        ],
    )

    text = client.get(article.url).content.decode()

    assert "财政收入保持恢复性增长" in text
    assert "2026年11月14日" in text and "来源：国库司" in text
    assert "<h2>一、全国一般公共预算收入情况</h2>" in text
    assert '<th scope="col"' in text and "152,388" in text


def test_policy_gets_an_index_number_from_its_department_and_year(policies):
    department = DepartmentFactory(code="000014349", name="预算司")
    first = PolicyPageFactory(parent=policies, issuing_authority=department, written_date=dt.date(2025, 3, 1))
    second = PolicyPageFactory(parent=policies, issuing_authority=department, written_date=dt.date(2025, 6, 1))
    next_year = PolicyPageFactory(parent=policies, issuing_authority=department, written_date=dt.date(2026, 1, 5))

    assert first.index_number == "000014349/2025-00001"
    assert second.index_number == "000014349/2025-00002"
    assert next_year.index_number == "000014349/2026-00001"


def test_a_copied_policy_gets_its_own_index_number(policies):
    policy = PolicyPageFactory(parent=policies, written_date=dt.date(2025, 3, 1))

    copy = policy.copy(update_attrs={"slug": "copy", "title": "副本"}).specific

    assert copy.index_number and copy.index_number != policy.index_number


def test_policy_page_shows_the_metadata_block_above_the_text(client, policies):
    policy = PolicyPageFactory(
        parent=policies, title="关于进一步加强财政总会计核算管理的通知", document_number="财库〔2025〕3号",
        written_date=dt.date(2025, 1, 20), date=dt.date(2025, 1, 24),
        issuing_authority=DepartmentFactory(code="000014352", name="国库司"),
        theme=ThemeFactory(name="国库管理", slug="treasury"),
    )

    text = client.get(policy.url).content.decode()

    for label, value in [("索引号", policy.index_number), ("发文机关", "国库司"), ("发文字号", "财库〔2025〕3号"),
                         ("成文日期", "2025年1月20日"), ("发布日期", "2025年1月24日"), ("主题分类", "国库管理"),
                         ("有效性", "有效")]:
        assert f'<th scope="row">{label}</th><td>{value}</td>' in text
    assert text.index("metadata-table") < text.index("article__body")
    assert "validity-banner" not in text


def test_repealed_policy_shows_banner_and_links_to_replacement(client, policies):
    replacement = PolicyPageFactory(parent=policies, title="政府采购货物和服务招标投标管理办法（2025年修订）")
    old = PolicyPageFactory(parent=policies, title="政府采购货物和服务招标投标管理办法", validity="repealed",
                            validity_changed_on=dt.date(2025, 7, 1), replaced_by=replacement)

    text = client.get(old.url).content.decode()

    assert "本文件已于2025年7月1日废止。" in text
    assert f'href="{replacement.url}"' in text
    assert "本文件替代的文件" in client.get(replacement.url).content.decode()


def test_policy_no_longer_valid_needs_a_date(policies):
    policy = PolicyPageFactory(parent=policies)
    policy.validity = "expired"

    with pytest.raises(Exception) as error:
        policy.full_clean()

    assert "validity_changed_on" in str(error.value)


def test_policy_and_interpretation_link_both_ways(client, policies, interpretations):
    policy = PolicyPageFactory(parent=policies, title="关于实施小微企业融资担保降费奖补政策的通知")
    words = InterpretationPageFactory(parent=interpretations, policy=policy, title="一图读懂融资担保降费奖补政策",
                                      form="graphic")
    draft = InterpretationPageFactory(parent=interpretations, policy=policy, title="尚未发布的解读", live=False)

    policy_text = client.get(policy.url).content.decode()
    interpretation_text = client.get(words.url).content.decode()

    assert f'href="{words.url}"' in policy_text and "图解" in policy_text
    assert draft.title not in policy_text
    assert "解读的文件" in interpretation_text and f'href="{policy.url}"' in interpretation_text


def test_procurement_notices_of_one_project_form_a_timeline_on_each(client, procurement):
    code = "ZC2025-0137"
    common = {"parent": procurement, "project_code": code, "project_name": "网络安全运维服务项目"}
    tender = ProcurementNoticePageFactory(**common, notice_type="open_tender", date=dt.date(2025, 3, 3),
                                          title="网络安全运维服务项目公开招标公告")
    award = ProcurementNoticePageFactory(**common, notice_type="award", date=dt.date(2025, 4, 10),
                                         supplier="北京安信科技有限公司", award_amount=Decimal("1190000"),
                                         title="网络安全运维服务项目中标公告")
    correction = ProcurementNoticePageFactory(**common, notice_type="correction", date=dt.date(2025, 3, 12),
                                              title="网络安全运维服务项目更正公告")
    ProcurementNoticePageFactory(parent=procurement, project_code="ZC2025-0999", title="另一个项目的公告")

    for notice in (tender, correction, award):
        text = client.get(notice.url).content.decode()
        timeline = text[text.index('class="timeline"'):]
        positions = [timeline.index(title) for title in (tender.title, correction.title, award.title)]
        assert positions == sorted(positions)
        assert "另一个项目的公告" not in timeline
        assert 'aria-current="page">' + notice.title in timeline

    award_text = client.get(award.url).content.decode()
    assert "北京安信科技有限公司" in award_text and "1,190,000.00元" in award_text


def test_award_notice_needs_supplier_and_amount(procurement):
    notice = ProcurementNoticePageFactory(parent=procurement, notice_type="open_tender")
    notice.notice_type = "award"

    with pytest.raises(Exception) as error:
        notice.full_clean()

    assert "supplier" in str(error.value) and "award_amount" in str(error.value)


def test_topic_lists_everything_tagged_with_it(client, topics, news, policies, procurement):
    topic = TopicPageFactory(parent=topics, tag="政府和社会资本合作")
    tagged = [
        ArticlePageFactory(parent=news, title="PPP新机制项目推介会召开"),
        PolicyPageFactory(parent=policies, title="关于规范实施政府和社会资本合作新机制的指导意见"),
        ProcurementNoticePageFactory(parent=procurement, title="某市污水处理PPP项目资格预审公告"),
    ]
    for page in tagged:
        page.tags.add("政府和社会资本合作")
        page.save()
    ArticlePageFactory(parent=news, title="与专题无关的新闻")

    text = client.get(topic.url).content.decode()

    assert all(page.title in text for page in tagged)
    assert "与专题无关的新闻" not in text


class TestColumnFilters:
    def test_policy_filters_combine_and_survive_pagination(self, client, policies):
        budget = DepartmentFactory(code="000014349", name="预算司")
        treasury = DepartmentFactory(code="000014352", name="国库司")
        for n in range(25):
            PolicyPageFactory(parent=policies, issuing_authority=budget, date=dt.date(2025, 1, 1) + dt.timedelta(n),
                              title=f"预算司2025年文件{n:02d}")
        PolicyPageFactory(parent=policies, issuing_authority=treasury, date=dt.date(2025, 5, 1), title="国库司文件")
        PolicyPageFactory(parent=policies, issuing_authority=budget, date=dt.date(2024, 5, 1), title="预算司2024年文件")

        first = client.get(policies.url, {"year": "2025", "authority": "000014349"}).content.decode()
        second = client.get(policies.url, {"year": "2025", "authority": "000014349", "page": "2"}).content.decode()

        assert "国库司文件" not in first + second and "预算司2024年文件" not in first + second
        assert "共找到 25 条" in first
        assert "year=2025&amp;authority=000014349&amp;page=2" in first
        assert len([n for n in range(25) if f"预算司2025年文件{n:02d}" in first + second]) == 25

    def test_procurement_filters_by_type_region_and_category(self, client, procurement):
        shanghai = RegionFactory(code="310000", name="上海市")
        ProcurementNoticePageFactory(parent=procurement, title="上海货物中标", notice_type="award", region=shanghai,
                                     supplier="甲公司", award_amount=Decimal(1), category="goods")
        ProcurementNoticePageFactory(parent=procurement, title="上海服务中标", notice_type="award", region=shanghai,
                                     supplier="乙公司", award_amount=Decimal(1), category="services")
        ProcurementNoticePageFactory(parent=procurement, title="北京货物招标", notice_type="open_tender")

        text = client.get(procurement.url, {"type": "award", "region": "310000", "category": "goods"}).content.decode()

        assert "上海货物中标" in text
        assert "上海服务中标" not in text and "北京货物招标" not in text
        assert '<option value="award" selected>' in text

    @pytest.mark.parametrize("query", [{"year": "abc"}, {"type": "nonsense"}, {"region": "999999"},
                                       {"project": "文" * 5000}, {"page": "-1"}])
    def test_bad_filter_values_get_a_400_naming_the_parameter(self, client, procurement, query):
        response = client.get(procurement.url, query)

        assert response.status_code == 400
        assert f"参数 {next(iter(query))} 无效" in response.content.decode()

    def test_query_count_does_not_grow_with_content(self, client, procurement, django_assert_max_num_queries):
        from tests.utils import count_queries

        ProcurementNoticePageFactory(parent=procurement)
        url = f"{procurement.url}?category=goods"
        client.get(url)
        few = count_queries(client, url)
        for _ in range(30):
            ProcurementNoticePageFactory(parent=procurement)
        client.get(url)

        assert count_queries(client, url) == few


def test_unpublishing_removes_a_page_from_column_home_and_sitemap(client, home, news):
    home.headline_section = news
    home.save()
    article = ArticlePageFactory(parent=news, title="将被撤下的新闻")
    assert all("将被撤下的新闻" in client.get(url).content.decode() for url in ("/", news.url))
    assert article.full_url in client.get("/sitemap-pages.xml").content.decode()

    article.unpublish()

    assert not any("将被撤下的新闻" in client.get(url).content.decode() for url in ("/", news.url))
    assert article.full_url not in client.get("/sitemap-pages.xml").content.decode()


def test_policy_index_numbers_are_unique_in_the_database(policies):
    from django.db import IntegrityError, transaction

    policy = PolicyPageFactory(parent=policies)
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyPage.objects.filter(pk=PolicyPageFactory(parent=policies).pk).update(index_number=policy.index_number)
