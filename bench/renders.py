"""What an uncached render of each page kind costs, in one process: CPU per request, SQL queries, and the repeats.

    .venv/bin/python bench/renders.py [--var DIR] [-n 40] [--profile KIND] [--queries]

Builds the demo site (migrate + load_demo) in DIR (default var/bench-renders; reused when it is already there), then,
in this process with the `make run` settings (DEBUG off) and the page cache off, renders each page kind N times
through Django's test client (the whole middleware stack, as gunicorn would call it) and prints per page: CPU ms per
request (time.process_time), the SQL queries of one render, and the ratio of its CPU to a constant view's measured in
the same run; then the same with the fragment cache off ("cold": nothing kept, as the first request after the page
itself was published). Below the table, the statements a render runs more than once (N+1 and repeated lookups), per page.
--queries prints every statement of one render; --profile KIND prints cProfile's top cumulative entries for that page.
Nothing is asserted (tests/portal/test_render_queries.py holds the limits).

This finds where a render spends; what a served page costs is bench/serving.py's figure. The test client keeps its
database connection and calls the application at its own stack depth, so costs of the served path (a connection
opened per request, frame-stack chunks mapped and unmapped: portal/frame_stack.py) never show here.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"

SETTINGS = '''
from portal.settings.fuzz import *  # noqa: F401,F403  (`make run` settings, limits out of the way)
ROOT_URLCONF = "bench_renders_urls"
PAGE_CACHE_ENABLED = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
'''
URLS = '''
from django.http import HttpResponse
from django.urls import include, path


def constant(request):
    return HttpResponse("<!doctype html><title>ok</title><p>ok</p>")


urlpatterns = [path("__bench__/constant/", constant), path("", include("portal.urls"))]
'''

BUDGET_MS = {"dataset": 20.0, "catalog": 20.0}  # 15 ms for the others (issue 16; col-pol, col-proc are columns)
LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")
COLUMNS = re.compile(r"^SELECT (?:DISTINCT )?.*? FROM ", re.S)


def brief(sql: str) -> str:
    """The statement without its column list: what it reads and how it narrows."""
    return COLUMNS.sub("SELECT … FROM ", sql, count=1)


def prepare(var: Path) -> None:
    var.mkdir(parents=True, exist_ok=True)
    modules = var / "bench_modules"
    modules.mkdir(exist_ok=True)
    (modules / "bench_renders_settings.py").write_text(SETTINGS)
    (modules / "bench_renders_urls.py").write_text(URLS)
    os.environ.update(JINCAI_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="bench_renders_settings",
                      PAGE_CACHE_ENABLED="false")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    sys.path[:0] = [str(modules), str(ROOT)]
    if not (var / "db.sqlite3").exists():
        print("building the demo site (migrate + load_demo) ...", file=sys.stderr, flush=True)
        env = dict(os.environ, PYTHONPATH=f"{modules}:{ROOT}")
        subprocess.run([str(PYTHON), "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
        subprocess.run([str(PYTHON), "manage.py", "load_demo", "--base-url", "http://127.0.0.1:8121/"], env=env,
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def page_urls() -> dict[str, str]:
    """One address per page kind: the same choice as bench/serving.py (the busiest article column), and the busiest
    policy and procurement columns."""
    from content.models import ArticlePage, PolicyPage, ProcurementNoticePage, TopicPage
    from opendata.models import DatasetPage
    from portal.models import SectionPage

    def first(model, **lookups):
        page = model.objects.live().public().filter(**lookups).order_by("path").first()
        return page.url if page else None

    def busiest(kind: str) -> str | None:
        best = None
        for section in SectionPage.objects.live().public().filter(listing_kind=kind):
            count = section.get_descendants().live().count()
            if best is None or count > best[0]:
                best = (count, section)
        return best[1].url if best else None

    urls = {
        "home": "/",
        "column": busiest("article"),
        "col-pol": busiest("policy"),  # the other column kinds write their own rows
        "col-proc": busiest("procurement"),
        "article": first(ArticlePage),
        "policy": first(PolicyPage),
        "notice": first(ProcurementNoticePage),
        "topic": first(TopicPage),
        "dataset": first(DatasetPage, open_type="unconditional") or first(DatasetPage),
        "catalog": "/open-data/catalog/",
    }
    return {kind: url for kind, url in urls.items() if url}


def cpu_ms(client, url: str, n: int) -> float:
    start = time.process_time()
    for _ in range(n):
        client.get(url)
    return (time.process_time() - start) * 1000 / n


def shape(sql: str) -> str:
    return LITERALS.sub("?", sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", type=Path, default=ROOT / "var" / "bench-renders")
    parser.add_argument("-n", type=int, default=40, help="renders per page kind")
    parser.add_argument("--profile", metavar="KIND", help="print cProfile's top entries for this page kind")
    parser.add_argument("--queries", action="store_true", help="print every statement of one render")
    parser.add_argument("--only", nargs="*", help="page kinds to measure")
    args = parser.parse_args()
    prepare(args.var.resolve())

    import django

    django.setup()
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    urls = page_urls()
    if args.only:
        urls = {kind: url for kind, url in urls.items() if kind in args.only}
    client = Client(HTTP_HOST="127.0.0.1")
    for kind, url in list(urls.items()):
        response = client.get(url, follow=True)
        if response.redirect_chain:  # the old catalog address leads to the 数据开放 front door
            urls[kind] = response.redirect_chain[-1][0]
        for _ in range(2):  # warm: template loaders, Site lookups, process-wide caches
            client.get(urls[kind])

    constant = cpu_ms(client, "/__bench__/constant/", args.n * 5)
    rows, repeats = [], {}
    for kind, url in urls.items():
        with CaptureQueriesContext(connection) as captured:
            status = client.get(url).status_code
        statements = [query["sql"] for query in captured.captured_queries]
        counts = Counter(shape(sql) for sql in statements)
        repeats[kind] = [(times, sql) for sql, times in counts.most_common() if times > 1]
        if args.queries:
            print(f"\n--- {kind} {url}: {len(statements)} queries")
            for sql in statements:
                print("  " + brief(sql)[:600])
        ms = cpu_ms(client, url, args.n)
        # Nothing kept at all: what the first request after the page itself was published costs.
        with override_settings(FRAGMENT_CACHE_ENABLED=False):
            with CaptureQueriesContext(connection) as captured_cold:
                client.get(url)
            cold_queries = len(captured_cold.captured_queries)  # before the next request resets the log
            cold = cpu_ms(client, url, args.n)
        rows.append((kind, url, status, ms, len(statements), cold, cold_queries))

    print(f"\nUncached renders in one process (DEBUG off, page cache off), {args.n} per page; "
          f"constant view {constant:.2f} ms CPU/request. 'ms CPU': the page's own HTML not kept, the fragments it "
          f"shares with other pages and its own unchanged parts kept (the tagged fragment cache, as after a purge "
          f"of something else it shows); 'cold': no fragment kept either (the first request after the page itself "
          f"was published)")
    print(f"{'page':8} | {'ms CPU':>7} | {'budget':>6} | {'×const':>6} | {'queries':>7} | {'cold ms':>7} | "
          f"{'queries':>7} | address")
    print("-" * 100)
    for kind, url, status, ms, queries, cold, cold_queries in rows:
        budget = BUDGET_MS.get(kind, 15.0)
        flag = "" if ms <= budget and queries <= 10 else "  over"
        print(f"{kind:8} | {ms:7.2f} | {budget:6.0f} | {ms / constant:6.1f} | {queries:7d} | {cold:7.2f} | "
              f"{cold_queries:7d} | {url}" + ("" if status == 200 else f" (HTTP {status})") + flag)
    print("\nStatements run more than once in one render:")
    for kind, found in repeats.items():
        if not found:
            continue
        print(f"  {kind}:")
        for times, sql in found[:6]:
            print(f"    {times}× {brief(sql)[:200]}")

    if args.profile:
        import cProfile
        import pstats

        url = urls[args.profile]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.n):
            client.get(url)
        profiler.disable()
        print(f"\ncProfile of {args.n} renders of {args.profile} ({url}), top cumulative:")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
