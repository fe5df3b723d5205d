"""Downloads as a download manager sees them: files written once per data version, with Content-Length, an ETag
that changes with the data, and byte ranges so that an interrupted download resumes."""

import io

import pytest
from openpyxl import load_workbook

from opendata import downloads
from opendata.downloads import UNSATISFIABLE, requested_range
from opendata.ingest import resource_ingest
from opendata.models import DatasetStats
from opendata.storage import private_data_storage
from tests.opendata.factories import BUDGET_CSV, DatasetPageFactory, ingested, upload


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def resource(open_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the import's transaction commits
        return ingested(DatasetPageFactory(parent=open_data), BUDGET_CSV.encode())


@pytest.mark.parametrize("header, size, expected", [
    ("", 100, None),
    ("bytes=0-9", 100, (0, 9)),
    ("bytes=90-", 100, (90, 99)),
    ("bytes=90-500", 100, (90, 99)),
    ("bytes=-10", 100, (90, 99)),
    ("bytes=-500", 100, (0, 99)),
    ("bytes=100-", 100, UNSATISFIABLE),
    ("bytes=-0", 100, UNSATISFIABLE),
    ("bytes=0-", 0, UNSATISFIABLE),
    ("bytes=9-1", 100, None),  # malformed: the whole file
    ("bytes=0-1,5-6", 100, None),  # several ranges: the whole file
    ("items=0-1", 100, None),
    ("bytes=a-b", 100, None),
])
def test_byte_ranges_follow_rfc_9110(header, size, expected):
    assert requested_range(header, size) == expected


@pytest.mark.parametrize("fmt", downloads.FORMATS)
def test_files_are_written_at_import_and_served_with_length_etag_and_ranges(client, resource, fmt):
    assert private_data_storage().exists(downloads.built_name(resource, fmt))
    url = f"/open-data/resources/{resource.pk}/download.{fmt}"
    whole = client.get(url)
    content = body(whole)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert int(whole["Content-Length"]) == len(content) > 20
    assert whole["ETag"] and whole["Last-Modified"]
    # The connection drops after 20 bytes: the rest is asked for and the two parts make the file.
    rest = client.get(url, HTTP_RANGE="bytes=20-", HTTP_IF_RANGE=whole["ETag"])
    assert rest.status_code == 206
    assert rest["Content-Range"] == f"bytes 20-{len(content) - 1}/{len(content)}"
    assert int(rest["Content-Length"]) == len(content) - 20
    assert content[:20] + body(rest) == content
    assert client.get(url, HTTP_IF_NONE_MATCH=whole["ETag"]).status_code == 304


def test_a_resumed_download_of_changed_data_starts_again(client, resource, django_capture_on_commit_callbacks):
    url = f"/open-data/resources/{resource.pk}/download.csv"
    first = client.get(url)
    old_name = downloads.built_name(resource, "csv")
    more = BUDGET_CSV + "2025-03-31,税收收入,1.0,1.0\n"
    with django_capture_on_commit_callbacks(execute=True):
        changed = resource_ingest(resource=resource, upload=upload(more.encode()), filename="data.csv")
    again = client.get(url, HTTP_RANGE="bytes=20-", HTTP_IF_RANGE=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    assert "2025-03-31" in body(again).decode("utf-8-sig")
    assert not private_data_storage().exists(old_name)  # the superseded version's files are gone
    assert private_data_storage().exists(downloads.built_name(changed, "xlsx"))
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_range_beyond_the_end_is_416(client, resource):
    response = client.get(f"/open-data/resources/{resource.pk}/download.csv", HTTP_RANGE="bytes=999999-")
    assert response.status_code == 416 and response["Content-Range"].startswith("bytes */")


def test_a_download_and_its_continuation_count_once(client, resource):
    url = f"/open-data/resources/{resource.pk}/download.csv"
    body(client.get(url, HTTP_RANGE="bytes=0-9"))
    body(client.get(url, HTTP_RANGE="bytes=10-"))
    assert DatasetStats.objects.get(dataset=resource.dataset).download_count == 1


def test_a_file_missing_from_storage_is_written_on_first_request(client, resource):
    storage = private_data_storage()
    storage.delete(downloads.built_name(resource, "xlsx"))
    response = client.get(f"/open-data/resources/{resource.pk}/download.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(body(response)))
    assert list(book.active.iter_rows(values_only=True))[1][1] == "税收收入"
    assert storage.exists(downloads.built_name(resource, "xlsx"))


def test_an_import_in_a_deferred_block_leaves_its_files_to_build_downloads(open_data, django_capture_on_commit_callbacks):
    """The demo loader defers the files so `make run` serves at once; `manage.py build_downloads` writes them."""
    from django.core.management import call_command

    with downloads.deferred(), django_capture_on_commit_callbacks(execute=True):
        resource = ingested(DatasetPageFactory(parent=open_data), BUDGET_CSV.encode())
    assert not any(private_data_storage().exists(downloads.built_name(resource, fmt)) for fmt in downloads.FORMATS)

    out = io.StringIO()
    call_command("build_downloads", stdout=out)
    assert "新生成 3 个" in out.getvalue()
    assert all(private_data_storage().exists(downloads.built_name(resource, fmt)) for fmt in downloads.FORMATS)
    call_command("build_downloads", stdout=out)
    assert "新生成 0 个" in out.getvalue()
