"""Editors upload and import resources in the admin; an import error names the row and column."""

import pytest
from django.urls import reverse

from opendata.models import Resource, ResourceRow
from tests.opendata.factories import BUDGET_CSV, DatasetPageFactory, PublisherFactory, ingested, upload


@pytest.fixture
def dataset(open_data):
    return DatasetPageFactory(parent=open_data)


def test_editor_uploads_a_gbk_csv_and_it_is_imported(admin_client, dataset):
    response = admin_client.post(reverse("opendata_resources:add"), {
        "dataset": dataset.pk, "name": "月度收支", "description": "", "sort_order": 0,
        "upload": upload(BUDGET_CSV.encode("gbk"), "收支.csv"),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    resource = Resource.objects.get(name="月度收支")
    assert resource.row_count == 4 and resource.encoding == "gbk"
    assert ResourceRow.objects.filter(resource=resource).count() == 4


def test_a_malformed_upload_shows_the_row_and_column_and_keeps_the_old_data(admin_client, dataset):
    resource = ingested(dataset, BUDGET_CSV.encode())
    response = admin_client.post(reverse("opendata_resources:edit", args=[resource.pk]), {
        "dataset": dataset.pk, "name": resource.name, "description": "", "sort_order": 0,
        "upload": upload((BUDGET_CSV + "2025-03-31,税收收入,不是数字,1\n").encode(), "new.csv"),
    })
    assert response.status_code == 200
    page = response.content.decode()
    assert "导入失败，原有数据保持不变" in page and "第 6 行第 3 列" in page
    assert ResourceRow.objects.filter(resource=resource).count() == 4
    resource.refresh_from_db()
    assert resource.status == "failed" and "第 6 行" in resource.error_message


def test_a_new_resource_without_a_file_or_with_a_bad_type_is_refused(admin_client, dataset):
    url = reverse("opendata_resources:add")
    data = {"dataset": dataset.pk, "name": "空", "description": "", "sort_order": 0}
    assert "请上传数据文件" in admin_client.post(url, data).content.decode()
    assert "不支持的文件类型" in admin_client.post(url, {**data, "upload": upload(b"x", "a.pdf")}).content.decode()
    assert not Resource.objects.exists()


def test_an_oversized_upload_is_refused_before_reading(admin_client, dataset, settings):
    settings.OPENDATA_UPLOAD_MAX_BYTES = 1
    response = admin_client.post(reverse("opendata_resources:add"), {
        "dataset": dataset.pk, "name": "大", "description": "", "sort_order": 0,
        "upload": upload(b"a\n" * 10, "big.csv"),
    })
    assert "超过上限" in response.content.decode()
    assert not Resource.objects.exists()


def test_admin_lists_and_edits(admin_client, dataset):
    PublisherFactory(name="会计司", slug="accounting")
    assert admin_client.get(reverse("opendata_resources:index")).status_code == 200
    assert admin_client.get(reverse("wagtailadmin_pages:edit", args=[dataset.pk])).status_code == 200
    assert "会计司" in admin_client.get(reverse("wagtailsnippets_opendata_publisher:list")).content.decode()
