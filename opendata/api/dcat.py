"""The catalog as DCAT (W3C DCAT 2, with the EU vocabularies DCAT-AP uses), in JSON-LD and Turtle, built with rdflib.

dcat:Catalog → dcat:Dataset (one per public dataset) → dcat:Distribution (one per resource), and a
dcat:DataService for the data API that serves every dataset. 开放类型 maps onto dct:accessRights (the EU
access-right vocabulary: 无条件开放 PUBLIC, 有条件开放 RESTRICTED); the Chinese wording of 开放/共享 type and
condition goes into a dct:rights statement.

The data dictionary (信息项) sits on the distribution as a CSV on the Web table schema (csvw:tableSchema with an
ordered list of csvw:column: name, title, datatype, unit as schema:unitText, description), since the CSV download
is what it describes, and dct:conformsTo points at the resource's machine-readable schema in the data API.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from calendar import timegm
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_GET
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import CSVW, DCAT, DCTERMS, FOAF, RDF, RDFS, SDO, SKOS, XSD

from opendata import rules, selectors
from opendata.api import access
from opendata.models import DatasetPage, Resource
from portal.sitemaps import public_base_url, public_url

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ACCESS_RIGHTS = "http://publications.europa.eu/resource/authority/access-right/"
FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
LANGUAGE = URIRef("http://publications.europa.eu/resource/authority/language/ZHO")
# Every dataset here is finance data: the EU data theme "Economy and finance", beside our own 主题分类.
DATA_THEMES = URIRef("http://publications.europa.eu/resource/authority/data-theme")
ECONOMY_AND_FINANCE = URIRef("http://publications.europa.eu/resource/authority/data-theme/ECON")
SERVICE_KEYWORDS = ("数据开放", "财政数据", "数据接口", "OpenAPI")
OPENAPI = URIRef("https://spec.openapis.org/oas/v3.1.0")
# An empty catalog has no dataset to date it by; a fixed moment keeps its Last-Modified (and 304s) stable.
EMPTY_CATALOG_MODIFIED = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
ZH = "zh"
FORMATS = {
    "jsonld": "application/ld+json; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
}
CACHE_CONTROL = "public, max-age=300"
OPEN_TYPE_RIGHTS = {rules.OpenType.OPEN: "PUBLIC", rules.OpenType.CONDITIONAL: "RESTRICTED"}
DATATYPES = {
    rules.FieldType.STRING: XSD.string,
    rules.FieldType.INTEGER: XSD.integer,
    rules.FieldType.DECIMAL: XSD.decimal,
    rules.FieldType.DATE: XSD.date,
    rules.FieldType.BOOLEAN: XSD.boolean,
}
CONTEXT = {
    "dcat": str(DCAT), "dct": str(DCTERMS), "foaf": str(FOAF), "vcard": str(VCARD), "csvw": str(CSVW),
    "skos": str(SKOS), "xsd": str(XSD), "rdfs": str(RDFS), "schema": str(SDO),
}


def _bind(graph: Graph) -> None:
    for prefix, namespace in CONTEXT.items():
        graph.bind(prefix, Namespace(namespace))


def build_graph(request: HttpRequest, datasets: list[DatasetPage]) -> Graph:
    """The DCAT graph of `datasets` (all from the public catalog)."""
    def absolute(path: str) -> str:
        return public_url(request, path)

    graph = Graph()
    _bind(graph)
    site_name = _site_name(request)
    catalog = URIRef(absolute(reverse("opendata:catalog")))
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(f"{site_name}数据资源目录", lang=ZH)))
    graph.add((catalog, DCTERMS.description, Literal(f"{site_name}开放的数据资源：无条件开放和有条件开放的数据集。", lang=ZH)))
    graph.add((catalog, FOAF.homepage, catalog))
    graph.add((catalog, DCTERMS.language, LANGUAGE))
    site = URIRef(absolute("/"))
    graph.add((site, RDF.type, FOAF.Organization))
    graph.add((site, FOAF.name, Literal(site_name, lang=ZH)))
    graph.add((catalog, DCTERMS.publisher, site))
    # The catalog's own metadata is open under CC BY 4.0, whatever each dataset's licence.
    catalog_license = URIRef(rules.LICENSE_URLS[rules.License.CC_BY_4])
    graph.add((catalog, DCTERMS.license, catalog_license))
    graph.add((catalog_license, RDF.type, DCTERMS.LicenseDocument))
    if datasets:
        graph.add((catalog, DCTERMS.issued, Literal(min(_issued(d) for d in datasets), datatype=XSD.date)))
        graph.add((catalog, DCTERMS.modified, Literal(_moment(catalog_modified(datasets)), datatype=XSD.dateTime)))

    service = URIRef(absolute("/api/data/v1/"))
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCTERMS.title, Literal("数据开放接口", lang=ZH)))
    graph.add((service, DCTERMS.description, Literal(
        "数据资源目录和数据行的 JSON 接口：按信息项筛选、排序和游标分页；有条件开放的数据须提供接口密钥。", lang=ZH)))
    graph.add((service, DCAT.endpointURL, service))
    graph.add((service, DCAT.endpointDescription, URIRef(absolute("/api/data/v1/openapi.json"))))
    graph.add((service, DCTERMS.conformsTo, OPENAPI))
    graph.add((OPENAPI, RDF.type, DCTERMS.Standard))
    graph.add((service, DCTERMS.accessRights, URIRef(ACCESS_RIGHTS + "PUBLIC")))
    graph.add((service, DCTERMS.publisher, site))
    graph.add((service, DCTERMS.license, catalog_license))
    graph.add((service, DCAT.theme, ECONOMY_AND_FINANCE))
    for keyword in SERVICE_KEYWORDS:
        graph.add((service, DCAT.keyword, Literal(keyword, lang=ZH)))
    graph.add((service, DCAT.contactPoint, _site_contact(graph, request, site_name)))
    graph.add((catalog, DCAT.service, service))

    ids = [dataset.pk for dataset in datasets]
    tags = selectors.tags_by_dataset(dataset_ids=ids)
    resources = selectors.resources_by_dataset(dataset_ids=ids)
    for dataset in datasets:
        node = _dataset(graph, request, dataset, tags.get(dataset.pk, []), resources.get(dataset.pk, []), service)
        graph.add((catalog, DCAT.dataset, node))
        graph.add((service, DCAT.servesDataset, node))
    _type_eu_terms(graph)
    return graph


def _type_eu_terms(graph: Graph) -> None:
    """Say what the EU vocabulary terms used are (the classes DCAT-AP expects of them), so that a harvester
    without the vocabularies loaded still sees a conforming graph."""
    classes = ((ACCESS_RIGHTS, DCTERMS.RightsStatement), (FILE_TYPES, DCTERMS.MediaTypeOrExtent),
               (str(LANGUAGE), DCTERMS.LinguisticSystem))
    for term in set(graph.objects()):
        for prefix, cls in classes:
            if isinstance(term, URIRef) and str(term).startswith(prefix):
                graph.add((term, RDF.type, cls))
    if (None, DCAT.theme, ECONOMY_AND_FINANCE) in graph:
        graph.add((ECONOMY_AND_FINANCE, RDF.type, SKOS.Concept))
        graph.add((ECONOMY_AND_FINANCE, SKOS.prefLabel, Literal("经济和财政", lang=ZH)))
        graph.add((ECONOMY_AND_FINANCE, SKOS.prefLabel, Literal("Economy and finance", lang="en")))
        graph.add((ECONOMY_AND_FINANCE, SKOS.inScheme, DATA_THEMES))


def _dataset(graph: Graph, request, dataset: DatasetPage, keywords: list[str], resources: list[Resource],
             service: URIRef) -> URIRef:
    def absolute(path: str) -> str:
        return public_url(request, path)

    node = URIRef(absolute(dataset.get_full_url(request) or dataset.url or "/"))
    add = graph.add
    add((node, RDF.type, DCAT.Dataset))
    add((node, DCTERMS.identifier, Literal(dataset.code)))
    add((node, DCTERMS.title, Literal(dataset.title, lang=ZH)))
    add((node, DCTERMS.description, Literal(dataset.summary, lang=ZH)))
    add((node, DCAT.landingPage, node))
    add((node, DCTERMS.language, LANGUAGE))
    add((node, DCTERMS.issued, Literal(_issued(dataset), datatype=XSD.date)))
    add((node, DCTERMS.modified, Literal(_moment(selectors.dataset_modified_at(dataset=dataset)),
                                         datatype=XSD.dateTime)))
    for keyword in keywords:
        add((node, DCAT.keyword, Literal(keyword, lang=ZH)))

    publisher = URIRef(absolute(reverse("opendata:catalog") + f"?publisher={quote(dataset.publisher.slug)}"))
    add((node, DCTERMS.publisher, publisher))
    add((publisher, RDF.type, FOAF.Organization))
    add((publisher, FOAF.name, Literal(dataset.publisher.name, lang=ZH)))

    if dataset.theme:
        theme = URIRef(absolute(reverse("opendata:catalog") + f"?theme={quote(dataset.theme.slug)}"))
        add((node, DCAT.theme, theme))
        add((theme, RDF.type, SKOS.Concept))
        add((theme, SKOS.prefLabel, Literal(dataset.theme.name, lang=ZH)))
    add((node, DCAT.theme, ECONOMY_AND_FINANCE))

    add((node, DCTERMS.accessRights, URIRef(ACCESS_RIGHTS + OPEN_TYPE_RIGHTS[dataset.open_type])))
    rights = BNode()
    add((node, DCTERMS.rights, rights))
    add((rights, RDF.type, DCTERMS.RightsStatement))
    add((rights, RDFS.label, Literal(_rights_text(dataset), lang=ZH)))

    frequency = URIRef(rules.FREQUENCY_IRIS[dataset.update_frequency])
    add((node, DCTERMS.accrualPeriodicity, frequency))
    add((frequency, RDF.type, DCTERMS.Frequency))
    license_url = rules.LICENSE_URLS.get(dataset.license)
    if license_url:
        add((node, DCTERMS.license, URIRef(license_url)))
        add((URIRef(license_url), RDF.type, DCTERMS.LicenseDocument))
        add((URIRef(license_url), RDFS.label, Literal(dataset.get_license_display(), lang=ZH)))

    start, end = dataset.temporal_start, dataset.temporal_end
    if not (start or end):
        start, end = data_time_span(resources)
    if start or end:
        period = BNode()
        add((node, DCTERMS.temporal, period))
        add((period, RDF.type, DCTERMS.PeriodOfTime))
        if start:
            add((period, DCAT.startDate, Literal(start, datatype=XSD.date)))
        if end:
            add((period, DCAT.endDate, Literal(end, datatype=XSD.date)))
    if dataset.spatial_coverage:
        place = BNode()
        add((node, DCTERMS.spatial, place))
        add((place, RDF.type, DCTERMS.Location))
        add((place, SKOS.prefLabel, Literal(dataset.spatial_coverage, lang=ZH)))

    contact = BNode()
    add((node, DCAT.contactPoint, contact))
    add((contact, RDF.type, VCARD.Organization))
    add((contact, VCARD.fn, Literal(dataset.publisher.name, lang=ZH)))
    if dataset.effective_contact:
        add((contact, VCARD.note, Literal(dataset.effective_contact, lang=ZH)))
    if email := dataset.contact_email or dataset.publisher.email:
        add((contact, VCARD.hasEmail, URIRef(f"mailto:{email}")))

    for resource in resources:
        add((node, DCAT.distribution, _distribution(graph, request, dataset, resource, service, license_url)))
    return node


def data_time_span(resources: list[Resource]) -> tuple[dt.date | None, dt.date | None]:
    """The time the data covers when no 时间范围 is declared: the earliest and latest date in its date fields,
    as recorded at import."""
    starts = [item["min"] for r in resources for item in r.schema if item.get("type") == rules.FieldType.DATE
              and item.get("min")]
    ends = [item["max"] for r in resources for item in r.schema if item.get("type") == rules.FieldType.DATE
            and item.get("max")]
    return (dt.date.fromisoformat(min(starts)) if starts else None,
            dt.date.fromisoformat(max(ends)) if ends else None)


def _rights_text(dataset: DatasetPage) -> str:
    parts = [rules.access_rights(open_type=dataset.open_type)]
    if dataset.open_condition:
        parts.append(f"开放条件：{dataset.open_condition}")
    parts.append(f"共享类型：{dataset.get_share_type_display()}")
    if dataset.share_condition:
        parts.append(f"共享条件：{dataset.share_condition}")
    return "；".join(part.rstrip("。") for part in parts) + "。"


def _distribution(graph: Graph, request, dataset: DatasetPage, resource: Resource, service: URIRef,
                  license_url: str | None) -> URIRef:
    """A resource: the CSV download when the data is open to all, otherwise its rows through the keyed API."""
    def absolute(path: str) -> str:
        return public_url(request, path)

    schema_url = URIRef(absolute(f"/api/data/v1/resources/{resource.pk}"))
    node = URIRef(f"{schema_url}#distribution")
    add = graph.add
    add((node, RDF.type, DCAT.Distribution))
    add((node, DCTERMS.title, Literal(resource.name, lang=ZH)))
    add((node, DCTERMS.description, Literal(_distribution_description(dataset, resource), lang=ZH)))
    add((node, DCAT.accessURL, URIRef(absolute(f"/api/data/v1/resources/{resource.pk}/rows"))))
    add((node, DCAT.accessService, service))
    if dataset.data_is_public:
        add((node, DCAT.downloadURL, URIRef(absolute(reverse("opendata:resource_download",
                                                             args=[resource.pk, "csv"])))))
        add((node, DCTERMS.format, URIRef(FILE_TYPES + "CSV")))
        add((node, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/text/csv")))
    else:
        add((node, DCTERMS.format, URIRef(FILE_TYPES + "JSON")))
        add((node, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/application/json")))
    if license_url:
        add((node, DCTERMS.license, URIRef(license_url)))
    add((node, DCTERMS.accessRights, URIRef(ACCESS_RIGHTS + OPEN_TYPE_RIGHTS[dataset.open_type])))
    if resource.ingested_at:
        add((node, DCTERMS.modified, Literal(timezone.localtime(resource.ingested_at).replace(microsecond=0),
                                             datatype=XSD.dateTime)))
    if resource.size:
        add((node, DCAT.byteSize, Literal(resource.size, datatype=XSD.nonNegativeInteger)))

    add((node, DCTERMS.conformsTo, schema_url))
    add((schema_url, RDF.type, DCTERMS.Standard))
    table_schema = BNode()
    add((node, CSVW.tableSchema, table_schema))
    add((table_schema, RDF.type, CSVW.Schema))
    columns = []
    for item in resource.schema:
        column = BNode()
        columns.append(column)
        add((column, RDF.type, CSVW.Column))
        add((column, CSVW.name, Literal(item["name"])))
        add((column, CSVW.title, Literal(item.get("label") or item["name"], lang=ZH)))
        add((column, CSVW.datatype, DATATYPES.get(item.get("type"), XSD.string)))
        if item.get("unit"):
            add((column, SDO.unitText, Literal(item["unit"], lang=ZH)))
        if item.get("description"):
            add((column, DCTERMS.description, Literal(item["description"], lang=ZH)))
    column_list = BNode()
    Collection(graph, column_list, columns)
    add((table_schema, CSVW.column, column_list))
    return node


def _distribution_description(dataset: DatasetPage, resource: Resource) -> str:
    """The resource's own description, or what it holds: its rows and columns, and how to get them."""
    if resource.description:
        return resource.description
    columns = "、".join(item.get("label") or item["name"] for item in resource.schema[:8])
    more = "等" if len(resource.schema) > 8 else ""
    how = "可下载 CSV、JSON、XLSX 文件或通过数据接口查询" if dataset.data_is_public else "获批接口密钥后通过数据接口查询"
    return f"“{dataset.title}”的数据，共 {resource.row_count} 行，包括{columns}{more} {len(resource.schema)} 列；{how}。"


def _issued(dataset: DatasetPage) -> dt.date:
    return dataset.published_on or timezone.localdate(selectors.dataset_published_at(dataset=dataset))


def _moment(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value).replace(microsecond=0)


def catalog_modified(datasets: list[DatasetPage]) -> dt.datetime:
    """The catalog's newest change: the latest change of any of its datasets (metadata or data)."""
    return max((selectors.dataset_modified_at(dataset=d) for d in datasets), default=EMPTY_CATALOG_MODIFIED)


def _site_contact(graph: Graph, request, site_name: str) -> BNode:
    from portal.models import SiteIdentity

    identity = SiteIdentity.for_request(request)
    contact = BNode()
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(identity.organizer or identity.sponsor or site_name, lang=ZH)))
    if number := "".join(c for c in identity.phone if c.isdigit() or c == "+"):
        graph.add((contact, VCARD.hasTelephone, URIRef(f"tel:{number}")))
    graph.add((contact, VCARD.hasURL, URIRef(public_url(request, "/"))))
    return contact


def _site_name(request) -> str:
    from portal.models import SiteIdentity

    return SiteIdentity.for_request(request).site_name


@require_GET
def catalog(request: HttpRequest, fmt: str) -> HttpResponse:
    """/open-data/catalog.jsonld and .ttl, answering conditional GETs with 304."""
    if fmt not in FORMATS:
        raise Http404("目录格式只有 jsonld 和 ttl。")
    try:
        access.check_ip_rate(request, group="opendata-dcat")
    except access.Refused as refused:
        response = JsonResponse({"detail": refused.message}, status=429, json_dumps_params={"ensure_ascii": False})
        response["Retry-After"] = refused.headers["Retry-After"]
        return response
    datasets = list(selectors.with_modified(DatasetPage.objects.public_catalog())
                    .select_related("publisher", "theme").order_by("-modified", "pk"))
    latest = catalog_modified(datasets).replace(microsecond=0)
    fingerprint = "\n".join([fmt, public_base_url(request), *(f"{d.pk}@{selectors.dataset_modified_at(dataset=d)}"
                                                             for d in datasets)])
    validators = HttpResponse()
    validators["ETag"] = '"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:32] + '"'
    validators["Last-Modified"] = http_date(timegm(latest.utctimetuple()))
    validators["Cache-Control"] = CACHE_CONTROL
    conditional = get_conditional_response(request, etag=validators["ETag"],
                                           last_modified=timegm(latest.utctimetuple()), response=validators)
    if conditional is not validators:
        return conditional
    graph = build_graph(request, datasets)
    if fmt == "jsonld":
        body = graph.serialize(format="json-ld", context=CONTEXT, auto_compact=True, indent=1, ensure_ascii=False)
    else:
        body = graph.serialize(format="turtle")
    response = HttpResponse(body.encode("utf-8"), content_type=FORMATS[fmt])
    for name in ("ETag", "Last-Modified", "Cache-Control"):
        response[name] = validators[name]
    return response
