"""The data and catalog API (django-ninja) at /api/data/v1/, with its OpenAPI description at openapi.json.

Rows of a resource with filters, sort, field selection and keyset pagination; the schema of a resource; the
catalog with its facets. Only datasets of the public catalog exist here; 有条件开放 rows need an API key.
Errors are JSON: 400 {"detail": [{"param", "message"}]}, 401/403/404/429 {"detail": message}.
"""

import functools
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.renderers import JSONRenderer
from ninja.errors import ValidationError
from pydantic import field_validator

from opendata import downloads, rules, selectors, store
from opendata.api import access
from opendata.api.rows import (
    DEFAULT_LIMIT,
    MAX_CURSOR_LENGTH,
    MAX_LIMIT,
    RowsQueryError,
    encode_cursor,
    parse_rows_query,
)
from opendata.api.schemas import (
    BadRequestOut,
    DatasetDetail,
    DatasetPageOut,
    MessageOut,
    ResourceOut,
    RowsOut,
)
from opendata.filters import MAX_PARAM_LENGTH, SORTS, CatalogError, parse_catalog_query
from opendata.models import DatasetPage, DatasetStats, Resource
from portal.sitemaps import public_url

API_PREFIX = "/api/data/v1"
MAX_ID = 2**31 - 1
CATALOG_DEFAULT_LIMIT, CATALOG_MAX_LIMIT, CATALOG_MAX_OFFSET = 20, 100, 10_000


class ChineseJSONRenderer(JSONRenderer):
    # Chinese as UTF-8 rather than \uXXXX escapes: a third of the bytes for a page of Chinese records.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="金财门户数据开放接口",
    version="1",
    description=(
        "数据资源目录与数据接口。\n\n"
        "**数据行** `GET /resources/{id}/rows`：按信息项筛选（`字段=值` 相等，`字段__gte`、`__lte`、`__gt`、`__lt` 范围，"
        "可同时给多个条件），`sort=字段` 或 `sort=-字段` 排序（限建立索引的字段），`fields=a,b` 选择字段，"
        f"`limit` 每页条数（1–{MAX_LIMIT}，默认 {DEFAULT_LIMIT}），沿响应中的 `next` 链接翻页（游标分页，深翻页同样快）。"
        "只有资源结构（`GET /resources/{id}`）中标明可筛选的字段可以筛选；其他参数一律返回 400 并指出参数名。"
        "数值型小数以字符串返回，避免浮点误差。\n\n"
        "**有条件开放**的数据须在请求头 `X-API-Key`（或 `Authorization: Bearer`）中提供获批的接口密钥："
        "没有密钥返回 401，密钥无效、已吊销或不适用于该数据资源返回 403。密钥在数据资源页面申请。\n\n"
        "按客户端 IP 和密钥限制请求频率，超出返回 429 和 `Retry-After`。"
        "也提供 CKAN Action API（`/api/3/action/`，含 DataStore 查询 `datastore_search`）和 DCAT 目录"
        "（`/open-data/catalog.jsonld`、`.ttl`）。下载文件支持断点续传（Range）。"
    ),
    urls_namespace="opendata:data-api",
    renderer=ChineseJSONRenderer(),
)

ERRORS = {400: BadRequestOut, 429: MessageOut}
NOT_FOUND = {404: MessageOut}
KEYED = {401: MessageOut, 403: MessageOut}


# --- errors ------------------------------------------------------------------------------------------------


def bad_request(request: HttpRequest, param: str, message: str) -> HttpResponse:
    return api.create_response(request, {"detail": [{"param": param, "message": message}]}, status=400)


@api.exception_handler(RowsQueryError)
def rows_query_error(request: HttpRequest, exc: RowsQueryError) -> HttpResponse:
    return bad_request(request, exc.param, exc.message)


@api.exception_handler(CatalogError)
def catalog_error(request: HttpRequest, exc: CatalogError) -> HttpResponse:
    return bad_request(request, exc.param, exc.message)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Ninja's own parameter errors (limit, offset, path ids) in the same shape."""
    return api.create_response(
        request, {"detail": [{"param": _param_name(error), "message": _message(error)} for error in exc.errors]},
        status=400,
    )


def _param_name(error: dict[str, Any]) -> str:
    names = [part for part in error.get("loc", ()) if isinstance(part, str)]
    return names[-1] if names else ""


def _message(error: dict[str, Any]) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind.startswith("int_"):
        return "应为整数。"
    if kind == "greater_than_equal":
        return f"不能小于 {ctx.get('ge')}。"
    if kind == "less_than_equal":
        return f"不能大于 {ctx.get('le')}。"
    if kind == "string_too_long":
        return f"长度不能超过 {ctx.get('max_length')} 个字符。"
    return "值无效。"


@api.exception_handler(access.Refused)
def refused(request: HttpRequest, exc: access.Refused) -> HttpResponse:
    response = api.create_response(request, {"detail": exc.message}, status=exc.status)
    for name, value in exc.headers.items():
        response[name] = value
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "未找到。"}, status=404)


def rate_limited(run):
    """Count every request against its client IP before anything else, so bad requests count too."""

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs):
        try:
            access.check_ip_rate(request)
        except access.Refused as exc:
            return refused(request, exc)
        return run(request, *args, **kwargs)

    return wrapper


api.add_decorator(rate_limited, mode="view")


# --- the endpoint itself (DCAT's dcat:endpointURL) -----------------------------------------------------------


@api.get("/", response={200: dict, **ERRORS}, tags=["数据资源目录"], summary="接口入口：说明和各部分的地址")
def api_root(request):
    return {
        "title": api.title,
        "openapi": public_url(request, f"{API_PREFIX}/openapi.json"),
        "docs": public_url(request, f"{API_PREFIX}/docs"),
        "datasets": public_url(request, f"{API_PREFIX}/datasets"),
        "ckan": public_url(request, "/api/3/action/package_list"),
        "dcat": public_url(request, reverse("opendata:dcat_catalog", args=["jsonld"])),
    }


# --- resources and rows ------------------------------------------------------------------------------------

RESOURCE_MISSING = "未找到该数据文件，或它所属的数据资源未开放。"


def public_resource(resource_id: int) -> Resource:
    """A resource with data of a dataset in the public catalog (有条件开放 included); Http404 otherwise."""
    if not 1 <= resource_id <= MAX_ID:
        raise Http404(RESOURCE_MISSING)
    resource = (Resource.objects.select_related("dataset")
                .filter(pk=resource_id, ingested_at__isnull=False,
                        dataset__in=DatasetPage.objects.public_catalog().values("pk")).first())
    if resource is None:
        raise Http404(RESOURCE_MISSING)
    return resource


def field_out(item: dict) -> dict:
    return {"name": item["name"], "label": item.get("label", ""), "type": item.get("type", rules.FieldType.STRING),
            "unit": item.get("unit", ""), "description": item.get("description", ""),
            "filterable": bool(item.get("filterable") or item.get("indexed")),
            "indexed": bool(item.get("indexed") and item.get("slot"))}


def download_urls(request: HttpRequest, resource: Resource) -> dict[str, str] | None:
    if not resource.dataset.data_is_public:
        return None
    return {fmt: public_url(request, reverse("opendata:resource_download", args=[resource.pk, fmt]))
            for fmt in downloads.FORMATS}


class RowsParams(Schema):
    """Described here for the OpenAPI document; the rows endpoint parses the whole query string itself."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"每页条数，1–{MAX_LIMIT}，默认 {DEFAULT_LIMIT}。")
    cursor: str | None = Field(None, max_length=MAX_CURSOR_LENGTH, description="上一页响应中 next 链接给出的游标。")
    sort: str | None = Field(None, max_length=70, description="排序字段（须建立索引），前加 - 为降序，如 -amount。")
    fields: str | None = Field(None, max_length=2000, description="返回的字段，逗号分隔，如 month,amount；默认全部。")

    @field_validator("limit", mode="before")
    @classmethod
    def blank_limit_is_default(cls, value):
        # `limit=` as a blank form field sends it: the default, as a blank filter means no filter.
        return DEFAULT_LIMIT if value == "" else value


@api.get("/resources/{id}/rows", response={200: RowsOut, **NOT_FOUND, **KEYED, **ERRORS}, tags=["数据"],
         summary="数据行：筛选、排序、字段选择和游标分页")
def resource_rows(request, id: int, params: Query[RowsParams]):  # noqa: A002 - the URL says {id}
    resource = public_resource(id)
    access.authorise(request, dataset=resource.dataset)
    query = parse_rows_query(request.GET, resource.schema)
    rows, following = store.rows_page(resource=resource, conditions=query.conditions, sort=query.sort,
                                      descending=query.descending, after=query.after, limit=query.limit)
    by_name = {item["name"]: item for item in resource.schema}
    names = list(query.fields) or list(by_name)
    body = {
        "fields": [field_out(by_name[name]) for name in names],
        "records": [{name: row.data.get(name) for name in names} for row in rows],
        "next": _next_rows_url(request, encode_cursor(following, sort_param=query.sort_param)) if following else None,
    }
    # Straight to JSON: a thousand records need no second validation by the response schema.
    return api.create_response(request, body, status=200)


def _next_rows_url(request: HttpRequest, cursor: str) -> str:
    params = request.GET.copy()
    params["cursor"] = cursor
    return public_url(request, f"{request.path}?{params.urlencode()}")


@api.get("/resources/{id}", response={200: ResourceOut, **NOT_FOUND, **ERRORS}, tags=["数据"],
         summary="数据文件的结构：字段、类型、单位，哪些可筛选和排序")
def resource_detail(request, id: int):  # noqa: A002
    resource = public_resource(id)
    dataset = resource.dataset
    return {
        "id": resource.pk, "name": resource.name, "description": resource.description,
        "format": resource.format, "row_count": resource.row_count, "updated_at": resource.ingested_at,
        "dataset": dataset.code, "dataset_title": dataset.title,
        "fields": [field_out(item) for item in resource.schema],
        "rows_url": public_url(request, f"{API_PREFIX}/resources/{resource.pk}/rows"),
        "downloads": download_urls(request, resource),
    }


# --- the catalog -------------------------------------------------------------------------------------------


class CatalogParams(Schema):
    """The catalog page's own filters; parse_catalog_query() validates them against the declared values."""

    publisher: str | None = Field(None, max_length=MAX_PARAM_LENGTH, description="提供方的网址代码，如 budget。")
    theme: str | None = Field(None, max_length=MAX_PARAM_LENGTH, description="主题分类的网址代码。")
    open_type: str | None = Field(None, max_length=MAX_PARAM_LENGTH,
                                  description="开放类型：open（无条件开放）或 conditional（有条件开放）。")
    format: str | None = Field(None, max_length=MAX_PARAM_LENGTH, description="数据格式：csv、xlsx 或 json。")
    frequency: str | None = Field(None, max_length=MAX_PARAM_LENGTH,
                                  description="更新周期：" + "、".join(rules.UpdateFrequency.values) + "。")
    q: str | None = Field(None, max_length=MAX_PARAM_LENGTH, description="在名称、摘要、资源代码和关键词中搜索。")
    sort: str | None = Field(None, max_length=MAX_PARAM_LENGTH,
                             description="排序：" + "、".join(f"{k}（{v}）" for k, v in SORTS.items()) + "。")
    limit: int = Field(CATALOG_DEFAULT_LIMIT, ge=1, le=CATALOG_MAX_LIMIT, description="每页条数，1–100，默认 20。")
    offset: int = Field(0, ge=0, le=CATALOG_MAX_OFFSET, description="跳过的条数。")


def choice(obj, field: str) -> dict[str, str]:
    return {"value": getattr(obj, field), "label": getattr(obj, f"get_{field}_display")()}


def dataset_item(request, dataset: DatasetPage, *, keywords: list[str], formats: list[str]) -> dict[str, Any]:
    return {
        "code": dataset.code, "title": dataset.title, "summary": dataset.summary,
        "url": public_url(request, dataset.get_full_url(request) or dataset.url or "/"),
        "publisher": {"slug": dataset.publisher.slug, "name": dataset.publisher.name},
        "theme": {"slug": dataset.theme.slug, "name": dataset.theme.name} if dataset.theme else None,
        "open_type": choice(dataset, "open_type"), "share_type": choice(dataset, "share_type"),
        "update_frequency": choice(dataset, "update_frequency"),
        "published_on": dataset.published_on, "updated_on": dataset.updated_on,
        "keywords": keywords, "formats": formats,
        "license": {"id": dataset.license, "title": dataset.get_license_display(),
                    "url": rules.LICENSE_URLS.get(dataset.license, "")},
    }


def catalog_queryset() -> QuerySet[DatasetPage]:
    return DatasetPage.objects.public_catalog().select_related("publisher", "theme")


def dictionary(dataset: DatasetPage, resources: list[Resource]) -> list[dict]:
    """The declared 信息项, or the schema of the first resource when none are declared."""
    if dataset.field_specs:
        return [field_out({"name": f.name, "label": f.label, "type": f.type, "unit": f.unit,
                           "description": f.description, "filterable": f.filterable,
                           "indexed": f.indexed, "slot": f.indexed}) for f in dataset.field_specs]
    return [field_out(item) for item in resources[0].schema] if resources else []


@api.get("/datasets", response={200: DatasetPageOut, **ERRORS}, tags=["数据资源目录"],
         summary="数据资源目录：按提供方、主题、开放类型、格式、更新周期筛选，按更新、热度或名称排序")
def dataset_list(request, params: Query[CatalogParams]):
    query = parse_catalog_query(request.GET)
    queryset = selectors.dataset_search(query=query).defer(None)
    count = queryset.count()
    datasets = list(queryset[params.offset: params.offset + params.limit])
    formats = selectors.resource_formats(datasets=datasets)
    keywords = selectors.tags_by_dataset(dataset_ids=[d.pk for d in datasets])
    following = None
    if params.offset + params.limit < min(count, CATALOG_MAX_OFFSET + 1):
        query_params = request.GET.copy()
        query_params["offset"] = str(params.offset + params.limit)
        following = public_url(request, f"{request.path}?{query_params.urlencode()}")
    return {
        "count": count,
        "items": [dataset_item(request, d, keywords=keywords.get(d.pk, []), formats=formats.get(d.pk, []))
                  for d in datasets],
        "next": following,
    }


@api.get("/datasets/{path:code}", response={200: DatasetDetail, **NOT_FOUND, **ERRORS}, tags=["数据资源目录"],
         summary="一个数据资源的目录信息、信息项和数据文件")
def dataset_detail(request, code: str = Path(..., max_length=60)):
    dataset = catalog_queryset().filter(code=code).first()
    if dataset is None:
        raise Http404("未找到该资源代码的数据资源，或它未开放。")
    resources = list(dataset.public_resources())
    for resource in resources:
        resource.dataset = dataset
    stats = DatasetStats.objects.filter(dataset=dataset).first()
    keywords = selectors.tags_by_dataset(dataset_ids=[dataset.pk]).get(dataset.pk, [])
    formats = selectors.resource_formats(datasets=[dataset]).get(dataset.pk, [])
    item = dataset_item(request, dataset, keywords=keywords, formats=formats)
    return {
        **item,
        "share_condition": dataset.share_condition, "share_method": choice(dataset, "share_method"),
        "open_condition": dataset.open_condition, "classification": choice(dataset, "classification"),
        "access_rights": rules.access_rights(open_type=dataset.open_type),
        "temporal": {"start": dataset.temporal_start, "end": dataset.temporal_end},
        "spatial_coverage": dataset.spatial_coverage,
        "contact": dataset.effective_contact, "contact_email": dataset.contact_email,
        "fields": dictionary(dataset, resources),
        "resources": [
            {"id": r.pk, "name": r.name, "format": r.format, "row_count": r.row_count,
             "schema_url": public_url(request, f"{API_PREFIX}/resources/{r.pk}"),
             "rows_url": public_url(request, f"{API_PREFIX}/resources/{r.pk}/rows"),
             "downloads": download_urls(request, r)}
            for r in resources
        ],
        "view_count": stats.view_count if stats else 0,
        "download_count": stats.download_count if stats else 0,
        "apply_url": (public_url(request, reverse("opendata:access_apply", args=[dataset.pk]))
                      if rules.may_apply_for_access(open_type=dataset.open_type) else None),
    }
