"""The search service: parse and check what was asked, analyse it, expand synonyms, ask the backend, and
shape the answer (highlighted results, facets, pages, help when nothing is found).

The page (search.views) and the JSON API (search.api) both call `parse_params` and `run_search`, so they accept
and refuse the same input. Bad input raises BadSearchParameter naming the parameter (a 400 on both).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from search import highlight
from search.analyzer import is_soft, normalize, query_tokens
from search.backends import database_backend, primary_backend
from search.backends.base import FACETS, SearchQuery, SearchResult
from search.documents import type_labels
from search.suggestions import pinyin_terms, popular_queries, record_query
from search.synonyms import Expansion, expand, synonym_groups

logger = logging.getLogger(__name__)

# Longer queries are cut here: real queries are a few words, and every token costs the backend a term.
MAX_QUERY_LENGTH = 100
MAX_FILTER_LENGTH = 100
PER_PAGE = 10
# Results beyond the 50th page are never needed, and Elasticsearch refuses deep offsets.
MAX_PAGE = 50
# Matching degrades gracefully: every term first; when that finds fewer than FALLBACK_BELOW pages, best match,
# where a page must hold every quoted term and at least half (rounded up) of the others — MINIMUM_SHOULD_MATCH
# of them — ranked by how many (and how rare) of the terms it holds (bm25 / ts_rank_cd / Lucene's BM25 sum
# over the terms matched). Question words (如何, 怎么, 哪些 …) are dropped by the analyzer; the words that only
# shape a question (办理, 申请, 条件 …) are not searched at all unless nothing else was typed.
FALLBACK_BELOW = 3
MINIMUM_SHOULD_MATCH = 0.5
# Best match over this many terms at most (the database ORs every choice of them): the longest are kept.
MAX_BEST_MATCH_TERMS = 8
_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』')
ORDERS = {"relevance": "相关度", "newest": "最新"}
FACET_LABELS = {"type": "类型", "department": "部门", "year": "年份", "region": "地区"}
# Parameters other sites and apps add to links; ignored rather than refused.
IGNORED_PARAMS = {"from", "spm", "_", "isappinstalled", "share_token"}


class BadSearchParameter(ValueError):
    def __init__(self, param: str, message: str):
        super().__init__(f"参数 {param} 无效：{message}")
        self.param = param
        self.message = message


def clean_query(raw: str) -> str:
    """The query as searched: control characters dropped, whitespace collapsed, cut to MAX_QUERY_LENGTH."""
    printable = "".join(ch if ch.isprintable() else " " for ch in raw or "")
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    order: str = "relevance"
    page: int = 1
    exact: bool = False  # search what was typed, without correcting slips


def parse_params(params: Mapping[str, str], *, strict: bool = False) -> SearchParams:
    """Checked search parameters (q, type, department, year, region, order, page).

    Unknown parameters are refused (400), except those links from elsewhere commonly carry (utm_*, from …);
    with strict=True (the API) those too.
    """
    allowed = {"q", "order", "page", "exact", *FACETS}
    for name in params:
        if name not in allowed and (strict or not (name.startswith("utm_") or name in IGNORED_PARAMS)):
            raise BadSearchParameter(name, "不支持此参数（可用的筛选项：类型 type、部门 department、年份 year、地区 region）。")
    q = clean_query(params.get("q", ""))
    order = params.get("order") or "relevance"
    if order not in ORDERS:
        raise BadSearchParameter("order", "排序方式只能是 relevance（相关度）或 newest（最新）。")
    page = parse_page(params.get("page"))
    exact = params.get("exact") or ""
    if exact not in ("", "0", "1"):
        raise BadSearchParameter("exact", "只能是 1（按输入原样搜索，不纠正错别字）或 0。")
    filters = {}
    for facet in FACETS:
        value = clean_query(params.get(facet, ""))[:MAX_FILTER_LENGTH]
        if value:
            check_facet_value(facet, value)
            filters[facet] = value
    return SearchParams(q=q, filters=filters, order=order, page=page, exact=exact == "1")


def parse_page(raw: str | None) -> int:
    if raw is None or raw == "":
        return 1
    if len(raw) > 6 or not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise BadSearchParameter("page", "页码应为正整数。")
    if int(raw) > MAX_PAGE:
        raise BadSearchParameter("page", f"最多显示前 {MAX_PAGE} 页结果，请使用筛选或更具体的关键词。")
    return int(raw)


def check_facet_value(facet: str, value: str) -> None:
    """BadSearchParameter unless `value` is one the facet can have: a known type, a year, or a department or
    region that something in the index has."""
    if facet == "type":
        if value not in type_labels():
            raise BadSearchParameter("type", "没有这种内容类型。")
    elif facet == "year":
        if not (value.isascii() and value.isdigit() and len(value) == 4):
            raise BadSearchParameter("year", "年份应为四位数字，如 2025。")
    elif not database_backend().has_facet_value(facet, value):
        raise BadSearchParameter(facet, f"没有{FACET_LABELS[facet]}为“{value[:30]}”的内容。")


@dataclass(frozen=True)
class ResultItem:
    id: str
    url: str
    type: str
    type_label: str
    title: str
    title_html: str
    snippet_html: str
    date: dt.date | None
    department: str
    region: str


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchPage:
    params: SearchParams
    total: int = 0
    results: list[ResultItem] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    also_searched: list[str] = field(default_factory=list)  # synonyms searched beside the query
    did_you_mean: list[str] = field(default_factory=list)
    popular: list[str] = field(default_factory=list)  # shown when nothing is found
    corrected: str = ""  # the query searched instead of what was typed (已为您显示“…”的结果)
    best_match: bool = False  # no page holds every word: pages holding most of them
    backend: str = ""
    fallback: bool = False  # Elasticsearch was down; the database answered

    @property
    def per_page(self) -> int:
        return PER_PAGE

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, math.ceil(self.total / PER_PAGE)) if self.total else 0

    @property
    def searched(self) -> bool:
        return bool(self.params.q)


class PageOutOfRange(LookupError):
    pass


def quoted_tokens(text: str) -> tuple[list[str], list[bool]]:
    """The query tokens of a text and, for each, whether it was inside quotes ("…", “…”, 「…」)."""
    tokens, quoted, cursor = [], [], 0
    for match in _QUOTED.finditer(text):
        outside = query_tokens(text[cursor:match.start()]) if text[cursor:match.start()].strip() else []
        inside = query_tokens(next(group for group in match.groups() if group is not None) or "")
        tokens += outside + inside
        quoted += [False] * len(outside) + [True] * len(inside)
        cursor = match.end()
    rest = query_tokens(text[cursor:]) if text[cursor:].strip() else []
    return tokens + rest, quoted + [False] * len(rest)


def analyse(text: str, *, filters: dict[str, str] | None = None, order: str = "relevance", page: int = 1,
            per_page: int = PER_PAGE) -> tuple[SearchQuery, list[str], Expansion] | None:
    """The backend query for a (cleaned) text, every term required: query tokens (words that only shape a
    question left out), synonyms, inner words and pinyin as alternatives; quoted words are marked required for
    best match (see best_match). None when the text has no searchable word (only punctuation, say)."""
    tokens, quoted = quoted_tokens(clean_query(text))
    kept = [(token, inside) for token, inside in zip(tokens, quoted) if inside or not is_soft(token)]
    if kept:
        tokens, quoted = [token for token, _ in kept], [inside for _, inside in kept]
    if not tokens:
        return None
    expansion = expand(tokens)
    required = tuple(index for index, (start, size) in enumerate(expansion.spans)
                     if any(quoted[start:start + size]))
    query = SearchQuery(text=text, terms=expansion.terms, filters=dict(filters or {}), order=order,
                        offset=(page - 1) * per_page, limit=per_page, required=required)
    return query, tokens, expansion


def best_match(query: SearchQuery) -> SearchQuery | None:
    """The best-match form of an all-terms query (None when it would be the same): the quoted terms required,
    at least MINIMUM_SHOULD_MATCH of the others (at most MAX_BEST_MATCH_TERMS of them, the longest)."""
    others = [index for index in range(len(query.terms)) if index not in query.required]
    if len(others) < 2:
        return None
    weight = {index: max(len(alt) for alt in query.terms[index]) for index in others}
    kept = sorted(sorted(others, key=lambda index: -weight[index])[:MAX_BEST_MATCH_TERMS])
    terms = tuple(query.terms[index] for index in sorted([*query.required, *kept]))
    positions = sorted([*query.required, *kept])
    required = tuple(positions.index(index) for index in query.required)
    needed = max(1, math.ceil(len(kept) * MINIMUM_SHOULD_MATCH))
    return replace(query, terms=terms, required=required, minimum_should_match=needed)


@dataclass
class Plan:
    """What was searched and found (see plan_search)."""

    query: SearchQuery
    tokens: list[str]
    expansion: Expansion
    result: SearchResult
    corrected: str = ""
    best_match: bool = False


def plan_search(q: str, ask, *, filters: dict[str, str] | None = None, order: str = "relevance", page: int = 1,
                per_page: int = PER_PAGE, exact: bool = False) -> Plan | None:
    """Search `q` through `ask` (SearchQuery → SearchResult), degrading gracefully; None when `q` has no
    searchable word.

    What was typed is searched with every term required. Unless `exact`, a query with a homophone or variant
    slip (search.correction) is also searched corrected, and the corrected one is kept when it finds more.
    When the kept query finds fewer than FALLBACK_BELOW pages, its best-match form is kept if it finds more."""
    analysed = analyse(q, filters=filters, order=order, page=page, per_page=per_page)
    if analysed is None:
        return None
    plan = Plan(*analysed, result=ask(analysed[0]))
    if not exact and (corrected := _corrected(q)):
        other = analyse(corrected, filters=filters, order=order, page=page, per_page=per_page)
        if other is not None:
            other_result = ask(other[0])
            if other_result.total > plan.result.total:
                plan = Plan(*other, result=other_result, corrected=corrected)
    if plan.result.total < FALLBACK_BELOW and (loose := best_match(plan.query)) is not None:
        strict = plan.result
        if strict.total and plan.query.offset:  # the pages that hold every term, wherever the page asked starts
            strict = ask(replace(plan.query, offset=0, limit=FALLBACK_BELOW))
        # Pages that hold every term come first; best match (which finds them too) fills the rest. Rare (only
        # when every term found almost nothing), so the best-match order is read from the top, past the page.
        first = [hit.id for hit in strict.hits]
        loose_result = ask(replace(loose, offset=0, limit=plan.query.offset + plan.query.limit + len(first)))
        if loose_result.total > plan.result.total:
            merged = [*strict.hits, *(hit for hit in loose_result.hits if hit.id not in first)]
            hits = merged[plan.query.offset:plan.query.offset + plan.query.limit]
            plan.query, plan.best_match = loose, True
            plan.result = SearchResult(hits=hits, total=loose_result.total, facets=loose_result.facets)
    return plan


def run_search(params: SearchParams, *, record: bool = True, visitor: str = "") -> SearchPage:
    """Search for `params` (plan_search); PageOutOfRange when the page number is past the last page of
    results. A search that found something counts towards popular searches for `visitor` (a hashed key)."""
    page = SearchPage(params=params)
    answered: list[tuple[str, bool]] = []

    def ask(query: SearchQuery) -> SearchResult:
        result, backend, fallback = _ask_backend(query)
        answered.append((backend, fallback))
        return result

    plan = plan_search(params.q, ask, filters=params.filters, order=params.order, page=params.page,
                       exact=params.exact)
    if plan is None:
        page.popular = popular_queries() if params.q else []
        return page
    page.backend, page.fallback = answered[-1][0], any(fallback for _, fallback in answered)
    query, tokens, expansion, result = plan.query, plan.tokens, plan.expansion, plan.result
    page.corrected, page.best_match = plan.corrected, plan.best_match
    if result.total and params.page > max(1, math.ceil(result.total / PER_PAGE)):
        raise PageOutOfRange(params.page)
    page.total = result.total
    page.also_searched = expansion.also_searched()
    words = highlight.highlight_words(expansion.terms, tokens)
    page.results = _load_results(result, words, highlight.pinyin_searched(expansion.terms))
    page.facets = _facets(result, params.filters)
    page.did_you_mean = _did_you_mean(params.q, tokens, page.also_searched, found=bool(result.total))
    if not result.total:
        page.popular = [query for query in popular_queries() if query != params.q]
    elif record and visitor and params.page == 1 and not params.filters:
        record_query(page.corrected or params.q, visitor=visitor)
    return page


def _corrected(q: str) -> str:
    from search.correction import correct

    try:
        corrected = correct(q)
    except Exception:  # a suggestion must never break the search itself
        logger.exception("search: correcting %r failed", q[:100])
        return ""
    return corrected if corrected != q else ""


def _ask_backend(query: SearchQuery) -> tuple[SearchResult, str, bool]:
    backend = primary_backend()
    try:
        return backend.search(query), backend.name, False
    except Exception:
        if backend.name == database_backend().name:
            raise
        logger.warning("search: %s backend failed, answering from the database", backend.name, exc_info=True)
        fallback = database_backend()
        return fallback.search(query), fallback.name, True


def _load_results(result: SearchResult, words: list[str], pinyin: frozenset[str]) -> list[ResultItem]:
    entries = database_backend().entries([hit.id for hit in result.hits])
    labels = type_labels()
    items = []
    for hit in result.hits:
        entry = entries.get(hit.id)
        if entry is None:  # in the other backend but not (yet) here: show nothing rather than a dead link
            continue
        marked = highlight.title_words(entry.title, words, pinyin)
        items.append(ResultItem(
            id=entry.doc_id, url=entry.url, type=entry.type, type_label=labels.get(entry.type, entry.type),
            title=entry.title, title_html=highlight.mark(entry.title, marked),
            snippet_html=highlight.snippet(entry.body, marked), date=entry.date, department=entry.department,
            region=entry.region,
        ))
    return items


def _facets(result: SearchResult, filters: dict[str, str]) -> dict[str, list[FacetValue]]:
    labels = type_labels()
    facets = {}
    for facet in FACETS:
        values = result.facets.get(facet, [])
        if facet == "type":
            order = list(labels)
            values = sorted(values, key=lambda item: order.index(item[0]) if item[0] in order else len(order))
        facets[facet] = [
            FacetValue(value=value, label=labels.get(value, value) if facet == "type" else value, count=count,
                       selected=filters.get(facet) == value)
            for value, count in values
        ]
    return facets


def _did_you_mean(q: str, tokens: list[str], also_searched: list[str], *, found: bool) -> list[str]:
    """Other queries worth a try: synonym groups whose terms contain what was typed (社会资本合作 →
    政府和社会资本合作, PPP); when nothing was found, also what pinyin letters spell and each word on its own."""
    typed = normalize(q).replace(" ", "")
    ideas = []
    if len(typed) >= 2:
        for group in synonym_groups():
            if any(typed in normalize(term) and typed != normalize(term) for term in group.terms):
                ideas += group.terms
    if not found:
        ideas += pinyin_terms(q, limit=5)
        if len(tokens) > 1:
            ideas += [token for token in tokens if len(token) > 1]
    return [idea for idea in dict.fromkeys(ideas) if idea != q and idea not in also_searched][:8]
