"""Endpoints of the content API: lists with the columns' own filters and cursor pagination, details, project timelines.

Filters are the FilterSets of content.filters, applied through content.listings exactly as column pages and
feeds apply them; the query models below only describe them in the OpenAPI document.
"""

import functools
from typing import Any

import django_filters
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django_ratelimit.core import get_usage
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import ValidationError
from pydantic import create_model, field_validator

from content import selectors
from content.api import cursor as keyset
from content.api.schemas import (
    ArticleDetail,
    ArticleItem,
    BadRequestOut,
    CursorPage,
    InterpretationDetail,
    InterpretationItem,
    MessageOut,
    NoticeDetail,
    NoticeItem,
    PolicyDetail,
    PolicyItem,
    ProjectOut,
)
from content.filters import MAX_PARAM_LENGTH, FilterError
from content.listings import LISTINGS, Listing
from portal.ratelimit import client_ip

api = NinjaAPI(
    title="金财门户内容接口",
    version="1",
    description=(
        "只读接口：财政新闻、政策文件、政策解读和政府采购公告，筛选参数与网站栏目相同。"
        "列表使用游标分页：沿响应中的 next 链接取下一页，直到 next 为 null。"
        "参数错误返回 400 并指出参数名；按客户端 IP 限制请求频率，超出返回 429 和 Retry-After。"
    ),
    urls_namespace="content-api",
)

RATE_LIMIT_GROUP = "content-api"
RATE_LIMITED_MESSAGE = "请求过于频繁，请稍后再试。"
# Page ids are 32-bit; a larger number is simply an id that does not exist.
MAX_PAGE_ID = 2**31 - 1

# The related rows each list item shows (one join each, so the query count does not grow with the page size),
# and the bodies of those related pages, which a list never shows.
LIST_RELATED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "article": (("theme", "department"), ()),
    "policy": (("theme", "department", "issuing_authority", "replaced_by"), ("replaced_by__body",)),
    "interpretation": (("theme", "department", "policy"), ("policy__body",)),
    "procurement": (("theme", "department", "region"), ()),
}
DETAIL_RELATED: dict[str, tuple[str, ...]] = {
    **{kind: related for kind, (related, _) in LIST_RELATED.items()},
    "interpretation": ("theme", "department", "policy", "video"),
}

ERRORS = {400: BadRequestOut, 429: MessageOut}
NOT_FOUND = {404: MessageOut}


# --- errors ----------------------------------------------------------------------------------------------


def bad_request(request: HttpRequest, errors: list[dict[str, str]]) -> HttpResponse:
    return api.create_response(request, {"detail": errors}, status=400)


@api.exception_handler(FilterError)
def filter_error(request: HttpRequest, exc: FilterError) -> HttpResponse:
    return bad_request(request, [{"param": exc.param, "message": exc.message}])


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Ninja's own parameter errors (size, cursor, path ids) in the same shape as filter errors."""
    return bad_request(request, [{"param": _param_name(error), "message": _message(error)} for error in exc.errors])


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "未找到。"}, status=404)


def _param_name(error: dict[str, Any]) -> str:
    names = [part for part in error.get("loc", ()) if isinstance(part, str)]
    return names[-1] if names else ""


def _message(error: dict[str, Any]) -> str:
    """A short Chinese message for the pydantic error kinds query and path parameters can produce."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind.startswith("int_"):
        return "应为整数。"
    if kind == "greater_than_equal":
        return f"不能小于 {ctx.get('ge')}。"
    if kind == "less_than_equal":
        return f"不能大于 {ctx.get('le')}。"
    if kind == "string_too_long":
        return f"长度不能超过 {ctx.get('max_length')} 个字符。"
    if kind == "missing":
        return "缺少此参数。"
    return "值无效。"


# --- rate limit --------------------------------------------------------------------------------------------


def rate_limited(run):
    """Count every API request against its client IP; over the limit, 429 with the seconds until the window ends.

    Counters live in the default cache, so every worker shares them once REDIS_URL is set. The client IP is
    REMOTE_ADDR, or the header named by RATELIMIT_IP_META_KEY behind a proxy (django-ratelimit's "ip" key).
    """

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs):
        usage = get_usage(request, group=RATE_LIMIT_GROUP, key=client_ip, rate=settings.CONTENT_API_RATE,
                          method=get_usage.ALL, increment=True)
        if usage is not None and usage["should_limit"]:
            response = api.create_response(request, {"detail": RATE_LIMITED_MESSAGE}, status=429)
            response["Retry-After"] = str(max(1, usage["time_left"]))
            return response
        return run(request, *args, **kwargs)

    return wrapper


# Before parameter validation, so that bad requests count too.
api.add_decorator(rate_limited, mode="view")


# --- parameters ------------------------------------------------------------------------------------------


class Paging(Schema):
    cursor: str | None = Field(None, max_length=keyset.MAX_CURSOR_LENGTH,
                               description="上一页响应中 next 链接给出的游标；第一页不填。")
    size: int = Field(keyset.DEFAULT_SIZE, ge=1, le=keyset.MAX_SIZE,
                      description=f"每页条数，1–{keyset.MAX_SIZE}，默认 {keyset.DEFAULT_SIZE}。")

    @field_validator("size", mode="before")
    @classmethod
    def blank_size_is_default(cls, value):
        # `size=` as a blank form field sends it: the default, as a blank filter means no filter.
        return keyset.DEFAULT_SIZE if value == "" else value


def filter_parameters(kind: str) -> type[Schema]:
    """The query parameters of a list, described from its FilterSet (which alone validates and applies them)."""
    listing = LISTINGS[kind]
    fields = {
        name: (str | None, Field(None, description=_describe(declared)))
        for name, declared in listing.filterset.base_filters.items()
    }
    return create_model(f"{listing.model.__name__}Filters", __base__=Schema, **fields)


def _describe(declared: django_filters.Filter) -> str:
    label = str(declared.label or declared.field_name)
    if choices := declared.extra.get("choices"):
        return f"{label}，可选：" + "、".join(f"{value}（{name}）" for value, name in choices)
    if to_field := declared.extra.get("to_field_name"):
        return f"{label}，填写其 {to_field}"
    if isinstance(declared, django_filters.DateFilter):
        return f"{label}，格式 YYYY-MM-DD"
    return label


ArticleFilters = filter_parameters("article")
PolicyFilters = filter_parameters("policy")
InterpretationFilters = filter_parameters("interpretation")
NoticeFilters = filter_parameters("procurement")


# --- reads -----------------------------------------------------------------------------------------------


def list_page(request: HttpRequest, *, kind: str, paging: Paging) -> dict:
    """One page of a list: the column's filters applied, then keyset pagination; `next` is an absolute URL."""
    if "page" in request.GET:
        raise FilterError("page", "本接口使用游标分页，不支持页码；请沿响应中的 next 链接翻页。")
    position = None
    if paging.cursor:
        try:
            position = keyset.decode(paging.cursor)
        except ValueError:
            raise FilterError("cursor", "游标无效，请使用响应中 next 链接给出的游标。") from None
    listing: Listing = LISTINGS[kind]
    queryset, _ = listing.filtered(request.GET)
    related, deferred = LIST_RELATED[kind]
    queryset = queryset.select_related(*related).defer(*deferred)
    rows, following = keyset.page_after(queryset, position=position, size=paging.size)
    return {"items": rows, "next": _next_url(request, following), "size": len(rows)}


def _next_url(request: HttpRequest, following: keyset.Position | None) -> str | None:
    if following is None:
        return None
    query = request.GET.copy()
    query["cursor"] = keyset.encode(following)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def detail(kind: str, page_id: int, missing: str):
    """One published, public page of this kind, with its body; Http404 otherwise."""
    if not 1 <= page_id <= MAX_PAGE_ID:
        raise Http404(missing)
    queryset = LISTINGS[kind].queryset().defer(None).select_related(*DETAIL_RELATED[kind])
    try:
        return queryset.get(pk=page_id)
    except queryset.model.DoesNotExist:
        raise Http404(missing) from None


# --- endpoints -------------------------------------------------------------------------------------------
# The filter models are unused in the bodies: listings apply the same parameters from request.GET.


@api.get("/articles", response={200: CursorPage[ArticleItem], **ERRORS}, tags=["财政新闻"], summary="财政新闻列表")
def article_list(request, filters: Query[ArticleFilters], paging: Query[Paging]):
    return list_page(request, kind="article", paging=paging)


@api.get("/articles/{id}", response={200: ArticleDetail, **NOT_FOUND, **ERRORS}, tags=["财政新闻"],
         summary="财政新闻全文")
def article_detail(request, id: int):  # noqa: A002 - the URL says {id}
    return detail("article", id, "未找到该新闻，或它尚未发布。")


@api.get("/policies", response={200: CursorPage[PolicyItem], **ERRORS}, tags=["政策文件"], summary="政策文件列表")
def policy_list(request, filters: Query[PolicyFilters], paging: Query[Paging]):
    return list_page(request, kind="policy", paging=paging)


@api.get("/policies/{id}", response={200: PolicyDetail, **NOT_FOUND, **ERRORS}, tags=["政策文件"],
         summary="政策文件全文、附件和解读")
def policy_detail(request, id: int):  # noqa: A002
    return detail("policy", id, "未找到该政策文件，或它尚未发布。")


@api.get("/interpretations", response={200: CursorPage[InterpretationItem], **ERRORS}, tags=["政策解读"],
         summary="政策解读列表")
def interpretation_list(request, filters: Query[InterpretationFilters], paging: Query[Paging]):
    return list_page(request, kind="interpretation", paging=paging)


@api.get("/interpretations/{id}", response={200: InterpretationDetail, **NOT_FOUND, **ERRORS}, tags=["政策解读"],
         summary="政策解读全文")
def interpretation_detail(request, id: int):  # noqa: A002
    return detail("interpretation", id, "未找到该政策解读，或它尚未发布。")


@api.get("/notices", response={200: CursorPage[NoticeItem], **ERRORS}, tags=["政府采购"], summary="政府采购公告列表")
def notice_list(request, filters: Query[NoticeFilters], paging: Query[Paging]):
    return list_page(request, kind="procurement", paging=paging)


@api.get("/notices/{id}", response={200: NoticeDetail, **NOT_FOUND, **ERRORS}, tags=["政府采购"],
         summary="政府采购公告全文")
def notice_detail(request, id: int):  # noqa: A002
    return detail("procurement", id, "未找到该采购公告，或它尚未发布。")


@api.get("/projects/{path:project_code}", response={200: ProjectOut, **NOT_FOUND, **ERRORS}, tags=["政府采购"],
         summary="采购项目进程：同一项目编号的公告，按阶段先后排列")
def project_timeline(request, project_code: str = Path(..., max_length=MAX_PARAM_LENGTH)):
    stages = selectors.procurement_timeline(project_code=project_code)
    if not stages:
        raise Http404("未找到该项目编号的已发布公告。")
    related, _ = LIST_RELATED["procurement"]
    notices = LISTINGS["procurement"].queryset().select_related(*related).in_bulk([stage.pk for stage in stages])
    ordered = [notices[stage.pk] for stage in stages if stage.pk in notices]
    if not ordered:
        raise Http404("未找到该项目编号的已发布公告。")
    return {"project_code": project_code, "project_name": ordered[-1].project_name, "notices": ordered}
