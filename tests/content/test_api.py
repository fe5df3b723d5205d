"""The JSON content API at /api/v1/: what a developer consuming it notices."""

import base64
import datetime as dt
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import PageViewRestriction

from content.models import PolicyAttachment
from tests.content.factories import (
    ArticlePageFactory,
    DepartmentFactory,
    InterpretationPageFactory,
    PolicyPageFactory,
    ProcurementNoticePageFactory,
    RegionFactory,
    ThemeFactory,
)

API = "/api/v1"
DAY = dt.date(2025, 6, 1)


@pytest.fixture(autouse=True)
def fresh_counters():
    """Rate-limit counters live in the cache; each test starts with none spent."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def budget():
    return ThemeFactory(slug="budget", name="预算管理")


@pytest.fixture
def treasury():
    return DepartmentFactory(code="GKS", name="国库司")


def get(client, path, **params):
    return client.get(f"{API}{path}", params)


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


# --- lists and details -----------------------------------------------------------------------------------


def test_article_list_shows_published_articles_newest_first_with_absolute_urls(client, news, budget, treasury):
    older = ArticlePageFactory(parent=news, date=DAY, theme=budget, department=treasury)
    newer = ArticlePageFactory(parent=news, date=DAY + dt.timedelta(days=1))

    response = get(client, "/articles")

    assert response.status_code == 200
    body = response.json()
    assert ids(response) == [newer.pk, older.pk]
    assert body["next"] is None and body["size"] == 2
    item = body["items"][1]
    assert item["title"] == older.title
    assert item["url"].startswith("http") and item["url"].endswith(older.url)
    assert item["date"] == "2025-06-01"
    assert item["theme"] == {"slug": "budget", "name": "预算管理"}
    assert item["department"] == {"code": "GKS", "name": "国库司"}
    assert body["items"][0]["theme"] is None
    assert "body_html" not in item


def test_article_detail_has_the_rendered_body(client, news):
    article = ArticlePageFactory(parent=news, author="新闻办",
                                 body=[("paragraph", '<p>详见<a href="/news/">新闻栏目</a>。</p>')])

    body = get(client, f"/articles/{article.pk}").json()

    assert body["id"] == article.pk and body["author"] == "新闻办"
    assert "详见" in body["body_html"]
    assert 'href="http://testserver/news/"' in body["body_html"]


def test_policy_list_and_detail_carry_the_metadata_block(client, policies, interpretations, treasury, settings,
                                                         tmp_path):
    settings.MEDIA_ROOT = tmp_path
    replacement = PolicyPageFactory(parent=policies, issuing_authority=treasury, date=DAY)
    repealed = PolicyPageFactory(parent=policies, issuing_authority=treasury, document_number="财库〔2020〕1号",
                                 written_date=dt.date(2020, 3, 2), date=dt.date(2020, 3, 5),
                                 validity="repealed", validity_changed_on=DAY, replaced_by=replacement)
    document = Document.objects.create(title="附件1", file=ContentFile(b"%PDF-1.4", name="fujian.pdf"))
    PolicyAttachment.objects.create(policy=repealed, document=document, title="", sort_order=0)
    reading = InterpretationPageFactory(parent=interpretations, policy=repealed, form="graphic")

    listed = get(client, "/policies").json()["items"]
    detail = get(client, f"/policies/{repealed.pk}").json()

    item = next(entry for entry in listed if entry["id"] == repealed.pk)
    assert item["index_number"] == repealed.index_number and item["index_number"].startswith("GKS/2020-")
    assert item["document_number"] == "财库〔2020〕1号"
    assert item["issuing_authority"] == {"code": "GKS", "name": "国库司"}
    assert item["written_date"] == "2020-03-02"
    assert item["validity"] == {"value": "repealed", "label": "废止"}
    assert item["validity_changed_on"] == DAY.isoformat()
    assert item["replaced_by"]["id"] == replacement.pk
    assert item["replaced_by"]["url"].endswith(replacement.url)
    assert detail["attachments"] == [{"title": "附件1", "url": f"http://testserver{document.url}"}]
    assert [(i["id"], i["form"]["label"]) for i in detail["interpretations"]] == [(reading.pk, "图解")]
    assert "各省" in detail["body_html"]


def test_interpretation_list_and_detail_link_back_to_the_policy(client, policies, interpretations):
    policy = PolicyPageFactory(parent=policies)
    reading = InterpretationPageFactory(parent=interpretations, policy=policy, source="财政部")

    item = get(client, "/interpretations").json()["items"][0]
    detail = get(client, f"/interpretations/{reading.pk}").json()

    assert item["id"] == reading.pk
    assert item["form"] == {"value": "text", "label": "文字解读"}
    assert item["policy"]["id"] == policy.pk and item["policy"]["url"].endswith(policy.url)
    assert detail["source"] == "财政部" and detail["video"] is None
    assert "答记者问" not in detail["body_html"] and "背景" in detail["body_html"]


def test_notice_list_and_detail_give_amounts_as_strings_and_local_times(client, procurement):
    deadline = timezone.make_aware(dt.datetime(2025, 7, 1, 9, 30))
    notice = ProcurementNoticePageFactory(parent=procurement, max_price=Decimal("1200000.50"),
                                          bid_deadline=deadline, bid_opening=deadline)

    item = get(client, "/notices").json()["items"][0]
    detail = get(client, f"/notices/{notice.pk}").json()

    assert item["notice_type"] == {"value": "open_tender", "label": "公开招标"}
    assert item["procurement_method"]["value"] == "open_tender"
    assert item["category"] == {"value": "goods", "label": "货物"}
    assert item["project_code"] == notice.project_code and item["project_name"] == "办公设备采购项目"
    assert item["region"] == {"code": "110000", "name": "北京市"}
    assert item["budget_amount"] == "1280000.00" and item["max_price"] == "1200000.50"
    assert item["award_amount"] is None
    assert item["bid_deadline"].startswith("2025-07-01T09:30:00") and item["bid_deadline"].endswith("+08:00")
    assert detail["purchaser"] == "财政部信息网络中心" and "body_html" in detail


# --- filters ---------------------------------------------------------------------------------------------


def test_article_filters_narrow_and_combine(client, news, budget, treasury):
    both = ArticlePageFactory(parent=news, theme=budget, department=treasury, date=DAY)
    theme_only = ArticlePageFactory(parent=news, theme=budget, date=DAY)
    department_only = ArticlePageFactory(parent=news, department=treasury, date=DAY)
    last_year = ArticlePageFactory(parent=news, theme=budget, date=dt.date(2024, 6, 1))

    assert set(ids(get(client, "/articles", theme="budget"))) == {both.pk, theme_only.pk, last_year.pk}
    assert set(ids(get(client, "/articles", department="GKS"))) == {both.pk, department_only.pk}
    assert ids(get(client, "/articles", theme="budget", department="GKS")) == [both.pk]
    assert ids(get(client, "/articles", theme="budget", year="2024")) == [last_year.pk]


def test_date_range_includes_both_ends(client, news):
    pages = {day: ArticlePageFactory(parent=news, date=DAY + dt.timedelta(days=day)) for day in range(5)}

    response = get(client, "/articles", date_from="2025-06-02", date_to="2025-06-04")

    assert ids(response) == [pages[3].pk, pages[2].pk, pages[1].pk]
    assert ids(get(client, "/articles", date_from="2025-06-04")) == [pages[4].pk, pages[3].pk]


def test_policy_filters_narrow(client, policies, treasury):
    other = DepartmentFactory(code="YSS", name="预算司")
    mine = PolicyPageFactory(parent=policies, issuing_authority=treasury, document_number="财库〔2025〕7号")
    theirs = PolicyPageFactory(parent=policies, issuing_authority=other, document_number="财预〔2025〕8号",
                               validity="expired", validity_changed_on=DAY)

    assert ids(get(client, "/policies", authority="GKS")) == [mine.pk]
    assert ids(get(client, "/policies", number="财预")) == [theirs.pk]
    assert ids(get(client, "/policies", validity="expired")) == [theirs.pk]
    assert ids(get(client, "/policies", authority="GKS", validity="expired")) == []


def test_interpretation_filter_by_policy(client, policies, interpretations):
    first, second = PolicyPageFactory(parent=policies), PolicyPageFactory(parent=policies)
    about_first = InterpretationPageFactory(parent=interpretations, policy=first)
    InterpretationPageFactory(parent=interpretations, policy=second)

    assert ids(get(client, "/interpretations", policy=str(first.pk))) == [about_first.pk]


def test_notice_filters_narrow_and_combine(client, procurement):
    shanghai = RegionFactory(code="310000", name="上海市")
    tender = ProcurementNoticePageFactory(parent=procurement, project_code="ZB-1")
    award = ProcurementNoticePageFactory(parent=procurement, project_code="ZB-1", notice_type="award",
                                         supplier="某某科技有限公司", award_amount=Decimal("990000"))
    services = ProcurementNoticePageFactory(parent=procurement, region=shanghai, category="services",
                                            procurement_method="consultation", notice_type="consultation")

    assert ids(get(client, "/notices", type="award")) == [award.pk]
    assert ids(get(client, "/notices", method="consultation")) == [services.pk]
    assert ids(get(client, "/notices", category="services")) == [services.pk]
    assert ids(get(client, "/notices", region="310000")) == [services.pk]
    assert set(ids(get(client, "/notices", project="ZB-1"))) == {tender.pk, award.pk}
    assert ids(get(client, "/notices", project="ZB-1", type="open_tender")) == [tender.pk]


def test_project_timeline_lists_the_notices_in_stage_order(client, procurement):
    code = "GC/2025-001"
    award = ProcurementNoticePageFactory(parent=procurement, project_code=code, notice_type="award", date=DAY,
                                         supplier="某某科技有限公司", award_amount=Decimal("990000"))
    correction = ProcurementNoticePageFactory(parent=procurement, project_code=code, notice_type="correction",
                                              date=DAY - dt.timedelta(days=5))
    tender = ProcurementNoticePageFactory(parent=procurement, project_code=code, date=DAY - dt.timedelta(days=20))
    ProcurementNoticePageFactory(parent=procurement, project_code="OTHER")

    response = get(client, f"/projects/{code}")

    assert response.status_code == 200
    body = response.json()
    assert body["project_code"] == code and body["project_name"] == "办公设备采购项目"
    assert [n["id"] for n in body["notices"]] == [tender.pk, correction.pk, award.pk]
    assert body["notices"][-1]["supplier"] == "某某科技有限公司"
    assert get(client, "/projects/NOPE").status_code == 404


# --- pagination ------------------------------------------------------------------------------------------


def test_cursor_pagination_walks_every_item_once(client, news):
    # Several articles share a day, so the cursor must break ties by id.
    pages = [ArticlePageFactory(parent=news, date=DAY - dt.timedelta(days=n // 3)) for n in range(23)]
    expected = [p.pk for p in sorted(pages, key=lambda p: (p.date, p.pk), reverse=True)]

    seen, url, requests = [], f"{API}/articles?size=5", 0
    while url:
        body = client.get(url).json()
        seen += [item["id"] for item in body["items"]]
        assert body["size"] == len(body["items"]) <= 5
        url, requests = body["next"], requests + 1
        if url:
            assert url.startswith("http://testserver/api/v1/articles?") and "size=5" in url

    assert seen == expected
    assert requests == 5


def test_blank_parameters_mean_their_defaults(client, news):
    ArticlePageFactory(parent=news)

    response = get(client, "/articles", size="", cursor="", theme="", date_from="")

    assert response.status_code == 200 and len(response.json()["items"]) == 1


def test_next_link_keeps_the_filters(client, news, budget):
    for _ in range(3):
        ArticlePageFactory(parent=news, theme=budget)
    ArticlePageFactory(parent=news)

    first = get(client, "/articles", theme="budget", size="2").json()
    query = parse_qs(urlsplit(first["next"]).query)
    second = client.get(first["next"]).json()

    assert query["theme"] == ["budget"] and query["size"] == ["2"] and query["cursor"]
    assert len(second["items"]) == 1 and second["next"] is None


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/articles", "/policies", "/interpretations", "/notices"])
def test_query_count_does_not_grow_with_page_size(client, news, policies, interpretations, procurement, budget,
                                                  treasury, path):
    for _ in range(12):
        article = ArticlePageFactory(parent=news, theme=budget, department=treasury)
        older = PolicyPageFactory(parent=policies, theme=budget, department=treasury)
        policy = PolicyPageFactory(parent=policies, validity="amended", validity_changed_on=DAY, replaced_by=older)
        InterpretationPageFactory(parent=interpretations, policy=policy, theme=budget, department=treasury)
        ProcurementNoticePageFactory(parent=procurement, theme=budget, department=treasury)
    client.get(f"{API}{path}")  # the site's root paths are cached after the first request

    assert count_queries(client, f"{API}{path}?size=2") == count_queries(client, f"{API}{path}?size=10")


def test_deep_page_costs_the_same_queries_as_the_first(client, news):
    for n in range(40):
        ArticlePageFactory(parent=news, date=DAY - dt.timedelta(days=n))
    client.get(f"{API}/articles")

    first = count_queries(client, f"{API}/articles?size=5")
    url = f"{API}/articles?size=5"
    for _ in range(6):
        url = client.get(url).json()["next"]
    deep = count_queries(client, url)

    assert deep == first


# --- bad input -------------------------------------------------------------------------------------------

LONG = "x" * 5000


@pytest.mark.parametrize(
    ("path", "params", "param"),
    [
        ("/articles", {"date_from": "2025-13-45"}, "date_from"),
        ("/articles", {"date_to": "昨天"}, "date_to"),
        ("/articles", {"year": "abc"}, "year"),
        ("/articles", {"theme": "nonexistent"}, "theme"),
        ("/articles", {"department": "nope"}, "department"),
        ("/notices", {"type": "foo"}, "type"),
        ("/notices", {"region": "999999"}, "region"),
        ("/policies", {"validity": "forever"}, "validity"),
        ("/interpretations", {"policy": "abc"}, "policy"),
        ("/articles", {"page": "abc"}, "page"),
        ("/articles", {"cursor": "abc"}, "cursor"),
        ("/articles", {"cursor": "游标"}, "cursor"),
        ("/articles", {"size": "-1"}, "size"),
        ("/articles", {"size": "0"}, "size"),
        ("/articles", {"size": "1000"}, "size"),
        ("/articles", {"size": "abc"}, "size"),
        ("/articles", {"theme": LONG}, "theme"),
        ("/policies", {"number": LONG}, "number"),
        ("/notices", {"project": LONG}, "project"),
        ("/articles", {"cursor": LONG}, "cursor"),
        ("/articles", {"size": "9" * 5000}, "size"),
        ("/articles/abc", {}, "id"),
        (f"/projects/{LONG}", {}, "project_code"),
    ],
)
def test_bad_input_gets_400_naming_the_parameter(client, news, path, params, param):
    ArticlePageFactory(parent=news)

    response = get(client, path, **params)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    errors = response.json()["detail"]
    assert errors[0]["param"] == param
    assert errors[0]["message"]


def test_forged_cursor_with_a_valid_shape_but_an_impossible_date_is_400(client, news):
    forged = base64.urlsafe_b64encode(b"2025-02-30~1").decode().rstrip("=")

    response = get(client, "/articles", cursor=forged)

    assert response.status_code == 400 and response.json()["detail"][0]["param"] == "cursor"


# --- not found and unpublished ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/articles", "/policies", "/interpretations", "/notices"])
def test_unknown_id_is_404_json(client, home, path):
    for page_id in (999999, 2**40):
        response = get(client, f"{path}/{page_id}")
        assert response.status_code == 404
        assert response.json()["detail"]


def test_id_of_another_kind_is_404(client, news):
    article = ArticlePageFactory(parent=news)

    assert get(client, f"/policies/{article.pk}").status_code == 404


def test_unpublished_page_is_not_listed_and_its_id_is_404(client, news):
    kept = ArticlePageFactory(parent=news)
    withdrawn = ArticlePageFactory(parent=news)
    draft = ArticlePageFactory(parent=news, live=False)
    withdrawn.unpublish()

    assert ids(get(client, "/articles")) == [kept.pk]
    assert get(client, f"/articles/{withdrawn.pk}").status_code == 404
    assert get(client, f"/articles/{draft.pk}").status_code == 404


def test_private_page_is_not_listed(client, news):
    public = ArticlePageFactory(parent=news)
    private = ArticlePageFactory(parent=news)
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="secret")

    assert ids(get(client, "/articles")) == [public.pk]
    assert get(client, f"/articles/{private.pk}").status_code == 404


def test_replacement_that_is_unpublished_is_not_linked(client, policies):
    replacement = PolicyPageFactory(parent=policies)
    old = PolicyPageFactory(parent=policies, validity="repealed", validity_changed_on=DAY, replaced_by=replacement)
    replacement.unpublish()

    assert get(client, f"/policies/{old.pk}").json()["replaced_by"] is None


# --- OpenAPI, CORS, rate limits --------------------------------------------------------------------------


def test_openapi_document_lists_every_endpoint_and_filter(client, db):  # the docs page wears the site header
    response = client.get(f"{API}/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "金财门户内容接口"
    assert set(schema["paths"]) >= {
        f"{API}/articles", f"{API}/articles/{{id}}", f"{API}/policies", f"{API}/policies/{{id}}",
        f"{API}/interpretations", f"{API}/interpretations/{{id}}", f"{API}/notices", f"{API}/notices/{{id}}",
        f"{API}/projects/{{project_code}}",
    }
    notice_params = {p["name"] for p in schema["paths"][f"{API}/notices"]["get"]["parameters"]}
    assert notice_params >= {"year", "theme", "department", "date_from", "date_to", "type", "method", "category",
                             "region", "project", "cursor", "size"}
    assert client.get(f"{API}/docs").status_code == 200


def test_cross_origin_get_is_allowed(client, news):
    response = client.get(f"{API}/articles", headers={"Origin": "https://example.org"})

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight_for_get_succeeds(client):
    response = client.options(f"{API}/articles", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "GET",
    })

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "POST" not in response["Access-Control-Allow-Methods"]


def test_pages_outside_the_api_get_no_cors_headers(client, news):
    response = client.get("/news/", headers={"Origin": "https://example.org"})

    assert "Access-Control-Allow-Origin" not in response


def test_too_many_requests_get_429_with_retry_after(client, news, settings):
    settings.CONTENT_API_RATE = "3/m"

    statuses = [get(client, "/articles").status_code for _ in range(3)]
    limited = get(client, "/articles")

    assert statuses == [200, 200, 200]
    assert limited.status_code == 429
    assert limited.json() == {"detail": "请求过于频繁，请稍后再试。"}
    assert 1 <= int(limited["Retry-After"]) <= 60
    # Another client is counted on its own.
    assert client.get(f"{API}/articles", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_rate_limit_counts_the_address_the_proxy_reports(client, news, settings):
    settings.CONTENT_API_RATE = "2/m"
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"

    for _ in range(2):
        assert client.get(f"{API}/articles", headers={"X-Real-IP": "203.0.113.7"}).status_code == 200

    assert client.get(f"{API}/articles", headers={"X-Real-IP": "203.0.113.7"}).status_code == 429
    assert client.get(f"{API}/articles", headers={"X-Real-IP": "203.0.113.8"}).status_code == 200
