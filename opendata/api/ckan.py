"""A read-only subset of CKAN's Action API v3 at /api/3/action/ (and /api/action/, as CKAN serves it), so that
CKAN clients and harvesters (ckanapi, ckanext-harvest) read the catalog unchanged.

Datasets map to CKAN packages (name = the page slug), publishers to organizations, themes to groups, keywords
to tags, resources to resources with their download URL. Only the public catalog is visible. Answers use
CKAN's envelope {"help", "success", "result"} and its error types ("Not Found Error" 404, "Validation Error"
409, "Search Query Error" 409, unknown action 400). GET parameters and POST JSON bodies are both accepted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Min, Q, QuerySet
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from content.models import Theme
from opendata import rules, selectors
from opendata.api import access, datastore
from opendata.api.rows import MAX_LIMIT as DATASTORE_MAX_LIMIT
from opendata.models import DatasetPage, DatasetPageTag, Publisher, Resource
from portal.jsonbody import JsonBodyError, json_body
from portal.sitemaps import public_url

CKAN_VERSION = "2.10.0"
ROWS_DEFAULT, ROWS_MAX = 10, 1000
LIST_MAX = 1000
FACET_LIMIT_DEFAULT = 50
MAX_BODY_BYTES = 64 * 1024
TRUE_WORDS = frozenset({"true", "yes", "t", "y", "1", "on"})
FALSE_WORDS = frozenset({"false", "no", "f", "n", "0", "off", ""})

# Our licences as CKAN's default licence ids, so clients recognise them.
CKAN_LICENSES: dict[str, str] = {
    rules.License.CC_BY_4: "cc-by",
    rules.License.CC0: "cc-zero",
    rules.License.OPEN_GOV: "other-at",
}
LICENSES_FROM_CKAN = {ckan: ours for ours, ckan in CKAN_LICENSES.items()}


class ActionError(Exception):
    status = 400
    kind = "Bad Request"

    def __init__(self, message: str = "", fields: dict[str, list[str]] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.headers = headers or {}

    def as_error(self) -> dict[str, Any]:
        error: dict[str, Any] = {"__type": self.kind}
        if self.message:
            error["message"] = self.message
        error.update(self.fields)
        return error


class NotFound(ActionError):
    status = 404
    kind = "Not Found Error"


class Invalid(ActionError):
    status = 409
    kind = "Validation Error"


class SearchQueryError(ActionError):
    status = 409
    kind = "Search Query Error"


class RateLimited(ActionError):
    status = 429
    kind = "Rate Limit Error"


class NotAuthorized(ActionError):
    status = 403
    kind = "Authorization Error"


# --- the endpoint ------------------------------------------------------------------------------------------


def _help_url(request: HttpRequest, action: str) -> str:
    return public_url(request, f"/api/3/action/help_show?name={action}")


def _envelope(request: HttpRequest, action: str, *, status: int = 200, **body) -> JsonResponse:
    return JsonResponse({"help": _help_url(request, action), **body}, status=status,
                        json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def action(request: HttpRequest, action: str):
    action = action[:100]
    try:
        access.check_ip_rate(request, group="opendata-ckan")
    except access.Refused as refused:
        response = _envelope(request, action, status=429, success=False,
                             error=RateLimited(refused.message).as_error())
        response["Retry-After"] = refused.headers["Retry-After"]
        return response
    function = ACTIONS.get(action)
    try:
        if function is None:
            raise ActionError(f"Bad request - Action name not known: {action}")
        result = function(request, _params(request))
    except ActionError as error:
        response = _envelope(request, action, status=error.status, success=False, error=error.as_error())
        for name, value in error.headers.items():
            response[name] = value
        return response
    return _envelope(request, action, success=True, result=result)


def _params(request: HttpRequest) -> dict[str, Any]:
    """The action's data dict: the query string for GET, the JSON (or form) body for POST."""
    if request.method == "GET":
        source = request.GET
    elif request.content_type == "application/json" or (request.body[:1] in (b"{", b"[")):
        if not request.body.strip():
            return {}
        try:
            data = json_body(request.body, max_bytes=MAX_BODY_BYTES)
        except JsonBodyError as error:
            raise ActionError(f"Bad request - JSON Error: {error}") from None
        if not isinstance(data, dict):
            raise ActionError("Bad request - JSON Error: 请求体须为 JSON 对象。")
        return data
    else:
        source = request.POST
    return {key: values[0] if len(values) == 1 else values for key, values in source.lists()}


# --- parameter conversion (CKAN's validators) --------------------------------------------------------------


def _int(params: dict, name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    value = params.get(name, default)
    if value in ("", None):
        return default
    try:
        number = int(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None:
        raise Invalid(fields={name: ["不是有效的整数。"]})
    if number < minimum:
        raise Invalid(fields={name: [f"不能小于 {minimum}。"]})
    return min(number, maximum) if maximum is not None else number


def _bool(params: dict, name: str, default: bool) -> bool:
    value = params.get(name, default)
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise Invalid(fields={name: ["应为 true 或 false。"]})


def _text(params: dict, name: str, *, required: bool = False, limit: int = 200) -> str:
    value = params.get(name, "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise Invalid(fields={name: ["应为字符串。"]})
    value = value.strip()
    if required and not value:
        raise Invalid(fields={name: ["缺少参数（Missing value）。"]})
    if len(value) > limit:
        raise Invalid(fields={name: [f"长度不能超过 {limit} 个字符。"]})
    return value


def _list(params: dict, name: str) -> list[str]:
    """A list parameter, given as a JSON list, a JSON-encoded string of one, or repeated query parameters."""
    value = params.get(name)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.lstrip().startswith("[") else [value]
        except ValueError:
            raise Invalid(fields={name: ["应为 JSON 列表，如 [\"organization\", \"tags\"]。"]}) from None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Invalid(fields={name: ["应为字符串列表。"]})
    return value


def _ckan_time(value: dt.datetime | None) -> str | None:
    """CKAN's timestamps: UTC without an offset, microseconds included."""
    if value is None:
        return None
    return timezone.localtime(value, dt.timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds")


# --- dictionaries ------------------------------------------------------------------------------------------


def catalog() -> QuerySet[DatasetPage]:
    return selectors.with_modified(DatasetPage.objects.public_catalog().select_related("publisher", "theme"))


def organization_dict(publisher: Publisher, *, package_count: int | None = None) -> dict[str, Any]:
    found = {
        "id": str(publisher.pk), "name": publisher.slug, "title": publisher.name, "display_name": publisher.name,
        "description": publisher.description, "image_url": "", "image_display_url": "",
        "created": _ckan_time(publisher.created_at),
        "type": "organization", "is_organization": True, "approval_status": "approved", "state": "active",
    }
    if package_count is not None:
        found["package_count"] = package_count
    return found


def group_dict(theme: Theme, *, package_count: int | None = None, created: dt.datetime | None = None
               ) -> dict[str, Any]:
    found = {
        "id": str(theme.pk), "name": theme.slug, "title": theme.name, "display_name": theme.name,
        "description": "", "image_url": "", "image_display_url": "", "created": _ckan_time(created),
        "type": "group", "is_organization": False, "approval_status": "approved", "state": "active",
    }
    if package_count is not None:
        found["package_count"] = package_count
    return found


def themes_created() -> dict[int, dt.datetime]:
    """Theme id → when it entered the catalog (a theme, CKAN's group, exists since its first dataset's publication)."""
    return dict(DatasetPage.objects.public_catalog().filter(theme__isnull=False).order_by().values_list("theme_id")
                .annotate(first=Min("first_published_at")))


def resource_dict(request: HttpRequest, resource: Resource, *, position: int) -> dict[str, Any]:
    return {
        "id": str(resource.pk), "package_id": str(resource.dataset_id), "name": resource.name,
        "description": resource.description, "format": resource.format.upper(),
        "mimetype": rules.FORMAT_MEDIA_TYPES.get(resource.format, ""),
        "url": public_url(request, reverse("opendata:resource_download", args=[resource.pk, resource.format])),
        "datastore_active": resource.ingested_at is not None,
        "api_url": public_url(request, f"/api/data/v1/resources/{resource.pk}/rows"),
        "size": resource.size or None, "hash": "", "position": position, "state": "active",
        "url_type": None, "resource_type": None, "cache_url": None,
        "created": _ckan_time(resource.created_at), "last_modified": _ckan_time(resource.ingested_at),
        "metadata_modified": _ckan_time(resource.updated_at),
    }


def _extras(dataset: DatasetPage) -> list[dict[str, str]]:
    temporal = ""
    if dataset.temporal_start or dataset.temporal_end:
        start = dataset.temporal_start.isoformat() if dataset.temporal_start else ".."
        end = dataset.temporal_end.isoformat() if dataset.temporal_end else ".."
        temporal = f"{start}/{end}"
    pairs = [
        ("资源代码", dataset.code),
        ("共享类型", dataset.get_share_type_display()),
        ("共享条件", dataset.share_condition),
        ("共享方式", dataset.get_share_method_display()),
        ("开放类型", dataset.get_open_type_display()),
        ("开放条件", dataset.open_condition),
        ("资源密级", dataset.get_classification_display()),
        ("更新周期", dataset.get_update_frequency_display()),
        ("发布日期", dataset.published_on.isoformat() if dataset.published_on else ""),
        ("更新日期", dataset.updated_on.isoformat() if dataset.updated_on else ""),
        ("时间范围", temporal),
        ("空间范围", dataset.spatial_coverage),
        ("access_rights", rules.access_rights(open_type=dataset.open_type)),
        ("frequency", rules.FREQUENCY_IRIS.get(dataset.update_frequency, "")),
    ]
    return [{"key": key, "value": value} for key, value in pairs if value]


def package_dicts(request: HttpRequest, datasets: list[DatasetPage]) -> list[dict[str, Any]]:
    """CKAN package dicts for datasets of catalog(), reading tags and resources in one query each."""
    ids = [dataset.pk for dataset in datasets]
    tags = selectors.tags_by_dataset(dataset_ids=ids)
    resources = selectors.resources_by_dataset(dataset_ids=ids)
    created = themes_created() if datasets else {}
    return [_package(request, dataset, tags.get(dataset.pk, []), resources.get(dataset.pk, []), created)
            for dataset in datasets]


def _package(request: HttpRequest, dataset: DatasetPage, tags: list[str], resources: list[Resource],
             themes: dict[int, dt.datetime]) -> dict:
    license_id = CKAN_LICENSES.get(dataset.license, dataset.license)
    return {
        "id": str(dataset.pk), "name": dataset.slug, "title": dataset.title, "notes": dataset.summary,
        "url": public_url(request, dataset.get_full_url(request) or dataset.url or "/"),
        "type": "dataset", "state": "active", "private": False,
        "version": None, "author": dataset.publisher.name, "author_email": dataset.publisher.email or None,
        "maintainer": dataset.effective_contact or None,
        "maintainer_email": dataset.contact_email or dataset.publisher.email or None,
        "license_id": license_id, "license_title": dataset.get_license_display(),
        "license_url": rules.LICENSE_URLS.get(dataset.license, ""), "isopen": True,
        "metadata_created": _ckan_time(selectors.dataset_published_at(dataset=dataset)),
        "metadata_modified": _ckan_time(selectors.dataset_modified_at(dataset=dataset)),
        "owner_org": str(dataset.publisher_id), "organization": organization_dict(dataset.publisher),
        "groups": [group_dict(dataset.theme, created=themes.get(dataset.theme_id))] if dataset.theme else [],
        "tags": [{"id": name, "name": name, "display_name": name, "state": "active", "vocabulary_id": None}
                 for name in tags],
        "num_tags": len(tags),
        "resources": [resource_dict(request, resource, position=n) for n, resource in enumerate(resources)],
        "num_resources": len(resources),
        "extras": _extras(dataset),
        "relationships_as_object": [], "relationships_as_subject": [], "creator_user_id": None,
    }


def _find_dataset(name_or_id: str) -> DatasetPage:
    """A public dataset by name (slug), 资源代码 or id; a name wins over an id spelled the same."""
    queryset = catalog()
    dataset = queryset.filter(slug=name_or_id).first() or queryset.filter(code=name_or_id).first()
    if dataset is None and _small_int(name_or_id):
        dataset = queryset.filter(pk=int(name_or_id)).first()
    if dataset is None:
        raise NotFound("未找到该数据集（Not found）。")
    return dataset


def _small_int(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) < 10


def _find_by_name_or_id(model, name_or_id: str, *, name_field: str = "slug"):
    found = model.objects.filter(**{name_field: name_or_id}).first()
    if found is None and _small_int(name_or_id):
        found = model.objects.filter(pk=int(name_or_id)).first()
    return found


# --- package_search: q, fq, sort and facets ----------------------------------------------------------------

_FQ_TOKEN = re.compile(r'\s*(?:(?P<joiner>AND|&&)\b|(?P<sign>[+-]?)(?P<field>[A-Za-z_.]+):'
                       r'(?P<value>"(?:[^"\\]|\\.)*"|[\[{][^\]}]*[\]}]|[^\s"\[\]{}]+))\s*')
# [a TO b] includes its bounds, {a TO b} leaves them out (Solr's syntax, which harvesters use).
_RANGE = re.compile(r"^([\[{])\s*(\S+)\s+TO\s+(\S+)\s*([\]}])$")
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id")
SORT_FIELDS = {
    "metadata_modified": "modified",
    "metadata_created": "first_published_at",
    "title_string": "title",
    "title": "title",
    "name": "slug",
    "views_recent": "stats__view_count",
    "views_total": "stats__view_count",
}
DEFAULT_SORT = "score desc, metadata_modified desc"


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _when(text: str, field: str) -> dt.datetime | None:
    if text == "*":
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise SearchQueryError(
            f"Search Query is invalid: {field} 的时间“{text}”应为 ISO 8601，如 2025-01-01T00:00:00Z。") from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, dt.timezone.utc)


def _condition(field: str, value: str) -> Q:
    """The condition `field:value` of a CKAN filter query, on the fields this catalog has."""
    raw = value
    value = _unquote(value)
    if field in ("metadata_modified", "metadata_created"):
        match = _RANGE.match(raw)
        column = "modified" if field == "metadata_modified" else "first_published_at"
        if not match:
            raise SearchQueryError(f"Search Query is invalid: {field} 只支持范围，如 [2025-01-01T00:00:00Z TO *]。")
        start, end = _when(match.group(2), field), _when(match.group(3), field)
        condition = Q()
        if start:
            condition &= Q(**{f"{column}__{'gte' if match.group(1) == '[' else 'gt'}": start})
        if end:
            condition &= Q(**{f"{column}__{'lte' if match.group(4) == ']' else 'lt'}": end})
        return condition
    if field == "organization":
        return Q(publisher__slug=value)
    if field == "owner_org":
        return Q(publisher_id=int(value)) if _small_int(value) else Q(pk__in=[])
    if field == "groups":
        return Q(theme__slug=value)
    if field == "tags":
        return Q(pk__in=DatasetPageTag.objects.filter(tag__name=value).values("content_object_id"))
    if field == "res_format":
        return Q(pk__in=Resource.objects.filter(format=value.lower(), ingested_at__isnull=False).values("dataset_id"))
    if field == "license_id":
        return Q(license=LICENSES_FROM_CKAN.get(value, value))
    if field == "name":
        return Q(slug=value)
    if field == "id":
        return Q(pk=int(value)) if _small_int(value) else Q(pk__in=[])
    if field in ("dataset_type", "type"):
        return Q() if value == "dataset" else Q(pk__in=[])
    if field in ("capacity", "state"):
        return Q() if value in ("public", "active") else Q(pk__in=[])
    raise SearchQueryError(
        f"Search Query is invalid: 不支持按“{field}”筛选。可用：organization、groups、tags、res_format、license_id、"
        "name、id、dataset_type、metadata_modified、metadata_created。"
    )


def _filter_query(text: str, param: str) -> Q:
    """A Solr-style filter query: `field:value` terms joined by spaces, AND or &&; `-field:value` excludes."""
    condition = Q()
    position = 0
    text = text.strip()
    while position < len(text):
        match = _FQ_TOKEN.match(text, position)
        if not match or match.end() == position:
            raise SearchQueryError(f"Search Query is invalid: 无法解析 {param} 中的“{text[position:position + 30]}”："
                                   "只支持以空格或 AND 连接的 字段:值 条件。")
        position = match.end()
        if match.group("joiner"):
            continue
        term = _condition(match.group("field"), match.group("value"))
        condition &= ~term if match.group("sign") == "-" else term
    return condition


def _text_query(q: str) -> Q:
    """CKAN's q: `*:*` is everything; `field:value` terms filter like fq; other words (Chinese substrings) must
    each appear in the title, summary, 资源代码 or a keyword."""
    condition = Q()
    q = q.strip()
    if q in ("", "*:*", "*"):
        return condition
    for word in q.split()[:10]:
        if word in ("AND", "&&"):
            continue
        if _FQ_TOKEN.fullmatch(word) and ":" in word:
            condition &= _filter_query(word, "q")
            continue
        word = _unquote(word)
        condition &= (Q(title__icontains=word) | Q(summary__icontains=word) | Q(code__icontains=word)
                      | Q(pk__in=DatasetPageTag.objects.filter(tag__name__icontains=word).values("content_object_id")))
    return condition


def _ordering(sort: str) -> list:
    from django.db.models import F

    ordering: list = []
    for part in sort.split(","):
        words = part.split()
        if not words:
            continue
        field, direction = words[0], (words[1].lower() if len(words) > 1 else "asc")
        if len(words) > 2 or direction not in ("asc", "desc"):
            raise SearchQueryError(f"Search Query is invalid: 排序“{part.strip()}”应为“字段 asc|desc”。")
        if field == "score":  # no relevance score here: the remaining keys decide
            continue
        if field not in SORT_FIELDS:
            raise SearchQueryError(f"Search Query is invalid: 不支持按“{field}”排序。可用："
                                   + "、".join(sorted({"score", *SORT_FIELDS})) + "。")
        expression = F(SORT_FIELDS[field])
        ordering.append(expression.desc(nulls_last=True) if direction == "desc" else expression.asc(nulls_last=True))
    return [*ordering, "-modified", "pk"] if not ordering else [*ordering, "pk"]


def _facets(queryset: QuerySet[DatasetPage], fields: list[str], *, limit: int, mincount: int
            ) -> tuple[dict, dict]:
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, dict] = {}
    ids = queryset.order_by().values("pk")
    for field in fields:
        if field == "organization":
            rows = (DatasetPage.objects.filter(pk__in=ids).order_by().values_list("publisher__slug", "publisher__name")
                    .annotate(n=Count("pk")))
        elif field == "groups":
            rows = (DatasetPage.objects.filter(pk__in=ids, theme__isnull=False).order_by()
                    .values_list("theme__slug", "theme__name").annotate(n=Count("pk")))
        elif field == "tags":
            rows = (DatasetPageTag.objects.filter(content_object_id__in=ids).order_by()
                    .values_list("tag__name", "tag__name").annotate(n=Count("content_object_id", distinct=True)))
        elif field == "res_format":
            rows = [(fmt.upper(), fmt.upper(), n) for fmt, n in
                    Resource.objects.filter(dataset_id__in=ids, ingested_at__isnull=False).order_by()
                    .values_list("format").annotate(n=Count("dataset_id", distinct=True))]
        elif field == "license_id":
            labels = dict(rules.License.choices)
            rows = [(CKAN_LICENSES.get(value, value), labels.get(value, value), n) for value, n in
                    DatasetPage.objects.filter(pk__in=ids).order_by().values_list("license").annotate(n=Count("pk"))]
        else:
            raise SearchQueryError(f"Search Query is invalid: 不支持的分面字段“{field}”。可用：" + "、".join(FACET_FIELDS) + "。")
        items = sorted(((name, label, n) for name, label, n in rows if n >= mincount), key=lambda r: (-r[2], r[0]))
        if limit >= 0:
            items = items[:limit]
        facets[field] = {name: n for name, _, n in items}
        search_facets[field] = {"title": field, "items": [{"name": name, "display_name": label, "count": n}
                                                          for name, label, n in items]}
    return facets, search_facets


def package_search(request: HttpRequest, params: dict) -> dict:
    """Search the public datasets: q, fq (field:value terms, metadata_modified:[FROM TO *]), sort, rows, start,
    facet.field."""
    q = _text(params, "q", limit=500)
    fq = _text(params, "fq", limit=1000)
    sort = _text(params, "sort", limit=200) or DEFAULT_SORT
    rows = _int(params, "rows", ROWS_DEFAULT, maximum=ROWS_MAX)
    start = _int(params, "start", 0, maximum=100_000)
    facet_fields = _list(params, "facet.field") if _bool(params, "facet", True) else []
    facet_limit = _int(params, "facet.limit", FACET_LIMIT_DEFAULT, minimum=-1)
    mincount = _int(params, "facet.mincount", 1)
    queryset = catalog().filter(_text_query(q)).filter(_filter_query(fq, "fq"))
    ordering = _ordering(sort)
    count = queryset.count()
    page = list(queryset.order_by(*ordering)[start:start + rows]) if rows else []
    facets, search_facets = _facets(queryset, facet_fields, limit=facet_limit, mincount=mincount)
    return {"count": count, "sort": sort, "results": package_dicts(request, page), "facets": facets,
            "search_facets": search_facets}


# --- the other actions -------------------------------------------------------------------------------------


def package_list(request: HttpRequest, params: dict) -> list[str]:
    """Return the names of the public datasets (limit, offset)."""
    limit = _int(params, "limit", LIST_MAX, maximum=LIST_MAX) or LIST_MAX
    offset = _int(params, "offset", 0)
    return list(DatasetPage.objects.public_catalog().order_by("slug", "pk")
                .values_list("slug", flat=True)[offset:offset + limit])


def current_package_list_with_resources(request: HttpRequest, params: dict) -> list[dict]:
    """Return the public datasets with their resources, most recently modified first (limit, offset)."""
    limit = _int(params, "limit", 10, maximum=LIST_MAX) or 10
    offset = _int(params, "offset", 0)
    return package_dicts(request, list(catalog().order_by("-modified", "pk")[offset:offset + limit]))


def package_show(request: HttpRequest, params: dict) -> dict:
    """Return a public dataset (id: its name, 资源代码 or id) with its resources."""
    return package_dicts(request, [_find_dataset(_text(params, "id", required=True))])[0]


def resource_show(request: HttpRequest, params: dict) -> dict:
    """Return a resource (id) of a public dataset."""
    name_or_id = _text(params, "id", required=True)
    resource = None
    if _small_int(name_or_id):
        resource = (Resource.objects.filter(pk=int(name_or_id), ingested_at__isnull=False,
                                            dataset__in=DatasetPage.objects.public_catalog().values("pk")).first())
    if resource is None:
        raise NotFound("未找到该资源（Not found）。")
    siblings = list(Resource.objects.filter(dataset_id=resource.dataset_id, ingested_at__isnull=False)
                    .order_by("sort_order", "pk").values_list("pk", flat=True))
    return resource_dict(request, resource, position=siblings.index(resource.pk))


def _counts(field: str) -> dict[int, int]:
    return dict(DatasetPage.objects.public_catalog().order_by().values_list(field).annotate(n=Count("pk")))


def _group_listing(params: dict, queryset: QuerySet, to_dict: Callable, count_field: str, names_param: str
                   ) -> list:
    all_fields = _bool(params, "all_fields", False)
    include_count = _bool(params, "include_dataset_count", True)
    sort = _text(params, "sort", limit=50) or "title asc"
    limit = _int(params, "limit", LIST_MAX, maximum=LIST_MAX) or LIST_MAX
    offset = _int(params, "offset", 0)
    counts = _counts(count_field)
    wanted = _list(params, names_param)
    items = [item for item in queryset if not wanted or item.slug in wanted]
    field, _, direction = sort.partition(" ")
    keys = {"name": lambda item: item.slug, "title": lambda item: item.name,
            "package_count": lambda item: counts.get(item.pk, 0)}
    if field not in keys or direction.strip().lower() not in ("", "asc", "desc"):
        raise Invalid(fields={"sort": ["排序应为 name、title 或 package_count，加 asc 或 desc。"]})
    items.sort(key=keys[field], reverse=direction.strip().lower() == "desc")
    items = items[offset:offset + limit]
    if not all_fields:
        return [item.slug for item in items]
    return [to_dict(item, package_count=counts.get(item.pk, 0) if include_count else None) for item in items]


def organization_list(request: HttpRequest, params: dict) -> list:
    """Return the publishers (organizations): names, or dicts with all_fields."""
    return _group_listing(params, Publisher.objects.all(), organization_dict, "publisher", "organizations")


def group_list(request: HttpRequest, params: dict) -> list:
    """Return the themes (groups) that have public datasets."""
    used = DatasetPage.objects.public_catalog().filter(theme__isnull=False).values("theme_id")
    created = themes_created()
    return _group_listing(params, Theme.objects.filter(pk__in=used),
                          functools.partial(_group_with_created, created=created), "theme", "groups")


def _group_with_created(theme: Theme, *, created: dict[int, dt.datetime], **kwargs) -> dict[str, Any]:
    return group_dict(theme, created=created.get(theme.pk), **kwargs)


def _group_show(request: HttpRequest, params: dict, *, model, to_dict: Callable, field: str) -> dict:
    found = _find_by_name_or_id(model, _text(params, "id", required=True))
    if found is None:
        raise NotFound("未找到（Not found）。")
    datasets = catalog().filter(**{field: found}).order_by("-modified", "pk")
    result = to_dict(found, package_count=datasets.count())
    result.update({"users": [], "extras": [], "groups": [], "tags": []})
    if _bool(params, "include_datasets", False):
        result["packages"] = package_dicts(request, list(datasets[:LIST_MAX]))
    return result


def organization_show(request: HttpRequest, params: dict) -> dict:
    """Return a publisher (id or name); include_datasets adds its datasets."""
    return _group_show(request, params, model=Publisher, to_dict=organization_dict, field="publisher")


def group_show(request: HttpRequest, params: dict) -> dict:
    """Return a theme (id or name); include_datasets adds its datasets."""
    used = DatasetPage.objects.public_catalog().filter(theme__isnull=False).values("theme_id")
    found = _find_by_name_or_id(Theme, _text(params, "id", required=True))
    if found is None or not used.filter(theme_id=found.pk).exists():
        raise NotFound("未找到（Not found）。")
    return _group_show(request, {**params, "id": found.slug}, model=Theme, field="theme",
                       to_dict=functools.partial(_group_with_created, created=themes_created()))


def tag_list(request: HttpRequest, params: dict) -> list:
    """Return the keywords of the public datasets (query narrows them)."""
    query = _text(params, "query", limit=100)
    if _text(params, "vocabulary_id", limit=100):
        return []  # no tag vocabularies here: only free tags
    tags = (DatasetPageTag.objects.filter(content_object_id__in=DatasetPage.objects.public_catalog().values("pk"))
            .order_by("tag__name").values_list("tag__name", flat=True).distinct())
    if query:
        tags = tags.filter(tag__name__icontains=query)
    names = list(tags[:LIST_MAX])
    if _bool(params, "all_fields", False):
        return [{"id": name, "name": name, "vocabulary_id": None} for name in names]
    return names


def status_show(request: HttpRequest, params: dict) -> dict:
    """Return the site name, its address and the CKAN API version this catalog answers as."""
    from portal.models import SiteIdentity

    identity = SiteIdentity.for_request(request)
    return {
        "site_title": identity.site_name, "site_description": "数据资源目录（CKAN Action API 兼容接口）",
        "site_url": public_url(request, "/").rstrip("/"), "ckan_version": CKAN_VERSION,
        "error_emails_to": None, "locale_default": "zh_Hans_CN", "extensions": [],
    }


def help_show(request: HttpRequest, params: dict) -> str:
    """Return the help text of an action (name): what it does and the parameters it takes."""
    name = _text(params, "name", required=True)
    function = ACTIONS.get(name)
    if function is None:
        raise NotFound(f"Action function not found: 没有名为“{name}”的接口。")
    return (function.__doc__ or "").strip()


def license_list(request: HttpRequest, params: dict) -> list[dict]:
    """Return the licences datasets of this catalog may carry (id, title, url) in CKAN's licence shape."""
    return [
        {"id": CKAN_LICENSES.get(value, value), "title": label, "url": rules.LICENSE_URLS.get(value, ""),
         "status": "active", "maintainer": "", "family": "", "domain_content": True, "domain_data": True,
         "domain_software": False, "od_conformance": "approved", "osd_conformance": "not reviewed",
         "is_okd_compliant": True, "is_osi_compliant": False, "is_generic": False}
        for value, label in rules.License.choices
    ]


def package_autocomplete(request: HttpRequest, params: dict) -> list[dict]:
    """Return up to limit (default 10) public datasets whose title or name contains q."""
    q = _text(params, "q", required=True, limit=100)
    limit = _int(params, "limit", 10, minimum=1, maximum=100)
    found = (DatasetPage.objects.public_catalog().filter(Q(title__icontains=q) | Q(slug__icontains=q))
             .order_by("title", "pk").values_list("slug", "title")[:limit])
    return [{"name": name, "title": title, "match_field": "title" if q.lower() in title.lower() else "name",
             "match_displayed": title if q.lower() in title.lower() else f"{name} ({title})"}
            for name, title in found]


def format_autocomplete(request: HttpRequest, params: dict) -> list[str]:
    """Return up to limit (default 5) resource formats in the catalog that contain q."""
    q = _text(params, "q", required=True, limit=50).lower()
    limit = _int(params, "limit", 5, minimum=1, maximum=100)
    formats = (Resource.objects.filter(ingested_at__isnull=False, format__icontains=q,
                                       dataset__in=DatasetPage.objects.public_catalog().values("pk"))
               .order_by().values_list("format", flat=True).distinct())
    return sorted(fmt.upper() for fmt in formats)[:limit]


def tag_show(request: HttpRequest, params: dict) -> dict:
    """Return a keyword (id or name) of the public catalog; include_datasets adds its datasets."""
    name = _text(params, "id", required=True, limit=100)
    datasets = catalog().filter(pk__in=DatasetPageTag.objects.filter(tag__name=name).values("content_object_id"))
    if not datasets.exists():
        raise NotFound("未找到该关键词（Not found）。")
    found: dict[str, Any] = {"id": name, "name": name, "display_name": name, "vocabulary_id": None}
    if _bool(params, "include_datasets", False):
        found["packages"] = package_dicts(request, list(datasets.order_by("-modified", "pk")[:LIST_MAX]))
    return found


def _dict_param(params: dict, name: str) -> dict:
    value = params.get(name)
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise Invalid(fields={name: ["应为 JSON 对象，如 {\"region\": \"河北省\"}。"]}) from None
    if not isinstance(value, dict):
        raise Invalid(fields={name: ["应为 JSON 对象。"]})
    return value


def _datastore_resource(request: HttpRequest, resource_id: str) -> Resource:
    resource = None
    if _small_int(resource_id):
        resource = (Resource.objects.select_related("dataset")
                    .filter(pk=int(resource_id), ingested_at__isnull=False,
                            dataset__in=DatasetPage.objects.public_catalog().values("pk")).first())
    if resource is None:
        raise NotFound(f"Resource \"{resource_id}\" was not found. 未找到该资源，或它所属的数据资源未开放。")
    try:
        access.authorise(request, dataset=resource.dataset)
    except access.Refused as refused:
        if refused.status == 429:
            raise RateLimited(refused.message, headers=refused.headers) from None
        raise NotAuthorized(refused.message, headers=refused.headers) from None
    return resource


def datastore_search(request: HttpRequest, params: dict) -> dict:
    """Search the rows of a resource (resource_id): filters (JSON object: field → value or list of values), q
    (words, or a JSON object field → words), fields, sort ("field asc|desc, …"; indexed fields and _id), limit
    (default 100, at most 1000), offset, distinct, include_total, records_format (objects, lists, csv, tsv).
    有条件开放 data needs the dataset's API key (Authorization or X-API-Key)."""
    resource_id = _text(params, "resource_id", limit=20) or _text(params, "id", required=True, limit=20)
    resource = _datastore_resource(request, resource_id)
    given_filters = _dict_param(params, "filters")
    filters = {name: value if isinstance(value, list) else [value] for name, value in given_filters.items()}
    raw_q = params.get("q", "")
    q: str | dict = _dict_param(params, "q") if (isinstance(raw_q, dict) or str(raw_q).lstrip().startswith("{")) \
        else _text(params, "q", limit=200)
    raw_fields = params.get("fields")
    fields = _list(params, "fields") if isinstance(raw_fields, list) or str(raw_fields or "").startswith("[") else \
        [part.strip() for part in _text(params, "fields", limit=2000).split(",") if part.strip()]
    raw_sort = params.get("sort")
    sort_text = raw_sort if isinstance(raw_sort, list) else _text(params, "sort", limit=500)
    limit = _int(params, "limit", datastore.DEFAULT_LIMIT, maximum=DATASTORE_MAX_LIMIT)
    offset = _int(params, "offset", 0, maximum=10_000_000)
    search = datastore.Search(
        filters=filters, q=q, fields=fields, limit=limit, offset=offset,
        distinct=_bool(params, "distinct", False), include_total=_bool(params, "include_total", True),
        records_format=_text(params, "records_format", limit=10) or "objects",
    )
    try:
        search = dataclasses.replace(search, sort=datastore.parse_sort(sort_text) if sort_text else [])
        found = datastore.run(resource, search)
    except datastore.DatastoreQueryError as error:
        raise Invalid(fields={error.param: [error.message]}) from None
    links = {"resource_id": str(resource.pk), "limit": limit}
    given = {
        "filters": json.dumps(given_filters, ensure_ascii=False) if given_filters else "",
        "q": json.dumps(q, ensure_ascii=False) if isinstance(q, dict) else q,
        "fields": ",".join(fields),
        "sort": sort_text if isinstance(sort_text, str) else ",".join(sort_text),
        "distinct": "true" if search.distinct else "",
        "records_format": "" if search.records_format == "objects" else search.records_format,
    }
    links.update({name: value for name, value in given.items() if value})
    base = reverse("opendata:ckan_action", args=["datastore_search"])
    result = {"include_total": search.include_total, "resource_id": str(resource.pk), "limit": limit,
              "total_estimation_threshold": None, **found,
              "_links": {"start": f"{base}?{urlencode(links)}",
                         "next": f"{base}?{urlencode({**links, 'offset': offset + limit})}"}}
    if offset:
        result["offset"] = offset
    for name in ("filters", "q", "sort", "distinct"):
        if params.get(name) not in (None, ""):
            result[name] = params[name]
    return result


ACTIONS: dict[str, Callable[[HttpRequest, dict], Any]] = {
    "package_list": package_list,
    "current_package_list_with_resources": current_package_list_with_resources,
    "package_search": package_search,
    "package_show": package_show,
    "resource_show": resource_show,
    "organization_list": organization_list,
    "organization_show": organization_show,
    "group_list": group_list,
    "group_show": group_show,
    "tag_list": tag_list,
    "status_show": status_show,
    "help_show": help_show,
    "license_list": license_list,
    "package_autocomplete": package_autocomplete,
    "format_autocomplete": format_autocomplete,
    "tag_show": tag_show,
    "datastore_search": datastore_search,
}
