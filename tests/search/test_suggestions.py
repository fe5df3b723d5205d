from search.analyzer import query_tokens
from search.models import PopularQuery, PopularStatus, Synonym
from search.popular import popular_query_decide
from search.suggestions import pinyin_of, pinyin_terms, record_query, suggest
from search.synonyms import expand


def test_pinyin_initials_and_full_spelling_find_finance_terms(db):
    assert pinyin_of("财政预算") == ("caizhengyusuan", "czys")
    assert pinyin_terms("czys")[0] == "财政预算"
    assert all(term.startswith("财政预算") for term in pinyin_terms("czys"))
    assert "国库集中支付" in pinyin_terms("gkjz")
    assert "减税降费" in pinyin_terms("jianshui")


def allowed(text: str) -> PopularQuery:
    """`text` searched by enough distinct visitors, and allowed by an editor."""
    for number in range(5):
        record_query(text, visitor=f"visitor-{number}")
    query = PopularQuery.objects.get(text=text)
    popular_query_decide(queries=[query], status=PopularStatus.ALLOWED, actor=None)
    return query


def test_suggestions_by_pinyin_include_popular_queries(db):
    allowed("财政预算报告")

    texts = [(s.text, s.kind) for s in suggest("czys")]

    assert texts[0] == ("财政预算", "term")
    assert ("财政预算报告", "popular") in texts


def test_queries_that_look_like_personal_data_are_never_recorded(db, settings):
    settings.POPULAR_SEARCH_MIN_VISITORS = 1
    record_query("110101199003077777", visitor="one")
    record_query("someone@example.com", visitor="one")

    assert not PopularQuery.objects.exists()


def test_blocked_popular_queries_are_not_suggested(db):
    query = allowed("预算公开平台在哪里")
    assert "预算公开平台在哪里" in [s.text for s in suggest("预算公开")]

    popular_query_decide(queries=[query], status=PopularStatus.BLOCKED, actor=None)
    assert "预算公开平台在哪里" not in [s.text for s in suggest("预算公开")]


def test_seeded_synonym_groups_expand_both_ways(db):
    ppp = expand(query_tokens("PPP项目"))
    full = expand(query_tokens("政府和社会资本合作"))

    assert set(ppp.terms[0]) == {"ppp", "政府和社会资本合作"}
    assert {"ppp", "政府和社会资本合作"} <= set(full.terms[0])  # plus its inner words, as any word has
    assert ppp.also_searched() == ["政府和社会资本合作"]
    assert Synonym.objects.count() >= 30


def test_an_editors_new_synonym_applies_at_once(db):
    Synonym.objects.create(terms="两会\n全国人民代表大会和中国人民政治协商会议")

    assert "全国人民代表大会和中国人民政治协商会议" in expand(query_tokens("两会")).also_searched()
