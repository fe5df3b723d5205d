"""What a web worker holds: its RSS after importing the WSGI app and after each page kind, and which heavy
libraries each step brought in.

    .venv/bin/python bench/worker_memory.py [--var DIR] [--gunicorn N]

Runs in this process what a gunicorn worker runs (`make run` settings, portal.settings.fuzz: DEBUG off, limits out
of the way), against the demo site bench/serving.py builds in DIR (default var/bench-serving; run that first, or
`manage.py migrate` + `load_demo` with JINCAI_VAR_DIR=DIR). Requests go straight to the WSGI application, as
gunicorn calls it. The baseline is the interpreter itself (RSS before any import); the figure of the issue is the
RSS after a run (≤ 200 MB), printed after the page kinds and again after the searches, one of each kind the
judged queries have (a question, 繁體, full pinyin, initials, a typo the correction fixes, and a suggestion as one
types: these load the segmenter, pinyin and 繁简 dictionaries and build the correction vocabulary). Next to RSS:
USS (Private_Clean + Private_Dirty of /proc/self/smaps_rollup, what this process alone holds: what a second worker
adds) and PSS (its share of the pages it shares with other processes). Nothing is asserted.

--gunicorn N starts gunicorn as `make run` does (deploy/gunicorn.conf.py, N sync workers, 127.0.0.1 on a free
port), sends the same page kinds and searches ROUNDS times, and prints RSS, USS and PSS of the master and of each
worker: what sharing between workers saves (GUNICORN_SHARE_SEGMENTER=0 in the environment to compare).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Large libraries a worker should load only when a request needs them (MB: their RSS when imported alone).
HEAVY = {
    "pypinyin": 57, "rjieba": 33, "opencc": 4, "openpyxl": 22, "fpdf": 41, "rdflib": 19, "pyshacl": 29,
    "feedgen": 11, "elasticsearch": 0, "psycopg": 25, "PIL.Image": 5, "lxml.etree": 7,
}
TARGET_MB = 200


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def smaps_mb() -> tuple[float, float]:
    """(USS, PSS) in MB from /proc/self/smaps_rollup."""
    fields = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        fields[name] = int(rest.split()[0]) / 1024
    return fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0), fields.get("Pss", 0)


# One query of each kind of tests/search/judgments.json, as a person types it.
SEARCHES = {
    "search": "/search/?q=政府采购",
    "search, question": "/search/?q=怎样办理注册会计师注册",
    "search, 繁體": "/search/?q=國庫集中支付",
    "search, pinyin": "/search/?q=guoku",
    "search, initials": "/search/?q=zfcg",
    "search, typo": "/search/?q=国库集中支附",
    "suggestions": "/search/suggest/?q=czys",
}


def heavy_loaded() -> set[str]:
    return {name for name in HEAVY if name in sys.modules}


def get(application, path: str) -> int:
    """One GET through the WSGI application, as gunicorn makes it; the status code."""
    from wsgiref.util import setup_testing_defaults

    from urllib.parse import quote

    path, _, query = path.partition("?")
    query = quote(query, safe="=&")  # what a browser sends: the query string percent-encoded
    environ = {"PATH_INFO": path, "QUERY_STRING": query, "HTTP_HOST": "127.0.0.1", "SERVER_NAME": "127.0.0.1",
               "SERVER_PORT": "80", "REMOTE_ADDR": "127.0.0.1", "wsgi.errors": io.StringIO()}
    setup_testing_defaults(environ)
    status = []
    body = application(environ, lambda code, headers, exc_info=None: status.append(code))
    try:
        for _ in body:
            pass
    finally:
        if hasattr(body, "close"):
            body.close()
    code = int(status[0].split()[0])
    if code in (301, 302) and hasattr(body, "get") and body.get("Location"):
        from urllib.parse import unquote, urlsplit

        # The old catalog address leads to the 数据开放 front door.
        target = urlsplit(body["Location"])
        return get(application, unquote(target.path) + (f"?{unquote(target.query)}" if target.query else ""))
    return code


def page_urls() -> dict[str, str]:
    """One URL per page kind of bench/serving.py, and the other public reads a worker answers."""
    from content.models import ArticlePage, PolicyPage, ProcurementNoticePage, TopicPage
    from opendata.models import DatasetPage, Resource
    from portal.models import SectionPage

    def first(model, **lookups):
        page = model.objects.live().public().filter(**lookups).order_by("path").first()
        return page.url if page else None

    column = SectionPage.objects.live().public().filter(listing_kind="article").order_by("path").first()
    resource = Resource.objects.filter(ingested_at__isnull=False).order_by("-row_count").first()
    urls = {
        "home": "/", "column": column.url if column else None, "article": first(ArticlePage),
        "policy": first(PolicyPage), "notice": first(ProcurementNoticePage), "topic": first(TopicPage),
        "dataset": first(DatasetPage, open_type="unconditional") or first(DatasetPage),
        "catalog": "/open-data/catalog/",
        "data API rows": f"/api/data/v1/resources/{resource.pk}/rows?sort=-amount" if resource else None,
        "feed": "/feed/latest/rss/",
        **SEARCHES,
    }
    return {kind: url for kind, url in urls.items() if url}


ROUNDS = 6


def process_memory(pid: int) -> tuple[float, float, float]:
    """(RSS, USS, PSS) of a process in MB, from its smaps_rollup."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        fields[name] = int(rest.split()[0]) / 1024
    return fields["Rss"], fields["Private_Clean"] + fields["Private_Dirty"], fields["Pss"]


def run_gunicorn(workers: int) -> None:
    import socket
    import subprocess
    import time
    import urllib.request
    from urllib.parse import quote

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, WEB_CONCURRENCY=str(workers), GUNICORN_THREADS="1", GUNICORN_BIND=f"127.0.0.1:{port}",
               GUNICORN_MAX_REQUESTS="0", GUNICORN_ACCESS_LOG="",
               GUNICORN_CONTROL_SOCKET=str(Path(os.environ["JINCAI_VAR_DIR"]) / f"gunicorn-bench-{port}.ctl"))
    master = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"], cwd=ROOT, env=env,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/robots.txt", timeout=5).read()
                break
            except OSError:
                time.sleep(1)
        import django

        django.setup()
        urls = list(page_urls().values())
        for _ in range(ROUNDS):
            for url in urls:
                path, _, query = url.partition("?")
                query = f"?{quote(query, safe='=&')}" if query else ""
                urllib.request.urlopen(base + path + query, timeout=120).read()
        children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
        share = os.environ.get("GUNICORN_SHARE_SEGMENTER", "1")
        print(f"\ngunicorn, {workers} sync workers, {ROUNDS} rounds of {len(urls)} URLs, "
              f"GUNICORN_SHARE_SEGMENTER={share}")
        print(f"{'process':<12}{'RSS MB':>8}{'USS MB':>8}{'PSS MB':>8}")
        total = 0.0
        for name, pid in [("master", master.pid), *((f"worker {n}", int(pid)) for n, pid in enumerate(children, 1))]:
            rss, uss, pss = process_memory(pid)
            total += pss
            print(f"{name:<12}{rss:>8.0f}{uss:>8.0f}{pss:>8.0f}")
        print(f"{'all (PSS)':<28}{total:>8.0f}")
    finally:
        master.terminate()
        master.wait(60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", type=Path, default=ROOT / "var" / "bench-serving")
    parser.add_argument("--gunicorn", type=int, metavar="N", help="measure N gunicorn workers instead")
    args = parser.parse_args()
    if not (args.var / "db.sqlite3").exists():
        sys.exit(f"no demo site in {args.var}: run bench/serving.py first (it builds one there)")
    os.environ["JINCAI_VAR_DIR"] = str(args.var.resolve())
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.fuzz"
    # Every page rendered, as an uncached worker does (a page-cache hit would hold less).
    os.environ["PAGE_CACHE_ENABLED"] = "false"
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    if args.gunicorn:
        run_gunicorn(args.gunicorn)
        return

    start = rss_mb()
    rows = [("interpreter (baseline)", start, *smaps_mb(), set())]
    from portal.wsgi import application

    seen = heavy_loaded()
    rows.append(("WSGI app imported", rss_mb(), *smaps_mb(), seen))
    for kind, url in page_urls().items():
        status = get(application, url)
        get(application, url)  # the second view, as a worker answers many
        now = heavy_loaded()
        rows.append((f"{kind} {url[:40]} ({status})", rss_mb(), *smaps_mb(), now - seen))
        seen = now

    print(f"\nWorker RSS, `make run` settings, demo site in {args.var}")
    print(f"{'step':<62}{'RSS MB':>8}{'×baseline':>11}{'USS MB':>8}{'PSS MB':>8}  heavy libraries loaded by this step")
    for name, mb, uss, pss, loaded in rows:
        print(f"{name:<62}{mb:>8.0f}{mb / start:>11.1f}{uss:>8.0f}{pss:>8.0f}  {', '.join(sorted(loaded)) or '-'}")
    def verdict(mb: float) -> str:
        return f"{mb:.0f} MB (target ≤ {TARGET_MB} MB: {'met' if mb <= TARGET_MB else 'MISSED'})"

    pages = next((mb for name, mb, *_ in rows if name.startswith("data API rows")), rows[-1][1])
    print(f"\nRSS after the page kinds of bench/serving.py and the data API: {verdict(pages)}")
    print(f"RSS after a feed and the searches as well: {verdict(rows[-1][1])} "
          f"(USS {rows[-1][2]:.0f} MB, PSS {rows[-1][3]:.0f} MB)")
    print(f"heavy libraries never loaded: {', '.join(sorted(set(HEAVY) - seen)) or '-'}")


if __name__ == "__main__":
    main()
