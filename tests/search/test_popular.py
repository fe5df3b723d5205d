"""大家都在搜 and the suggestions nobody can write into: a query counts only after enough distinct visitors found
something with it, and is shown only once an editor allowed it (设置 › 热门搜索)."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from audit.models import Action, AuditRecord
from search.models import PopularQuery, PopularStatus, QuerySighting
from search.popular import candidate_text, popular_query_record, refusal, visitor_key
from tests.content.factories import ArticlePageFactory
from tests.factories import UserFactory

QUERY = "债券发行情况"


@pytest.fixture
def site(home, section, site_index, settings):
    settings.POPULAR_SEARCH_MIN_VISITORS = 5
    settings.POPULAR_SEARCH_WINDOW_DAYS = 7
    ArticlePageFactory(parent=section, title="地方政府专项债券发行情况")
    ArticlePageFactory(parent=section, title="政府采购<改革>进展 www.example.com")
    site_index()
    return home


def search_from(client, address: str, q: str = QUERY):
    response = client.get("/search/", {"q": q}, REMOTE_ADDR=address)
    assert response.status_code == 200
    return response


def shown_anywhere(client, text: str) -> bool:
    """Whether `text` is offered to the public: under 大家都在搜, in the suggestion API or the browser suggestions."""
    page = client.get("/search/").content.decode()
    api = client.get("/api/search/v1/suggest", {"q": text[:2]}).json()
    browser = json.loads(client.get("/search/suggest/", {"q": text[:2]}).content)
    popular = [s["text"] for s in api["suggestions"] if s["kind"] == "popular"]
    shown = page.split("大家都在搜：", 1)[1].split("</p>", 1)[0] if "大家都在搜：" in page else ""
    return f">{text}<" in shown or text in popular or text in browser[1]


@pytest.fixture
def moderator(db):
    return UserFactory(username="moderator", is_staff=True, is_superuser=True)


def decide(client, moderator, action: str, *queries: PopularQuery):
    client.force_login(moderator)
    ids = "&".join(f"id={query.pk}" for query in queries)
    response = client.post(f"/admin/bulk/search/popularquery/{action}/?{ids}&next=/admin/snippets/search/popularquery/")
    assert response.status_code == 302, response.content.decode()[:500]
    client.logout()


def test_three_searches_from_one_visitor_put_nothing_into_popular_searches_or_suggestions(client, site):
    for _ in range(3):
        search_from(client, "203.0.113.7")

    assert not shown_anywhere(client, QUERY)
    assert not PopularQuery.objects.exists()


def test_enough_distinct_visitors_make_a_candidate_that_shows_only_once_an_editor_allowed_it(client, site, moderator):
    for number in range(4):
        search_from(client, f"203.0.113.{number}")
    assert not PopularQuery.objects.exists()  # four visitors are not enough

    search_from(client, "198.51.100.20")
    candidate = PopularQuery.objects.get(text=QUERY)
    assert candidate.status == PopularStatus.PENDING and candidate.visitors == 5
    assert not shown_anywhere(client, QUERY)

    decide(client, moderator, "allow_popular", candidate)

    assert shown_anywhere(client, QUERY)
    record = AuditRecord.objects.get(action=Action.SEARCH_MODERATION)
    assert record.actor_name == "moderator" and QUERY in record.target
    assert record.detail["decision"] == "allowed"


def test_a_blocked_query_is_never_shown_again_however_many_search_it(client, site, moderator):
    for number in range(5):
        search_from(client, f"203.0.113.{number}")
    candidate = PopularQuery.objects.get(text=QUERY)
    decide(client, moderator, "allow_popular", candidate)
    decide(client, moderator, "block_popular", candidate)

    for number in range(10, 30):
        search_from(client, f"203.0.113.{number}")

    candidate.refresh_from_db()
    assert candidate.status == PopularStatus.BLOCKED and candidate.decided_by == "moderator"
    assert not shown_anywhere(client, QUERY)
    decisions = AuditRecord.objects.filter(action=Action.SEARCH_MODERATION).order_by("seq")
    assert [record.detail["decision"] for record in decisions] == ["allowed", "blocked"]


def test_a_query_that_finds_nothing_never_counts(client, site):
    for number in range(8):
        search_from(client, f"203.0.113.{number}", q="完全没有这个词语")

    assert not QuerySighting.objects.exists()
    assert not PopularQuery.objects.exists()


def test_visitors_are_stored_as_salted_hashes_not_addresses(client, site):
    search_from(client, "203.0.113.77")

    sighting = QuerySighting.objects.get()
    assert "203.0.113.77" not in sighting.visitor and len(sighting.visitor) == 64
    assert visitor_key("203.0.113.77") == sighting.visitor  # the same visitor, the same key
    # One household's IPv6 /64 is one visitor.
    assert visitor_key("2001:db8::1") == visitor_key("2001:db8::ffff:1")
    assert visitor_key("2001:db8::1") != visitor_key("2001:db8:0:1::1")


def test_visitors_older_than_the_window_no_longer_count(db, settings):
    settings.POPULAR_SEARCH_MIN_VISITORS, settings.POPULAR_SEARCH_WINDOW_DAYS = 3, 7
    now = timezone.now()
    for number in range(2):
        popular_query_record(text=QUERY, visitor=f"v{number}", now=now - dt.timedelta(days=8))

    assert popular_query_record(text=QUERY, visitor="v9", now=now) is None
    assert QuerySighting.objects.count() == 1


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>", "<b>采购</b>", "采购\" onmouseover=\"x", "{{7*7}}",
    "http://evil.example/采购", "www.evil.cn", "加微信 evil.com", "采购 t.cn/abc",
    "13812345678", "138 1234 5678", "138-1234-5678", "１３８１２３４５６７８",
    "110101199003077777", "11010119900307777X", "身份证110101 19900307 777x", "6222021234567890123",
    "someone@example.com", "采购\u202e", "采购" * 20,
    "6222 2024 2025 1234", "2024 13812345678", "%E5%A4%A7", "50%%", "#采购#",
])
def test_hostile_text_never_becomes_a_candidate(db, settings, text):
    settings.POPULAR_SEARCH_MIN_VISITORS = 1

    assert candidate_text(text) == "", refusal(text)
    assert popular_query_record(text=text, visitor="one") is None
    assert not QuerySighting.objects.exists()


@pytest.mark.parametrize("text", [
    "专项债券", "2025年预算", "PPP项目", "政府采购 公告", "财政部令第87号",
    "2024 2025 预算", "2023-2025年 专项债", "增值税 3%", "1949-2024 财政史",
])
def test_ordinary_queries_may_become_candidates(text):
    assert candidate_text(text) == text


def test_hostile_text_that_finds_results_is_not_counted_from_the_search_page(client, site):
    for number in range(6):
        search_from(client, f"203.0.113.{number}", q="<改革> www.example.com")

    assert not QuerySighting.objects.exists()
    assert not PopularQuery.objects.exists()


def test_editors_can_neither_add_nor_delete_a_popular_search_by_hand(client, moderator):
    blocked = PopularQuery.objects.create(text="被屏蔽的词", status=PopularStatus.BLOCKED)
    client.force_login(moderator)

    assert client.get("/admin/snippets/search/popularquery/add/").status_code in (302, 403)
    assert client.get(f"/admin/snippets/search/popularquery/delete/{blocked.pk}/").status_code in (302, 403)
    assert client.get("/admin/snippets/search/popularquery/").status_code == 200
    assert PopularQuery.objects.filter(pk=blocked.pk, status=PopularStatus.BLOCKED).exists()
