"""Factories for the catalog. Dataset pages are added under `parent` and published (see tests.factories.PageFactory)."""

import datetime as dt

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from opendata.ingest import resource_ingest
from opendata.models import DataField, DatasetPage, Publisher, Resource
from opendata.rules import OpenType
from tests.content.factories import DepartmentFactory, ThemeFactory
from tests.factories import PageFactory


class PublisherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publisher
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"预算司数据组{n}")
    slug = factory.Sequence(lambda n: f"publisher-{n}")
    department = factory.SubFactory(DepartmentFactory)
    contact = "预算司 010-68551114"


class DatasetPageFactory(PageFactory):
    class Meta:
        model = DatasetPage

    title = factory.Sequence(lambda n: f"全国一般公共预算收支月度数据（{n}）")
    code = factory.Sequence(lambda n: f"000014349/{n:05d}")
    summary = "按月公布全国一般公共预算收入和支出，分主要收入项目和支出功能分类。"
    publisher = factory.SubFactory(PublisherFactory)
    theme = factory.SubFactory(ThemeFactory)
    open_type = OpenType.OPEN
    published_on = factory.LazyFunction(dt.date.today)
    updated_on = factory.LazyFunction(dt.date.today)


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    name = factory.Sequence(lambda n: f"数据文件{n}")
    format = "csv"


def declare(dataset: DatasetPage, *fields: tuple) -> None:
    """Give a dataset 信息项: (name, label, type[, indexed])."""
    for order, item in enumerate(fields):
        name, label, kind, *rest = item
        DataField.objects.create(dataset=dataset, sort_order=order, name=name, label=label, field_type=kind,
                                 indexed=bool(rest and rest[0]), filterable=bool(rest and rest[0]))


def upload(content: bytes, name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def ingested(dataset: DatasetPage, content: bytes, name: str = "data.csv", **kwargs) -> Resource:
    """A resource of `dataset` with `content` imported into the store."""
    resource = ResourceFactory(dataset=dataset, format=name.rsplit(".", 1)[-1], **kwargs)
    return resource_ingest(resource=resource, upload=upload(content, name), filename=name)


BUDGET_CSV = (
    "月份,科目,金额（亿元）,同比增长（%）\n"
    "2025-01-31,税收收入,18845.6,-4.5\n"
    "2025-01-31,非税收入,2987.1,3.2\n"
    "2025-02-28,税收收入,30376.3,-3.9\n"
    "2025-02-28,非税收入,5803.2,6.1\n"
)



def approved_key(dataset: DatasetPage, *, email: str = "researcher@example.edu.cn") -> tuple[object, str]:
    """An approved application for `dataset` and its plaintext API key."""
    from django.contrib.auth import get_user_model

    from opendata.services import access_application_approve, access_application_submit

    application = access_application_submit(
        dataset=dataset, applicant_name="李研究", organisation="财经大学", email=email, phone="13800138000",
        purpose="用于财政收支结构的学术研究，不对外提供原始数据。",
    )
    staff = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.create_superuser(
        "reviewer", "reviewer@example.gov.cn", "correct-horse-battery")
    application, key = access_application_approve(application=application, actor=staff)
    return application, key
