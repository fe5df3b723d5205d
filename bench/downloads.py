"""Downloads of a large resource: the first byte of each format, served from the file written at import, against
writing that file at request time (what the download view did before).

    .venv/bin/python bench/downloads.py [--rows 120000]

In a throwaway SQLite database (a temporary directory): the dataset of bench/opendata.py, N contracts imported
through the real ingestion path (which writes the CSV, JSON and XLSX files once the import commits, django-tasks'
immediate backend), then for each format: the time to the first byte and to the last byte of a download through
Django's test client, a resumed download (Range: the second half) and, as the baseline, the time to write that
file from the store as a request used to. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _bench_opendata():
    spec = importlib.util.spec_from_file_location("bench_opendata", ROOT / "bench" / "opendata.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_opendata"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=120_000)
    args = parser.parse_args()
    shared = _bench_opendata()
    with tempfile.TemporaryDirectory(prefix="jincai-bench-downloads-") as tmp:
        workdir = Path(tmp)
        shared.setup_django(workdir, f"sqlite:///{workdir / 'bench.sqlite3'}")
        os.environ["OPENDATA_DOWNLOAD_RATE"] = "100000/m"
        from django.conf import settings
        from django.test import Client

        settings.OPENDATA_DOWNLOAD_RATE = "100000/m"
        from opendata import downloads
        from opendata.storage import private_data_storage

        dataset = shared.build_dataset()
        csv_path = workdir / "contracts.csv"
        shared.write_csv(csv_path, args.rows)
        started = time.perf_counter()
        resource = shared.ingest(dataset, csv_path)
        print(f"{args.rows:,} 行导入（含写出 CSV、JSON、XLSX 下载文件）：{time.perf_counter() - started:.1f} s")
        client = Client()
        print(f"{'格式':<6}{'首字节':>10}{'全部':>10}{'大小':>14}{'续传后半 206':>14}{'请求时生成（原做法）':>20}")
        for fmt in downloads.FORMATS:
            url = f"/open-data/resources/{resource.pk}/download.{fmt}"
            started = time.perf_counter()
            response = client.get(url)
            chunks = iter(response.streaming_content)
            first = next(chunks)
            first_byte = time.perf_counter() - started
            size = len(first) + sum(len(chunk) for chunk in chunks)
            whole = time.perf_counter() - started
            response = client.get(url, HTTP_RANGE=f"bytes={size // 2}-")
            part = sum(len(chunk) for chunk in response.streaming_content)
            assert response.status_code == 206 and part == size - size // 2
            private_data_storage().delete(downloads.built_name(resource, fmt))
            started = time.perf_counter()
            downloads.build(resource, fmt)
            rebuilt = time.perf_counter() - started
            print(f"{fmt:<6}{first_byte * 1000:>8.1f}ms{whole:>9.2f}s{size:>14,}{'ok':>14}{rebuilt:>19.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
