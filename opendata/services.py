"""Writes of the catalog: counters, the privacy of 不予开放 pages, and (in ingest.py) resource imports."""

from __future__ import annotations

from django.db.models import F
from wagtail.models import PageViewRestriction

from opendata.models import DatasetPage, DatasetStats, Resource
from opendata.rules import OpenType


def dataset_sync_privacy(*, dataset: DatasetPage, was_closed: bool) -> None:
    """不予开放 pages carry a login restriction so that every `.public()` query on the site leaves them out;
    the restriction goes when the page opens again (one an editor set by hand on an open page stays)."""
    restrictions = PageViewRestriction.objects.filter(page_id=dataset.pk)
    if dataset.open_type == OpenType.CLOSED:
        if not restrictions.exists():
            PageViewRestriction.objects.create(page_id=dataset.pk, restriction_type=PageViewRestriction.LOGIN)
    elif was_closed:
        restrictions.filter(restriction_type=PageViewRestriction.LOGIN).delete()


def _bump(dataset_id: int, **increments: F) -> None:
    if not DatasetStats.objects.filter(dataset_id=dataset_id).update(**increments):
        DatasetStats.objects.get_or_create(dataset_id=dataset_id)
        DatasetStats.objects.filter(dataset_id=dataset_id).update(**increments)


def dataset_record_view(*, dataset: DatasetPage) -> None:
    _bump(dataset.pk, view_count=F("view_count") + 1)


def dataset_record_download(*, resource: Resource) -> None:
    _bump(resource.dataset_id, download_count=F("download_count") + 1)
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
