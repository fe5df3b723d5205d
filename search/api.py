"""The JSON search API at /api/search/v1/: search with facets, and suggestions as one types (OpenAPI at
/api/search/v1/docs). It checks parameters exactly as the search page does (search.query.parse_params)."""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import get_usage
from ninja import NinjaAPI, Query, Schema

from portal.ratelimit import client_ip
from search.query import (
    MAX_PAGE,
    PER_PAGE,
    BadSearchParameter,
    PageOutOfRange,
    clean_query,
    parse_params,
    run_search,
)
from search.suggestions import suggest as suggestions_for

api = NinjaAPI(
    title="金财门户搜索接口",
    version="1",
    description=(
        "一次搜索网站上公开的全部内容：财政新闻、政策文件、政策解读、政府采购公告、专题、办事指南、留言答复和数据资源。"
        "中文按词切分，同义词（如 PPP 与 政府和社会资本合作）自动扩展。参数错误返回 400 并指出参数名；"
        "按客户端 IP 限制请求频率，超出返回 429 和 Retry-After。"
    ),
    urls_namespace="search-api",
)

RATE_LIMIT_GROUP = "search-api"


class ParamError(Schema):
    param: str
    message: str


class BadRequestOut(Schema):
    detail: list[ParamError]


class MessageOut(Schema):
    detail: str


class ResultOut(Schema):
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


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class FacetsOut(Schema):
    type: list[FacetValueOut]
    department: list[FacetValueOut]
    year: list[FacetValueOut]
    region: list[FacetValueOut]


class SearchOut(Schema):
    query: str
    order: str
    page: int
    pages: int
    per_page: int
    total: int
    results: list[ResultOut]
    facets: FacetsOut
    also_searched: list[str]
    did_you_mean: list[str]
    corrected: str = ""  # the query searched instead of `query` (a homophone or variant slip corrected)
    best_match: bool = False  # too few pages hold every word: pages holding most of them follow


class SuggestionOut(Schema):
    text: str
    kind: str
    url: str


class SuggestOut(Schema):
    query: str
    suggestions: list[SuggestionOut]


ERRORS = {400: BadRequestOut, 404: MessageOut, 429: MessageOut}


@api.exception_handler(BadSearchParameter)
def bad_parameter(request: HttpRequest, exc: BadSearchParameter) -> HttpResponse:
    return api.create_response(request, {"detail": [{"param": exc.param, "message": exc.message}]}, status=400)


@api.exception_handler(PageOutOfRange)
def page_out_of_range(request: HttpRequest, exc: PageOutOfRange) -> HttpResponse:
    return api.create_response(request, {"detail": "页码超出范围。"}, status=404)


def rate_limited(run):
    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs):
        rate = getattr(settings, "SEARCH_API_RATE", None) or settings.CONTENT_API_RATE
        usage = get_usage(request, group=RATE_LIMIT_GROUP, key=client_ip, rate=rate, method=get_usage.ALL,
                          increment=True)
        if usage is not None and usage["should_limit"]:
            response = api.create_response(request, {"detail": "请求过于频繁，请稍后再试。"}, status=429)
            response["Retry-After"] = str(max(1, usage["time_left"]))
            return response
        return run(request, *args, **kwargs)

    return wrapper


api.add_decorator(rate_limited, mode="view")


@api.get("/search", response={200: SearchOut, **ERRORS}, summary="搜索", url_name="search")
def search(
    request: HttpRequest,
    q: str = Query("", description="关键词（超过 100 个字符的部分不参与搜索）"),
    type: str = Query("", description="内容类型：article、policy、interpretation、notice、topic、guide、letter、dataset、page"),
    department: str = Query("", description="部门名称，取自 facets.department"),
    year: str = Query("", description="年份，如 2025"),
    region: str = Query("", description="行政区划名称，取自 facets.region"),
    order: str = Query("relevance", description="relevance（相关度，兼顾时效）或 newest（最新）"),
    page: str = Query("1", description=f"页码，每页 {PER_PAGE} 条，最多 {MAX_PAGE} 页"),
    exact: str = Query("", description="1：按输入原样搜索，不纠正错别字（默认会纠正同音字、异体字并在 corrected 中说明）"),
):
    # Parameters are declared as text for the OpenAPI document and checked by parse_params, so that every
    # problem is a 400 naming its parameter, the same as on the search page.
    params = parse_params(request.GET, strict=True)
    result = run_search(params, record=False)
    return {
        "query": params.q, "order": params.order, "page": params.page, "pages": result.pages,
        "per_page": result.per_page, "total": result.total,
        "results": [item.__dict__ for item in result.results],
        "facets": {facet: [value.__dict__ for value in values] for facet, values in result.facets.items()}
        if result.facets else {"type": [], "department": [], "year": [], "region": []},
        "also_searched": result.also_searched, "did_you_mean": result.did_you_mean,
        "corrected": result.corrected, "best_match": result.best_match,
    }


@api.get("/suggest", response={200: SuggestOut, **ERRORS}, summary="搜索建议", url_name="suggest")
def suggest(request: HttpRequest, q: str = Query("", description="已输入的文字，可为拼音全拼或首字母，如 czys")):
    params = {name: value for name, value in request.GET.items() if name != "q"}
    if params:
        name = next(iter(params))
        raise BadSearchParameter(name, "不支持此参数。")
    text = clean_query(q)[:40]
    return {"query": text, "suggestions": [s.__dict__ for s in suggestions_for(text)]}
