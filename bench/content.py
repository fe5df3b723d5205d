"""How the content pages and APIs scale: 1,000 articles, then 100,000 (plus 20,000 policies and notices).

    .venv/bin/python bench/content.py [--small 1000] [--large 100000] [--runs 30]

Builds a throwaway SQLite site (pages are bulk-inserted straight into the tree, as an import would),
then measures, at both sizes and in one process, each page through Django's test client against a
constant-response view served the same way. Prints for each URL: its median time, its ratio to the
constant view, its query count, and the ratio of its time at the large size to its time at the small one.
Nothing is asserted; the figures go in the closing note of the content issue.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import types
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(workdir: Path) -> None:
    os.environ["JINCAI_VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django
    from django.conf import settings
    from django.http import HttpResponse
    from django.urls import include, path

    django.setup()

    def constant(request):
        return HttpResponse("<!doctype html><title>ok</title><p>ok</p>")

    # The baseline: a view answering a constant body, routed and served like the pages.
    urls = types.ModuleType("bench_content_urls")
    urls.urlpatterns = [path("__bench__/constant/", constant), path("", include("portal.urls"))]
    sys.modules["bench_content_urls"] = urls
    settings.ROOT_URLCONF = "bench_content_urls"


class Builder:
    """Bulk-inserts published pages under a column, the way a large import would."""

    def __init__(self, seed: int = 7):
        from content.models import Department, Region, Theme
        from wagtail.models import Locale

        self.rng = random.Random(seed)
        self.locale = Locale.objects.first()
        self.departments = list(Department.objects.all())
        self.themes = list(Theme.objects.all())
        self.regions = list(Region.objects.all())
        self.today = dt.date(2026, 11, 20)

    def add(self, model, parent, count: int, make_fields) -> None:
        from django.contrib.contenttypes.models import ContentType
        from django.db import transaction
        from django.utils import timezone
        from wagtail.models import Page

        content_type = ContentType.objects.get_for_model(model)
        parent = Page.objects.get(pk=parent.pk)
        local_fields = [f for f in model._meta.local_concrete_fields if not f.primary_key or f.name == "page_ptr"]
        start = parent.numchild
        with transaction.atomic():
            for offset in range(0, count, 1000):
                batch = range(start + offset + 1, start + min(offset + 1000, count) + 1)
                pages, details = [], []
                for number in batch:
                    day = self.today - dt.timedelta(days=self.rng.randrange(0, 3650))
                    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(9, number % 60)))
                    title, fields = make_fields(number, day)
                    slug = f"b{number}"
                    pages.append(Page(
                        title=title, draft_title=title, slug=slug, content_type=content_type, live=True,
                        path=Page._get_path(parent.path, parent.depth + 1, number), depth=parent.depth + 1,
                        numchild=0, url_path=f"{parent.url_path}{slug}/", locale=self.locale,
                        first_published_at=moment, last_published_at=moment,
                    ))
                    details.append(fields | {"date": day})
                Page.objects.bulk_create(pages)
                rows = []
                for page, fields in zip(pages, details, strict=True):
                    row = model(page_ptr_id=page.pk, **fields)
                    rows.append(row)
                model._base_manager._insert(rows, fields=local_fields, using="default")
            Page.objects.filter(pk=parent.pk).update(numchild=start + count)

    def article(self, number: int, day: dt.date):
        return f"财政部召开第{number}次财政工作新闻发布会", {
            "summary": "介绍今年以来财政收支情况和下一步重点工作安排。", "source": "新闻办公室",
            "theme": self.rng.choice(self.themes), "department": self.rng.choice(self.departments),
            "body": [("paragraph", "<p>今年以来，各级财政部门认真落实积极的财政政策。</p>")],
        }

    def policy(self, number: int, day: dt.date):
        department = self.rng.choice(self.departments)
        return f"关于加强预算绩效管理的通知（第{number}号）", {
            "summary": "为提高财政资金使用效益，现就有关事项通知如下。", "issuing_authority": department,
            "department": department, "theme": self.rng.choice(self.themes),
            "index_number": f"{department.code}/{day.year}-{number:05d}",
            "document_number": f"财预〔{day.year}〕{number}号", "written_date": day, "validity": "valid",
            "body": [("paragraph", "<p>各省、自治区、直辖市财政厅（局）：</p>")],
        }

    def notice(self, number: int, day: dt.date):
        kind = self.rng.choice(["open_tender", "award", "correction", "intention"])
        result = {"supplier": "北京某科技有限公司", "award_amount": Decimal("980000")} if kind == "award" else {}
        return f"办公设备采购项目{number}公告", {
            "summary": "现对该项目进行公告。", "notice_type": kind, "project_code": f"ZC{day.year}-{number:06d}",
            "project_name": f"办公设备采购项目{number}", "procurement_method": "open_tender",
            "category": self.rng.choice(["goods", "works", "services"]), "purchaser": "某市财政局",
            "region": self.rng.choice(self.regions), "budget_amount": Decimal("1200000"),
            "theme": self.rng.choice(self.themes), **result,
            "body": [("paragraph", "<p>现就该项目公告如下。</p>")],
        }


def build_site():
    from content.models import Department, Region, Theme
    from django.core.management import call_command
    from wagtail.models import Page, Site

    from portal.models import HomePage, SectionPage

    call_command("migrate", verbosity=0)
    for n in range(20):
        Department.objects.create(name=f"司局{n}", code=f"0000143{n:02d}")
    for n in range(12):
        Theme.objects.create(name=f"主题{n}", slug=f"theme-{n}")
    for n, code in enumerate(["110000", "120000", "310000", "320000", "330000", "440000"]):
        Region.objects.create(code=code, name=f"地区{n}")
    root = Page.get_first_root_node()
    for child in root.get_children():
        child.delete()
    home = HomePage(title="首页", slug="home")
    Page.objects.get(pk=root.pk).add_child(instance=home)
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True)
    columns = {}
    for slug, title, kind in [("news", "财政新闻", "article"), ("policies", "政策发布", "policy"),
                              ("procurement", "政府采购", "procurement")]:
        column = SectionPage(title=title, slug=slug, listing_kind=kind)
        home.add_child(instance=column)
        columns[slug] = column
    home = HomePage.objects.get(pk=home.pk)
    home.headline_section, home.policy_section, home.procurement_section = (
        columns["news"], columns["policies"], columns["procurement"])
    home.save()
    return columns


class Sites:
    """The small and the large site, two SQLite files; switching closes the connection and opens the other
    file, and each site keeps its own cache entries."""

    def __init__(self, paths: dict[str, Path]):
        self.paths = paths

    def use(self, label: str) -> None:
        from django.core.cache import cache
        from django.db import connection

        connection.close()
        connection.settings_dict["NAME"] = str(self.paths[label])
        cache.key_prefix = label


def timed_get(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def query_count(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)  # read now: the next request resets the connection's query log


def measure(client, sites: Sites, url: str, runs: int) -> dict[str, tuple[float, float, int]]:
    """Median and p95 (seconds) and query count of `url` on each site, the two sites' requests interleaved
    so that whatever else the machine is doing weighs on both alike."""
    times: dict[str, list[float]] = {label: [] for label in sites.paths}
    counts = {}
    for label in sites.paths:
        sites.use(label)
        for _ in range(3):
            timed_get(client, url)
        counts[label] = query_count(client, url)
    for _ in range(runs):
        for label in sites.paths:
            sites.use(label)
            times[label].append(timed_get(client, url))
    return {
        label: (statistics.median(t), statistics.quantiles(t, n=20)[-1], counts[label]) for label, t in times.items()
    }


def urls(columns, deep_page: int) -> dict[str, str]:
    from content.models import ArticlePage

    article = ArticlePage.objects.live().order_by("-date", "-pk").first()
    region = "110000"
    return {
        "constant view": "/__bench__/constant/",
        "home page": "/",
        "column, first page": "/news/",
        f"column, page {deep_page}": f"/news/?page={deep_page}",
        "procurement, filtered": f"/procurement/?type=award&region={region}&category=goods",
        "article": article.url,
        "column feed (RSS)": "/news/feed/rss/",
        "API list": "/api/v1/articles?size=20",
        "API list, filtered": f"/api/v1/notices?type=award&region={region}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=1_000, help="articles in the small site (default 1,000)")
    parser.add_argument("--large", type=int, default=100_000, help="articles in the large site (default 100,000)")
    parser.add_argument("--runs", type=int, default=40, help="timed requests per URL and site (default 40)")
    parser.add_argument("--deep-page", type=int, default=50, help="the deep page measured (default 50)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="jincai-bench-") as workdir:
        setup_django(Path(workdir))
        import shutil

        from django.db import connection
        from django.test import Client

        from content.models import ArticlePage, PolicyPage, ProcurementNoticePage

        columns = build_site()
        builder = Builder()
        small_path, large_path = Path(workdir) / "bench.sqlite3", Path(workdir) / "large.sqlite3"
        sizes = {}
        for label, articles, path in (("small", args.small, small_path), ("large", args.large, large_path)):
            if label == "large":  # the large site is the small one grown, so both hold the same first pages
                connection.close()
                shutil.copyfile(small_path, large_path)
                connection.settings_dict["NAME"] = str(large_path)
            done = ArticlePage.objects.count()
            others, done_others = articles // 5, PolicyPage.objects.count()
            started = time.perf_counter()
            builder.add(ArticlePage, columns["news"], articles - done, builder.article)
            builder.add(PolicyPage, columns["policies"], others - done_others, builder.policy)
            builder.add(ProcurementNoticePage, columns["procurement"], others - done_others, builder.notice)
            sizes[label] = path
            print(f"{label}: {articles:,} articles, {others:,} policies, {others:,} notices "
                  f"(built in {time.perf_counter() - started:.1f} s)", flush=True)
        sites = Sites(sizes)
        sites.use("small")  # an article both sites hold
        targets = urls(columns, args.deep_page)
        client = Client()
        results = {name: measure(client, sites, url, args.runs) for name, url in targets.items()}

        print()
        print(f"{'URL':<26}{'small p50':>10}{'×const':>8}{'queries':>8}{'large p50':>10}{'p95':>8}{'×const':>8}"
              f"{'queries':>8}{'large/small':>12}")
        base = results["constant view"]
        for name, by_site in results.items():
            (small, _, q_small), (large, large95, q_large) = by_site["small"], by_site["large"]
            print(f"{name:<26}{small * 1000:>10.2f}{small / base['small'][0]:>8.1f}{q_small:>8}"
                  f"{large * 1000:>10.2f}{large95 * 1000:>8.2f}{large / base['large'][0]:>8.1f}{q_large:>8}"
                  f"{large / small:>12.2f}")
        print("\nTarget: column and API pages keep a constant query count, and large/small ≤ 1.5.")


if __name__ == "__main__":
    main()
