"""schema.org `Dataset` JSON-LD for dataset pages, so that search engines' dataset search can index them."""

from __future__ import annotations

import json

from django.urls import reverse

from opendata import rules
from opendata.models import DatasetPage, Resource
from portal.sitemaps import public_url


def dataset(*, dataset: DatasetPage, resources: list[Resource], request) -> dict:
    url = public_url(request, dataset.get_full_url(request) or dataset.url or "/")
    publisher = {"@type": "Organization", "name": dataset.publisher.name}
    if dataset.effective_contact or dataset.contact_email:
        publisher["contactPoint"] = {"@type": "ContactPoint", "contactType": "数据咨询",
                                     "telephone": dataset.effective_contact, "email": dataset.contact_email}
    document: dict = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": dataset.title,
        "description": dataset.summary,
        "url": url,
        "identifier": dataset.code,
        "inLanguage": "zh-CN",
        "keywords": [tag.name for tag in dataset.tags.all()],
        "license": rules.LICENSE_URLS.get(dataset.license, ""),
        "isAccessibleForFree": True,
        "creator": publisher,
        "publisher": publisher,
        "datePublished": dataset.published_on.isoformat() if dataset.published_on else None,
        "dateModified": dataset.updated_on.isoformat() if dataset.updated_on else None,
        "conditionsOfAccess": rules.access_rights(open_type=dataset.open_type),
    }
    if dataset.theme:
        document["about"] = dataset.theme.name
    if dataset.temporal_start or dataset.temporal_end:
        start = dataset.temporal_start.isoformat() if dataset.temporal_start else ".."
        end = dataset.temporal_end.isoformat() if dataset.temporal_end else ".."
        document["temporalCoverage"] = f"{start}/{end}"
    if dataset.spatial_coverage:
        document["spatialCoverage"] = {"@type": "Place", "name": dataset.spatial_coverage}
    variables = resources[0].schema if resources else []
    if variables:
        document["variableMeasured"] = [
            {"@type": "PropertyValue", "name": item["name"], "description": item.get("label") or item["name"],
             **({"unitText": item["unit"]} if item.get("unit") else {})}
            for item in variables
        ]
    if dataset.data_is_public and resources:
        document["distribution"] = [
            {"@type": "DataDownload", "name": f"{resource.name}（{fmt.upper()}）",
             "encodingFormat": rules.FORMAT_MEDIA_TYPES[fmt],
             "contentUrl": public_url(request, reverse("opendata:resource_download", args=[resource.pk, fmt]))}
            for resource in resources for fmt in ("csv", "json", "xlsx")
        ]
    return {key: value for key, value in document.items() if value not in (None, "", [])}


def script_json(document: dict) -> str:
    """JSON safe to embed in a <script> element: no "</script>" or comment opener can close it early."""
    text = json.dumps(document, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
