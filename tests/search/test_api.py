"""The JSON search API at /api/search/v1/."""

import pytest

from tests.content.factories import ArticlePageFactory


@pytest.fixture
def site(home, section, site_index):
    ArticlePageFactory(parent=section, title="财政部发布政府采购公告")
    ArticlePageFactory(parent=section, title="推进政府和社会资本合作规范发展")
    site_index()
    return home


def test_search_answers_with_results_facets_and_highlights(client, site):
    data = client.get("/api/search/v1/search", {"q": "PPP"}).json()

    assert data["total"] == 1 and data["page"] == 1 and data["pages"] == 1
    result = data["results"][0]
    assert result["title"] == "推进政府和社会资本合作规范发展"
    assert result["title_html"] == "推进<mark>政府和社会资本合作</mark>规范发展"
    assert result["type"] == "article" and result["type_label"] == "财政新闻"
    assert data["facets"]["type"] == [{"value": "article", "label": "财政新闻", "count": 1, "selected": False}]
    assert data["also_searched"] == ["政府和社会资本合作"]


@pytest.mark.parametrize("params, param", [
    ({"q": "采购", "page": "abc"}, "page"), ({"q": "采购", "page": "-1"}, "page"),
    ({"q": "采购", "type": "nonsense"}, "type"), ({"q": "采购", "region": "火星"}, "region"),
    ({"q": "采购", "utm_source": "x"}, "utm_source"), ({"q": "采购", "order": "best"}, "order"),
])
def test_bad_parameters_get_a_400_naming_them(client, site, params, param):
    response = client.get("/api/search/v1/search", params)

    assert response.status_code == 400
    assert response.json()["detail"][0]["param"] == param


@pytest.mark.parametrize("q", ['"*NEAR(', "采" * 10_000, "\x00采购", "a:b AND (c"])
def test_odd_queries_get_an_answer(client, site, q):
    assert client.get("/api/search/v1/search", {"q": q}).status_code == 200


def test_suggest_spells_out_pinyin_and_completes_titles(client, site):
    assert client.get("/api/search/v1/suggest", {"q": "czys"}).json()["suggestions"][0] == {
        "text": "财政预算", "kind": "term", "url": ""}

    titles = client.get("/api/search/v1/suggest", {"q": "财政部发布"}).json()["suggestions"]
    assert [(s["text"], s["kind"]) for s in titles if s["url"].startswith("/news/")] == [
        ("财政部发布政府采购公告", "title")]


def test_suggest_refuses_unknown_parameters(client, db):
    response = client.get("/api/search/v1/suggest", {"q": "czys", "limit": "5"})

    assert response.status_code == 400 and response.json()["detail"][0]["param"] == "limit"


def test_the_api_is_described_in_openapi(client, db):
    schema = client.get("/api/search/v1/openapi.json").json()

    assert {"/api/search/v1/search", "/api/search/v1/suggest"} <= set(schema["paths"])
    parameters = {p["name"] for p in schema["paths"]["/api/search/v1/search"]["get"]["parameters"]}
    assert {"q", "type", "department", "year", "region", "order", "page"} <= parameters
