"""Reads of the catalog, shaped for the pages that show them. Every public read starts from public_catalog()."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from wagtail.models import Page

from opendata import rules, schema_org, store
from opendata.filters import PUBLIC_OPEN_TYPES, SORTS, CatalogQuery
from opendata.models import DatasetPage, DatasetPageTag, DatasetStats, Resource
from opendata.rules import ResourceFormat, UpdateFrequency
from portal.sitemaps import public_url

PREVIEW_ROWS = 10


# --- the catalog -------------------------------------------------------------------------------------------


def _with_resources(format_value: str) -> Q:
    return Q(pk__in=Resource.objects.filter(format=format_value, ingested_at__isnull=False).values("dataset_id"))


def dataset_filter(*, query: CatalogQuery, skip: str = "") -> QuerySet[DatasetPage]:
    """Public datasets narrowed by every facet of `query` except `skip` (for that facet's counts)."""
    queryset = DatasetPage.objects.public_catalog()
    if query.publisher and skip != "publisher":
        queryset = queryset.filter(publisher__slug=query.publisher)
    if query.theme and skip != "theme":
        queryset = queryset.filter(theme__slug=query.theme)
    if query.open_type and skip != "open_type":
        queryset = queryset.filter(open_type=query.open_type)
    if query.format and skip != "format":
        queryset = queryset.filter(_with_resources(query.format))
    if query.frequency and skip != "frequency":
        queryset = queryset.filter(update_frequency=query.frequency)
    if query.q:
        words = query.q.split()
        for word in words[:5]:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(summary__icontains=word) | Q(code__icontains=word)
                | Q(tagged_items__tag__name=word)
            ).distinct()
    return queryset


def dataset_search(*, query: CatalogQuery) -> QuerySet[DatasetPage]:
    """The catalog list: filtered, sorted, with what each row shows."""
    queryset = dataset_filter(query=query).select_related("publisher", "theme", "stats")
    if query.sort == "popular":
        order = [F("stats__view_count").desc(nulls_last=True), F("stats__download_count").desc(nulls_last=True),
                 "-updated_on", "-pk"]
    elif query.sort == "name":
        order = ["title", "pk"]
    else:
        order = ["-updated_on", "-pk"]
    return queryset.order_by(*order).only(
        "id", "title", "url_path", "path", "depth", "slug", "code", "summary", "open_type", "update_frequency",
        "updated_on", "published_on", "publisher__name", "publisher__slug", "theme__name", "theme__slug",
        "stats__view_count", "stats__download_count",
    )


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


def catalog_facets(*, query: CatalogQuery) -> dict[str, list[FacetValue]]:
    """Each facet's values with the number of datasets the other selected facets leave for them; the publishers and
    themes named are tagged as shown (a renamed one changes the page)."""
    from portal import cache_tags

    facets: dict[str, list[FacetValue]] = {}
    rows = (dataset_filter(query=query, skip="publisher").order_by()
            .values("publisher_id", "publisher__slug", "publisher__name", "publisher__sort_order")
            .annotate(n=Count("pk", distinct=True)).order_by("publisher__sort_order", "publisher__name"))
    facets["publisher"] = [FacetValue(r["publisher__slug"], r["publisher__name"], r["n"]) for r in rows]
    _shows_named(DatasetPage._meta.get_field("publisher").related_model, [r["publisher_id"] for r in rows])
    rows = (dataset_filter(query=query, skip="theme").filter(theme__isnull=False).order_by()
            .values("theme_id", "theme__slug", "theme__name", "theme__sort_order")
            .annotate(n=Count("pk", distinct=True)).order_by("theme__sort_order", "theme__name"))
    facets["theme"] = [FacetValue(r["theme__slug"], r["theme__name"], r["n"]) for r in rows]
    _shows_named(DatasetPage._meta.get_field("theme").related_model, [r["theme_id"] for r in rows])
    counts = dict(dataset_filter(query=query, skip="open_type").order_by().values_list("open_type")
                  .annotate(n=Count("pk", distinct=True)))
    facets["open_type"] = [FacetValue(v, label, counts[v]) for v, label in PUBLIC_OPEN_TYPES.items() if counts.get(v)]
    counts = dict(
        Resource.objects.filter(ingested_at__isnull=False,
                                dataset_id__in=dataset_filter(query=query, skip="format").values("pk"))
        .order_by().values_list("format").annotate(n=Count("dataset_id", distinct=True))
    )
    facets["format"] = [FacetValue(v, label, counts[v]) for v, label in ResourceFormat.choices if counts.get(v)]
    resources = cache_tags.tracked_label(Resource)
    if resources is not None:
        cache_tags.shows(f"{resources}:all")  # any resource ingested or changed may change these counts
    counts = dict(dataset_filter(query=query, skip="frequency").order_by().values_list("update_frequency")
                  .annotate(n=Count("pk", distinct=True)))
    facets["frequency"] = [FacetValue(v, label, counts[v]) for v, label in UpdateFrequency.choices if counts.get(v)]
    return facets


def _shows_named(model, pks: list[int]) -> None:
    """A list names these objects of a tracked model (read as values, not loaded): tagged as if loaded."""
    from portal import cache_tags

    label = cache_tags.tracked_label(model)
    if label is not None and pks:
        cache_tags.shows(f"{label}:set", *(f"{label}:{pk}" for pk in pks))


def catalog_facets_kept(*, query: CatalogQuery) -> dict[str, list[FacetValue]]:
    """catalog_facets, kept as a fragment under the tags of what they count and name (any dataset published or
    changed, a publisher or theme renamed builds them again): counting six facets took a third of a catalog render.
    A free-text search is counted each time (its words would fill the cache)."""
    from portal import fragment_cache

    if query.q:
        return catalog_facets(query=query)
    key = repr(sorted(query.active().items()))
    return fragment_cache.fragment(name="catalog-facets", key=key, build=lambda: catalog_facets(query=query))


FACET_LABELS = {"publisher": "提供方", "theme": "主题分类", "open_type": "开放类型", "format": "数据格式",
                "frequency": "更新周期"}
SORT_LABELS = SORTS


def resource_formats(*, datasets: list[DatasetPage]) -> dict[int, list[str]]:
    """Dataset id → the formats of its resources, for a page of the catalog (one query)."""
    formats: dict[int, set[str]] = {}
    rows = Resource.objects.filter(dataset_id__in=[d.pk for d in datasets], ingested_at__isnull=False)
    for dataset_id, fmt in rows.values_list("dataset_id", "format"):
        formats.setdefault(dataset_id, set()).add(ResourceFormat(fmt).label)
    return {key: sorted(value) for key, value in formats.items()}


# --- one dataset -------------------------------------------------------------------------------------------


def data_api_url(request, resource: Resource) -> str:
    return public_url(request, f"/api/data/v1/resources/{resource.pk}/rows")


def api_examples(*, request, resource: Resource, conditional: bool) -> dict[str, str]:
    """Copy-paste examples of the data API for the page (curl and Python)."""
    url = data_api_url(request, resource)
    indexed = [item for item in resource.schema if item.get("indexed")]
    params = {"limit": "20"}
    if indexed:
        params["sort"] = indexed[0]["name"]
    key_header = ' -H "X-API-Key: 您的密钥"' if conditional else ""
    query = "&".join(f"{k}={v}" for k, v in params.items())
    curl = f'curl{key_header} "{url}?{query}"'
    python_lines = [
        "import requests",
        "",
        f'url = "{url}"',
        f"params = {json.dumps(params, ensure_ascii=False)}",
    ]
    if conditional:
        python_lines.append('headers = {"X-API-Key": "您的密钥"}')
        python_lines.append("page = requests.get(url, params=params, headers=headers, timeout=30).json()")
    else:
        python_lines.append("page = requests.get(url, params=params, timeout=30).json()")
    python_lines += ["for record in page[\"records\"]:", "    print(record)"]
    return {"url": url, "curl": curl, "python": "\n".join(python_lines)}


def dataset_dictionary(*, dataset: DatasetPage, resources: list[Resource]) -> list[dict]:
    """The data dictionary to show: the declared 信息项, or the schema inferred from the first resource."""
    declared = list(dataset.data_fields.all())
    if declared:
        return [{"name": f.name, "label": f.label, "type": f.get_field_type_display(), "unit": f.unit,
                 "description": f.description, "filterable": f.filterable or f.indexed, "indexed": f.indexed}
                for f in declared]
    if resources:
        return [{**item, "type": rules.FieldType(item["type"]).label} for item in resources[0].schema]
    return []


def related_pages(*, dataset: DatasetPage) -> list[Page]:
    ids = list(dataset.related_links.values_list("page_id", flat=True))
    pages = Page.objects.live().public().filter(pk__in=ids).specific().only("id", "title", "url_path", "path",
                                                                               "depth", "first_published_at")
    by_id = {page.pk: page for page in pages}
    return [by_id[pk] for pk in ids if pk in by_id]


def related_section(*, dataset: DatasetPage, request) -> str:
    """The 相关政策和新闻 section, written: kept in the fragment cache under the dataset's tag and those of the pages
    it lists (unpublishing, moving or retitling one builds it again; publishing the dataset is a new key), since
    reading the links, the pages and their types was three queries and a fifth of the page's render. A preview shows
    it as edited."""
    from django.template.loader import render_to_string

    from portal import cache_tags, fragment_cache

    def build() -> str:
        cache_tags.shows(f"page:{dataset.pk}")
        return str(render_to_string("opendata/dataset/related.html",
                                    {"request": request, "related": related_pages(dataset=dataset)}))

    return mark_safe(fragment_cache.page_part(name="dataset-related", page=dataset, request=request, build=build,
                                              private=True))


def _views_pending(dataset_id: int) -> int:
    from django.core.cache import cache

    return int(cache.get(f"opendata:views-pending:{dataset_id}") or 0)


def data_sections(*, dataset: DatasetPage, resources: list[Resource], data_public: bool, request) -> str:
    """The 信息项, 数据文件 and 数据预览 sections, written: kept in the fragment cache under a key made of what they show
    (the dataset's publication, and each shown resource's import), so reading the data dictionary and the preview
    rows and writing their tables happen once per import. A preview shows them as edited."""
    from django.template.loader import render_to_string

    from portal import cache_tags, fragment_cache

    def build() -> str:
        cache_tags.shows(f"page:{dataset.pk}")
        preview_resource = resources[0] if resources else None
        preview = None
        if data_public and preview_resource is not None:
            names = [item["name"] for item in preview_resource.schema]
            preview = {
                "resource": preview_resource,
                "headers": [item.get("label") or item["name"] for item in preview_resource.schema],
                "rows": [[row.get(name) for name in names]
                         for row in store.first_rows(resource=preview_resource, limit=PREVIEW_ROWS)],
            }
        downloads = {
            resource.pk: [(fmt.upper(), reverse("opendata:resource_download", args=[resource.pk, fmt]))
                          for fmt in ("csv", "json", "xlsx")]
            for resource in resources
        } if data_public else {}
        return str(render_to_string("opendata/dataset/data.html", {
            "request": request,
            "dictionary": dataset_dictionary(dataset=dataset, resources=resources),
            "resources": [{"resource": r, "downloads": downloads.get(r.pk, [])} for r in resources],
            "preview": preview,
            "data_public": data_public,
        }))

    shown = ";".join(f"{r.pk},{r.ingested_at},{r.row_count},{r.name},{r.format}" for r in resources)
    return mark_safe(fragment_cache.page_part(name="dataset-data", page=dataset, request=request, build=build,
                                              key=(data_public, shown)))


def dataset_page_context(*, dataset: DatasetPage, request) -> dict:
    resources = dataset.shown_resources()
    data_public = dataset.data_is_public
    preview_resource = resources[0] if resources else None
    stats = DatasetStats.objects.filter(dataset=dataset).first()
    return {
        "breadcrumb": dataset.breadcrumb(),
        "metadata": dataset.metadata_rows(),
        "data_sections": data_sections(dataset=dataset, resources=resources, data_public=data_public,
                                       request=request),
        "data_public": data_public,
        "access_rights": rules.access_rights(open_type=dataset.open_type),
        "api": api_examples(request=request, resource=preview_resource,
                            conditional=not data_public) if preview_resource else None,
        "related_section": related_section(dataset=dataset, request=request),
        # The stored count and the views not yet written (opendata.services.dataset_views_flush).
        "view_count": (stats.view_count if stats else 0) + _views_pending(dataset.pk),
        "download_count": stats.download_count if stats else 0,
        "catalog_url": reverse("opendata:catalog"),
        "json_ld": mark_safe(schema_org.script_json(schema_org.dataset(dataset=dataset, resources=resources,
                                                                      request=request))),
    }


# --- catalog interfaces (CKAN, DCAT, feeds) ----------------------------------------------------------------


def with_modified(queryset: QuerySet[DatasetPage]) -> QuerySet[DatasetPage]:
    """Annotate `modified`: when the dataset last changed, its metadata (last publish) or its data (last import)."""
    published = Coalesce("last_published_at", "first_published_at")
    imported = Subquery(Resource.objects.filter(dataset=OuterRef("pk"), ingested_at__isnull=False)
                        .order_by("-ingested_at").values("ingested_at")[:1])
    # Coalesce on both sides: SQLite's MAX(a, NULL) is NULL, and a page never published through a revision has no
    # publication time at all (its data may still carry the date).
    return queryset.annotate(modified=Greatest(Coalesce(published, imported), Coalesce(imported, published)))


def dataset_published_at(*, dataset: DatasetPage) -> dt.datetime:
    """When the dataset was first published: its first publication, else the start of its 发布日期."""
    return dataset.first_published_at or _start_of(dataset.published_on)


def dataset_modified_at(*, dataset: DatasetPage) -> dt.datetime:
    """When the dataset last changed (with_modified()'s `modified`), never before it was published."""
    published = dataset_published_at(dataset=dataset)
    modified = getattr(dataset, "modified", None) or dataset.last_published_at
    return max(modified, published) if modified else published


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def tags_by_dataset(*, dataset_ids: list[int]) -> dict[int, list[str]]:
    """Dataset id → its keywords (关键词), sorted, for many datasets in one query."""
    found: dict[int, list[str]] = {}
    rows = (DatasetPageTag.objects.filter(content_object_id__in=dataset_ids)
            .order_by("tag__name").values_list("content_object_id", "tag__name"))
    for dataset_id, name in rows:
        found.setdefault(dataset_id, []).append(name)
    return found


def resources_by_dataset(*, dataset_ids: list[int]) -> dict[int, list[Resource]]:
    """Dataset id → its resources that hold data, in page order, for many datasets in one query."""
    found: dict[int, list[Resource]] = {}
    rows = Resource.objects.filter(dataset_id__in=dataset_ids, ingested_at__isnull=False).order_by(
        "dataset_id", "sort_order", "pk")
    for resource in rows:
        found.setdefault(resource.dataset_id, []).append(resource)
    return found


# --- the 开发者 page ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeveloperExample:
    name: str
    description: str
    url: str  # absolute, as a developer would paste it
    command: str
    docs_url: str = ""


def developer_examples(*, request) -> list[DeveloperExample]:
    """One copyable request for each interface (data API, catalog API, CKAN, DCAT, feeds), on this site's address."""
    absolute = request.build_absolute_uri
    resource = (Resource.objects.filter(ingested_at__isnull=False, dataset__in=DatasetPage.objects.public_catalog(),
                                        dataset__open_type__in=[rules.OpenType.OPEN])
                .order_by("pk").only("pk").first())
    rows = absolute(f"/api/data/v1/resources/{resource.pk if resource else 1}/rows") + "?limit=20"
    docs = "/api/data/v1/docs"
    examples = [
        ("数据接口", "按信息项筛选、排序、分页读取一个数据文件的数据行（JSON）；有条件开放的数据须带 X-API-Key 请求头。",
         rows, docs),
        ("目录接口", "分页列出数据资源目录，可按关键词、提供方、主题、开放类型筛选。",
         absolute("/api/data/v1/datasets") + "?q=预算", docs),
        ("CKAN 接口", "兼容 CKAN Action API v3 的 package_list、package_search、package_show 等，现有 CKAN 客户端可直接使用。",
         absolute(reverse("opendata:ckan_action", args=["package_search"])) + "?q=预算&rows=5", ""),
        ("DCAT 目录", "整个数据资源目录的 DCAT 描述，JSON-LD 和 Turtle 两种格式，支持条件请求。",
         absolute(reverse("opendata:dcat_catalog", args=["jsonld"])), ""),
        ("订阅源", "数据资源新增和更新的 RSS 2.0 与 Atom 订阅源，可带目录的筛选参数。",
         absolute(reverse("opendata:dataset_feed", args=["atom"])), ""),
    ]
    return [DeveloperExample(name, description, url, f'curl "{url}"', docs_url)
            for name, description, url, docs_url in examples]
