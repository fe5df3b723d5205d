"""What the data and catalog API return, described for the OpenAPI document."""

import datetime as dt
from typing import Any

from ninja import Schema


class ParamError(Schema):
    param: str
    message: str


class BadRequestOut(Schema):
    detail: list[ParamError]


class MessageOut(Schema):
    detail: str


class FieldOut(Schema):
    name: str
    label: str
    type: str
    unit: str
    description: str
    filterable: bool
    indexed: bool


class RowsOut(Schema):
    fields: list[FieldOut]
    records: list[dict[str, Any]]
    next: str | None


class ResourceOut(Schema):
    id: int
    name: str
    description: str
    format: str
    row_count: int
    updated_at: dt.datetime | None
    dataset: str
    dataset_title: str
    fields: list[FieldOut]
    rows_url: str
    downloads: dict[str, str] | None


class Ref(Schema):
    slug: str
    name: str


class Choice(Schema):
    value: str
    label: str


class LicenseOut(Schema):
    id: str
    title: str
    url: str


class DatasetItem(Schema):
    code: str
    title: str
    summary: str
    url: str | None
    publisher: Ref
    theme: Ref | None
    open_type: Choice
    share_type: Choice
    update_frequency: Choice
    published_on: dt.date | None
    updated_on: dt.date | None
    keywords: list[str]
    formats: list[str]
    license: LicenseOut


class DatasetPageOut(Schema):
    count: int
    items: list[DatasetItem]
    next: str | None


class ResourceRef(Schema):
    id: int
    name: str
    format: str
    row_count: int
    schema_url: str
    rows_url: str
    downloads: dict[str, str] | None


class TemporalOut(Schema):
    start: dt.date | None
    end: dt.date | None


class DatasetDetail(DatasetItem):
    share_condition: str
    share_method: Choice
    open_condition: str
    classification: Choice
    access_rights: str
    temporal: TemporalOut
    spatial_coverage: str
    contact: str
    contact_email: str
    fields: list[FieldOut]
    resources: list[ResourceRef]
    view_count: int
    download_count: int
    apply_url: str | None
