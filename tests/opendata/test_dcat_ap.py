"""The DCAT catalog against the official DCAT-AP 3.0.1 SHACL shapes (vendored in dcat_ap_3_0_1/, see its README),
validated with pyshacl as the EU data portal's validator does: 0 violations outside the EU code-list shapes."""

from collections import Counter
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import SH

from opendata.rules import OpenType
from tests.opendata.factories import BUDGET_CSV, DatasetPageFactory, ingested
from tests.opendata.test_dcat import datasets  # noqa: F401 - the catalog the other DCAT tests read

SHAPES = Path(__file__).parent / "dcat_ap_3_0_1"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def dcat_ap_shapes() -> Graph:
    shapes = Graph()
    for name in ("dcat-ap-SHACL.ttl", "ranges.ttl"):
        shapes.parse(SHAPES / name)
    # ranges.ttl 3.0.1 links five property shapes it never defines; pyshacl stops at them (README).
    for shape, prop in list(shapes.subject_objects(SH.property)):
        if (prop, SH.path, None) not in shapes:
            shapes.remove((shape, SH.property, prop))
    return shapes


def violations(data: Graph) -> Counter:
    _, report, _ = validate(data, shacl_graph=dcat_ap_shapes(), ont_graph=Graph().parse(
        SHAPES / "vocabulary-axioms.ttl"), inference="rdfs", allow_warnings=True)
    found: Counter = Counter()
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        found[(str(report.value(result, SH.focusNode)), str(report.value(result, SH.resultPath)),
               str(report.value(result, SH.resultMessage)))] += 1
    return found


@pytest.mark.parametrize("fmt, rdf_format", [("ttl", "turtle"), ("jsonld", "json-ld")])
def test_the_catalog_conforms_to_dcat_ap_3(client, datasets, identity, open_data, fmt, rdf_format):  # noqa: F811
    # Beside the datasets the other tests read: one without data, theme, keywords or a time range.
    bare = DatasetPageFactory(parent=open_data, theme=None, spatial_coverage="", open_type=OpenType.OPEN)
    ingested(DatasetPageFactory(parent=open_data, title="没有信息项的数据资源"), BUDGET_CSV.encode())
    assert bare.pk
    response = client.get(f"/open-data/catalog.{fmt}")
    data = Graph().parse(data=response.content.decode(), format=rdf_format)
    assert len(data) > 100
    found = violations(data)
    assert not found, "\n".join(f"{n}× {key}" for key, n in found.most_common())
