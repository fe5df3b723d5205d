"""The DCAT catalog in JSON-LD and Turtle, as a harvester parsing it with rdflib sees it."""

import datetime as dt
import time

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib import namespace as ns

from opendata.models import DatasetPage
from opendata.rules import OpenType, UpdateFrequency
from tests.opendata.factories import BUDGET_CSV, DatasetPageFactory, declare, ingested

ACCESS = "http://publications.europa.eu/resource/authority/access-right/"
# rdflib's own JSON-LD parser still builds a ConjunctiveGraph.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


@pytest.fixture
def datasets(open_data):
    monthly = DatasetPageFactory(parent=open_data, code="000014349/00001", title="全国一般公共预算收支月度数据",
                                 temporal_start=dt.date(2025, 1, 1), temporal_end=dt.date(2025, 12, 31),
                                 contact_email="data@mof.example.gov.cn")
    monthly.tags.add("预算", "月报")
    monthly.save()
    declare(monthly, ("month", "月份", "date", True), ("item", "科目", "string", True),
            ("amount", "金额（亿元）", "decimal", True), ("growth", "同比增长（%）", "decimal"))
    ingested(monthly, BUDGET_CSV.encode())
    conditional = DatasetPageFactory(parent=open_data, code="000014350/00001", title="国库集中支付明细",
                                     open_type=OpenType.CONDITIONAL, open_condition="用于学术研究",
                                     update_frequency=UpdateFrequency.QUARTERLY)
    ingested(conditional, BUDGET_CSV.encode())
    closed = DatasetPageFactory(parent=open_data, code="000014350/00002", title="国库现金管理操作",
                                open_type=OpenType.CLOSED)
    return monthly, conditional, closed


def parsed(client, fmt: str) -> Graph:
    response = client.get(f"/open-data/catalog.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json" if fmt == "jsonld" else "text/turtle")
    return Graph().parse(data=response.content.decode(), format="json-ld" if fmt == "jsonld" else "turtle")


@pytest.mark.parametrize("fmt", ["jsonld", "ttl"])
def test_every_public_dataset_is_a_dcat_dataset_with_access_rights(client, datasets, fmt):
    monthly, conditional, closed = datasets
    graph = parsed(client, fmt)
    [catalog] = graph.subjects(ns.RDF.type, ns.DCAT.Catalog)
    found = set(graph.objects(catalog, ns.DCAT.dataset))
    assert {str(node) for node in found} == {monthly.full_url, conditional.full_url}
    for node in found:
        assert (node, ns.RDF.type, ns.DCAT.Dataset) in graph
        assert graph.value(node, ns.DCTERMS.accessRights) is not None
    assert graph.value(URIRef(monthly.full_url), ns.DCTERMS.accessRights) == URIRef(ACCESS + "PUBLIC")
    assert graph.value(URIRef(conditional.full_url), ns.DCTERMS.accessRights) == URIRef(ACCESS + "RESTRICTED")
    assert "国库现金管理操作" not in graph.serialize(format="turtle")
    assert closed.code not in graph.serialize(format="turtle")


def test_dataset_metadata_maps_onto_dcat_terms(client, datasets):
    monthly, conditional, _ = datasets
    graph = parsed(client, "ttl")
    node = URIRef(monthly.full_url)
    assert graph.value(node, ns.DCTERMS.title) == Literal("全国一般公共预算收支月度数据", lang="zh")
    assert graph.value(node, ns.DCTERMS.identifier) == Literal("000014349/00001")
    assert set(graph.objects(node, ns.DCAT.keyword)) == {Literal("预算", lang="zh"), Literal("月报", lang="zh")}
    publisher = graph.value(node, ns.DCTERMS.publisher)
    assert (publisher, ns.RDF.type, ns.FOAF.Organization) in graph and graph.value(publisher, ns.FOAF.name)
    assert graph.value(node, ns.DCAT.theme) is not None
    assert str(graph.value(node, ns.DCTERMS.accrualPeriodicity)).endswith("/frequency/MONTHLY")
    assert str(graph.value(URIRef(conditional.full_url), ns.DCTERMS.accrualPeriodicity)).endswith("/QUARTERLY")
    assert str(graph.value(node, ns.DCTERMS.license)) == "https://creativecommons.org/licenses/by/4.0/"
    period = graph.value(node, ns.DCTERMS.temporal)
    assert graph.value(period, ns.DCAT.startDate) == Literal(dt.date(2025, 1, 1), datatype=ns.XSD.date)
    assert graph.value(graph.value(node, ns.DCTERMS.spatial), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))
    contact = graph.value(node, ns.DCAT.contactPoint)
    assert graph.value(contact, URIRef("http://www.w3.org/2006/vcard/ns#hasEmail")) == URIRef(
        "mailto:data@mof.example.gov.cn")
    rights = graph.value(URIRef(conditional.full_url), ns.DCTERMS.rights)
    assert "用于学术研究" in str(graph.value(rights, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))


def test_distributions_carry_the_download_and_the_data_dictionary(client, datasets):
    monthly, conditional, _ = datasets
    graph = parsed(client, "jsonld")
    distribution = graph.value(URIRef(monthly.full_url), ns.DCAT.distribution)
    assert (distribution, ns.RDF.type, ns.DCAT.Distribution) in graph
    assert str(graph.value(distribution, ns.DCAT.downloadURL)).endswith("/download.csv")
    assert str(graph.value(distribution, ns.DCTERMS.format)).endswith("/file-type/CSV")
    assert str(graph.value(distribution, ns.DCAT.mediaType)).endswith("text/csv")
    assert str(graph.value(distribution, ns.DCTERMS.conformsTo)).startswith("http://localhost/api/data/v1/resources/")
    schema = graph.value(distribution, ns.CSVW.tableSchema)
    columns = list(Collection(graph, graph.value(schema, ns.CSVW.column)))
    assert [str(graph.value(column, ns.CSVW.name)) for column in columns] == ["month", "item", "amount", "growth"]
    assert graph.value(columns[0], ns.CSVW.datatype) == ns.XSD.date
    assert graph.value(columns[2], ns.CSVW.title) == Literal("金额（亿元）", lang="zh")
    # Conditional data: reachable through the keyed API only, no download.
    locked = graph.value(URIRef(conditional.full_url), ns.DCAT.distribution)
    assert graph.value(locked, ns.DCAT.downloadURL) is None
    assert str(graph.value(locked, ns.DCAT.accessURL)).endswith("/rows")


def test_the_data_api_is_a_data_service_serving_the_datasets(client, datasets):
    monthly, conditional, _ = datasets
    graph = parsed(client, "ttl")
    [service] = graph.subjects(ns.RDF.type, ns.DCAT.DataService)
    assert str(graph.value(service, ns.DCAT.endpointURL)) == "http://localhost/api/data/v1/"
    assert str(graph.value(service, ns.DCAT.endpointDescription)) == "http://localhost/api/data/v1/openapi.json"
    served = set(graph.objects(service, ns.DCAT.servesDataset))
    assert served == {URIRef(monthly.full_url), URIRef(conditional.full_url)}
    assert client.get("/api/data/v1/openapi.json").status_code == 200


def test_conditional_get_and_unknown_formats(client, datasets):
    first = client.get("/open-data/catalog.ttl")
    again = client.get("/open-data/catalog.ttl", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert client.get("/open-data/catalog.jsonld", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    assert client.get("/open-data/catalog.rdf").status_code == 404


def test_the_catalogs_validators_come_from_its_newest_change(client, datasets):
    monthly, _, _ = datasets
    # As the demo made them: live pages without a publication time, dated by their data only.
    DatasetPage.objects.update(first_published_at=None, last_published_at=None)
    first = client.get("/open-data/catalog.ttl")
    time.sleep(1.1)  # a Last-Modified taken from the clock would move on
    second = client.get("/open-data/catalog.ttl")
    assert second["Last-Modified"] == first["Last-Modified"] and second["ETag"] == first["ETag"]
    assert client.get("/open-data/catalog.ttl", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    graph = Graph().parse(data=second.content.decode(), format="turtle")
    [catalog] = graph.subjects(ns.RDF.type, ns.DCAT.Catalog)
    catalog_modified = graph.value(catalog, ns.DCTERMS.modified).toPython()
    newest = max(graph.value(d, ns.DCTERMS.modified).toPython() for d in graph.objects(catalog, ns.DCAT.dataset))
    assert catalog_modified >= newest
    assert graph.value(catalog, ns.DCTERMS.issued) and graph.value(catalog, ns.DCTERMS.license)
    # New data moves the catalog's validators on.
    ingested(monthly, BUDGET_CSV.encode())
    assert client.get("/open-data/catalog.ttl", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_data_service_has_a_working_endpoint_and_its_recommended_properties(client, datasets, identity):
    graph = parsed(client, "ttl")
    [service] = graph.subjects(ns.RDF.type, ns.DCAT.DataService)
    endpoint = str(graph.value(service, ns.DCAT.endpointURL))
    answer = client.get(endpoint.removeprefix("http://localhost"))
    assert answer.status_code == 200 and answer.json()["openapi"].endswith("/api/data/v1/openapi.json")
    assert str(graph.value(service, ns.DCTERMS.conformsTo)).startswith("https://spec.openapis.org/oas/")
    assert graph.value(service, ns.DCTERMS.publisher) and graph.value(service, ns.DCAT.contactPoint)
    assert {str(k) for k in graph.objects(service, ns.DCAT.keyword)} >= {"数据开放"}
    assert str(graph.value(service, ns.DCAT.theme)).endswith("/data-theme/ECON")
    for distribution in graph.subjects(ns.RDF.type, ns.DCAT.Distribution):
        assert "行" in str(graph.value(distribution, ns.DCTERMS.description))


def test_without_a_declared_time_range_the_data_gives_dct_temporal(client, open_data):
    ingested(DatasetPageFactory(parent=open_data, code="000014352/A0001", title="代理记账机构名录"), BUDGET_CSV.encode())
    graph = parsed(client, "ttl")
    [dataset] = graph.subjects(ns.DCTERMS.identifier, Literal("000014352/A0001"))
    period = graph.value(dataset, ns.DCTERMS.temporal)
    assert graph.value(period, ns.DCAT.startDate).toPython() == dt.date(2025, 1, 31)
    assert graph.value(period, ns.DCAT.endDate).toPython() == dt.date(2025, 2, 28)
