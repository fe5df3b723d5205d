"""What serving a published page costs, one way beside another: nginx serving the same HTML saved as a file, a
Varnish hit, an app-cache hit, an uncached render, and a constant Django view.

    .venv/bin/python bench/serving.py [--var DIR] [--seconds 3] [--concurrency 8]

Builds the demo site (migrate + load_demo) in DIR (default var/bench-serving; reused when it is already there),
then starts, all on 127.0.0.1: gunicorn with the page cache off (uncached renders and the constant view), gunicorn
with it on (the embedded default's shared file cache), a private Varnish in front of that one (scripts/varnish.sh,
deploy/varnish/jincai.vcl) and Debian's nginx serving each page's HTML from a file. Each gunicorn runs 2 sync
workers with the `make run` settings (DEBUG off, the rate limits out of the way as in the fuzzing stage).

For each page kind and way it prints requests per second (ApacheBench, `Connection: close`, as a browser without
keep-alive) and the serving processes' CPU per request (utime + stime from /proc: the gunicorn workers, nginx's
workers, or varnishd's cache process), with the ratio of requests per second to nginx's. Then the queries each
page makes uncached, and each uncached worker's RSS after the run. Nothing is asserted.

Needs ab (apache2-utils), nginx and varnish + varnish-modules (Debian packages; scripts/varnish.sh ensure installs
the last two when root).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

UNCACHED_PORT = int(os.environ.get("BENCH_UNCACHED_PORT", 8131))
CACHED_PORT = int(os.environ.get("BENCH_CACHED_PORT", 8132))
VARNISH_PORT = int(os.environ.get("BENCH_VARNISH_PORT", 6084))
NGINX_PORT = int(os.environ.get("BENCH_NGINX_PORT", 8091))

SETTINGS = '''
from portal.settings.fuzz import *  # noqa: F401,F403  (`make run` settings, limits out of the way)
import os
ROOT_URLCONF = "bench_serving_urls"
PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE_ENABLED", "true") != "false"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
'''
URLS = '''
from django.http import HttpResponse
from django.urls import include, path


def constant(request):
    return HttpResponse("<!doctype html><title>ok</title><p>ok</p>")


urlpatterns = [path("__bench__/constant/", constant), path("", include("portal.urls"))]
'''
# Finds one URL per page kind, and counts each one's queries uncached (Django's test client, in the bench site).
FIND_URLS = r'''
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page
from content.models import ArticlePage, PolicyPage, ProcurementNoticePage, TopicPage
from opendata.models import DatasetPage
from portal.models import HomePage, SectionPage

def first(model, **lookups):
    page = model.objects.live().public().filter(**lookups).order_by("path").first()
    return page.url if page else None

def busiest_column():
    best = None
    for section in SectionPage.objects.live().public().filter(listing_kind="article"):
        count = section.get_descendants().live().count()
        if best is None or count > best[0]:
            best = (count, section)
    return best[1].url if best else None

urls = {
    "home": "/",
    "column": busiest_column(),
    "article": first(ArticlePage),
    "policy": first(PolicyPage),
    "notice": first(ProcurementNoticePage),
    "topic": first(TopicPage),
    "dataset": first(DatasetPage, open_type="unconditional") or first(DatasetPage),
    "catalog": "/open-data/catalog/",
}
client = Client(HTTP_HOST="127.0.0.1")
queries = {}
for kind, url in list(urls.items()):
    if url is None:
        continue
    followed = client.get(url, follow=True)
    if followed.redirect_chain:  # the old catalog address leads to the 数据开放 front door
        url = urls[kind] = followed.redirect_chain[-1][0]
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    queries[kind] = (status, len(captured))
print("BENCH-JSON " + json.dumps({"urls": urls, "queries": queries}))
'''


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(cmd, env, **kwargs):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kwargs)


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(child) for child in text]
    return found


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wait_for(url: str, timeout: float = 60, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except Exception:
            if time.monotonic() > deadline or (process is not None and process.poll() is not None):
                raise
            time.sleep(0.3)


def ab(url: str, *, seconds: float, concurrency: int) -> tuple[float, int, int]:
    """(requests per second, completed, failed or non-2xx)."""
    out = subprocess.run(["ab", "-q", "-t", str(seconds), "-n", "1000000", "-c", str(concurrency), url],
                         capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests per second:\s+([\d.]+)", out).group(1))
    complete = int(re.search(r"Complete requests:\s+(\d+)", out).group(1))
    failed = int(re.search(r"Failed requests:\s+(\d+)", out).group(1))
    non2xx = re.search(r"Non-2xx responses:\s+(\d+)", out)
    return rate, complete, failed + (int(non2xx.group(1)) if non2xx else 0)


def measure(url: str, pids: list[int], *, seconds: float, concurrency: int) -> tuple[float, float, int]:
    """(requests per second, CPU ms per request of `pids`, errors)."""
    before = cpu_seconds(pids)
    rate, complete, errors = ab(url, seconds=seconds, concurrency=concurrency)
    used = cpu_seconds(pids) - before
    return rate, used * 1000 / max(complete, 1), errors


class Gunicorn:
    def __init__(self, port: int, env: dict, *, cached: bool):
        self.port = port
        env = dict(env, PAGE_CACHE_ENABLED="true" if cached else "false")
        self.process = subprocess.Popen(
            [str(GUNICORN), "-b", f"127.0.0.1:{port}", "-w", "2", "-k", "sync", "--error-logfile", "-", "--log-level", "warning", "portal.wsgi:application"],
            env=env, cwd=ROOT,
        )
        try:
            wait_for(f"http://127.0.0.1:{port}/__bench__/constant/", process=self.process)
        except Exception:
            self.process.kill()
            raise

    @property
    def workers(self) -> list[int]:
        return children(self.process.pid)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def start_nginx(workdir: Path, pages: dict[str, bytes]) -> tuple[subprocess.Popen | None, Path]:
    html = workdir / "nginx" / "html"
    html.mkdir(parents=True, exist_ok=True)
    for kind, body in pages.items():
        (html / f"{kind}.html").write_bytes(body)
    conf = workdir / "nginx" / "nginx.conf"
    conf.write_text(f"""
worker_processes 2;
daemon off;
pid {workdir / 'nginx' / 'nginx.pid'};
error_log {workdir / 'nginx' / 'error.log'} error;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {workdir / 'nginx'};
    proxy_temp_path {workdir / 'nginx'};
    fastcgi_temp_path {workdir / 'nginx'};
    uwsgi_temp_path {workdir / 'nginx'};
    scgi_temp_path {workdir / 'nginx'};
    types {{ text/html html; }}
    server {{
        listen 127.0.0.1:{NGINX_PORT};
        root {html};
        etag on;
    }}
}}
""")
    process = subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(conf), "-p", str(workdir / "nginx")])
    wait_for(f"http://127.0.0.1:{NGINX_PORT}/home.html")
    return process, conf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", type=Path, default=ROOT / "var" / "bench-serving")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    for tool in ("ab", "nginx"):
        if not (shutil.which(tool) or Path(f"/usr/sbin/{tool}").exists()):
            sys.exit(f"bench/serving.py needs {tool}: apt-get install apache2-utils nginx-light")

    workdir = args.var.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    modules = workdir / "bench_modules"
    modules.mkdir(exist_ok=True)
    (modules / "bench_serving_settings.py").write_text(SETTINGS)
    (modules / "bench_serving_urls.py").write_text(URLS)
    env = dict(os.environ, JINCAI_VAR_DIR=str(workdir), DJANGO_SETTINGS_MODULE="bench_serving_settings",
               PYTHONPATH=f"{modules}:{ROOT}")
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if not (workdir / "db.sqlite3").exists():
        log("building the demo site (migrate + load_demo) ...")
        run([str(PYTHON), "manage.py", "migrate", "-v0"], env)
        run([str(PYTHON), "manage.py", "load_demo", "--base-url", f"http://127.0.0.1:{UNCACHED_PORT}/"], env,
            stdout=subprocess.DEVNULL)
    found = run([str(PYTHON), "manage.py", "shell", "-c", FIND_URLS], dict(env, PAGE_CACHE_ENABLED="false"),
                capture_output=True, text=True).stdout
    data = json.loads(found.split("BENCH-JSON ", 1)[1])
    urls = {kind: url for kind, url in data["urls"].items() if url}
    shutil.rmtree(workdir / "cache", ignore_errors=True)

    uncached = Gunicorn(UNCACHED_PORT, env, cached=False)
    cached = Gunicorn(CACHED_PORT, env, cached=True)
    varnish_env = dict(os.environ, JINCAI_VARNISH_PORT=str(VARNISH_PORT), JINCAI_VARNISH_DIR=str(workdir / "varnish"),
                       JINCAI_VARNISH_BACKEND=f"127.0.0.1:{CACHED_PORT}")
    varnish_url = subprocess.run(["bash", "scripts/varnish.sh", "start"], env=varnish_env, cwd=ROOT, check=True,
                                 capture_output=True, text=True).stdout.strip()
    varnish_pids = [pid for pid in map(int, subprocess.run(["pgrep", "-f", f"127.0.0.1:{VARNISH_PORT}"],
                    capture_output=True, text=True).stdout.split())]
    varnish_pids = sorted(set(varnish_pids + [child for pid in varnish_pids for child in children(pid)]))
    nginx = None
    try:
        pages = {kind: urllib.request.urlopen(f"http://127.0.0.1:{UNCACHED_PORT}{url}").read()
                 for kind, url in urls.items()}
        nginx, _ = start_nginx(workdir, pages)
        nginx_pids = children(nginx.pid)
        for kind, url in urls.items():  # warm the caches
            for _ in range(2):
                urllib.request.urlopen(f"http://127.0.0.1:{CACHED_PORT}{url}").read()
                urllib.request.urlopen(f"{varnish_url}{url}").read()

        seconds, concurrency = args.seconds, args.concurrency
        constant = measure(f"http://127.0.0.1:{UNCACHED_PORT}/__bench__/constant/", uncached.workers,
                           seconds=seconds, concurrency=concurrency)
        print(f"\nServing published pages: {seconds:g} s per cell, {concurrency} concurrent connections, "
              "Connection: close; gunicorn 2 sync workers")
        print(f"constant Django view: {constant[0]:8.0f} req/s   {constant[1]:6.2f} ms CPU/request")
        header = (f"{'page':8} | {'nginx file':>17} | {'Varnish hit':>24} | {'app-cache hit':>24} | "
                  f"{'uncached render':>24}")
        print(header)
        print(f"{'':8} | {'req/s   ms CPU':>17} | {'req/s  ×nginx  ms CPU':>24} | {'req/s  ×nginx  ms CPU':>24} | "
              f"{'req/s  ×nginx  ms CPU':>24}")
        print("-" * len(header))
        errors = 0
        for kind, url in urls.items():
            file_cell = measure(f"http://127.0.0.1:{NGINX_PORT}/{kind}.html", nginx_pids,
                                seconds=seconds, concurrency=concurrency)
            varnish_cell = measure(f"{varnish_url}{url}", varnish_pids, seconds=seconds, concurrency=concurrency)
            hit_cell = measure(f"http://127.0.0.1:{CACHED_PORT}{url}", cached.workers,
                               seconds=seconds, concurrency=concurrency)
            render_cell = measure(f"http://127.0.0.1:{UNCACHED_PORT}{url}", uncached.workers,
                                  seconds=seconds, concurrency=concurrency)
            errors += sum(cell[2] for cell in (file_cell, varnish_cell, hit_cell, render_cell))

            def cell(values):
                return f"{values[0]:7.0f} {values[0] / file_cell[0]:6.2f} {values[1]:8.2f}"

            print(f"{kind:8} | {file_cell[0]:7.0f} {file_cell[1]:8.2f} | {cell(varnish_cell):>24} | "
                  f"{cell(hit_cell):>24} | {cell(render_cell):>24}")
        print("(ms CPU: nginx's workers for the file, varnishd for a Varnish hit, the gunicorn workers otherwise; "
              "×nginx: requests per second as a share of nginx's)")
        print(f"app-cache hit vs constant view: CPU per request is shown above; constant view "
              f"{constant[1]:.2f} ms. Requests refused or failed: {errors}")
        print("\nQueries per uncached page: " + ", ".join(
            f"{kind} {count}" + ("" if status == 200 else f" (HTTP {status})")
            for kind, (status, count) in data["queries"].items()))
        print("Worker RSS after the run (MB): uncached " + ", ".join(
            f"{rss_mb(pid):.0f}" for pid in uncached.workers) + "; cached " + ", ".join(
            f"{rss_mb(pid):.0f}" for pid in cached.workers))
    finally:
        if nginx is not None:
            nginx.send_signal(signal.SIGQUIT)
            nginx.wait(timeout=30)
        subprocess.run(["bash", "scripts/varnish.sh", "stop"], env=varnish_env, cwd=ROOT, capture_output=True)
        uncached.stop()
        cached.stop()


if __name__ == "__main__":
    main()
