"""How good the search results are: nDCG@10 and MRR over the judged queries of tests/search/judgments.json.

    .venv/bin/python bench/search_quality.py [--no-opendata] [--no-elasticsearch] [--per-query]
                                             [--workdir DIR] [--pools FILE] [--corpus FILE] [--postgres URL]

Loads the demo (build_demo_site, the services hall and open data, as `manage.py load_demo` does, but on the
fixed day the judgments were made for, so every page has the same address) into a throwaway SQLite database,
indexes it, and runs every judged query through
  (a) our database backend (SQLite FTS5),
  (b) our Elasticsearch backend, on its own alias, when JINCAI_TEST_ELASTICSEARCH_URL or ELASTICSEARCH_URL is
      set or `scripts/elasticsearch.sh start` can start a node (which is then stopped again),
  (c) the character-bigram baseline of bench/bigram.py over the same documents (title and body as indexed),
  (d) Wagtail's built-in database search (`Page.objects.live().search(q)`, wagtail.search's database backend)
      over the same pages.
Each query goes to (a) and (b) exactly as the search page sends it (search.query.plan_search: the analyzer,
synonyms, pinyin, correction, best match; freshness measured from the judgments' day) and the top 10 are compared with the judgments.

Prints, for each system, overall and for every category of query (questions, 繁體, pinyin, initials, typos,
acronyms and names, codes and numbers, finance words): mean nDCG@10 (gain 2^grade − 1, ideal order from all judged documents of the query),
MRR (reciprocal rank of the first result graded 2 or 3, 0 when none is in the top 10), how many queries found
nothing at all (and the zero-result rate: their share of the queries that have an answer); and the mean top-10 overlap of (a) and (b): |A ∩ B| / max(|A|, |B|) (1.0 when both return the
same ten, queries where both find nothing skipped). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))  # for bigram.py; after ROOT, so bench/content.py never shadows the app
JUDGMENTS = ROOT / "tests" / "search" / "judgments.json"
K = 10


def read_judgments(path: Path = JUDGMENTS) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def setup_django(workdir: Path) -> str:
    """Django on a fresh SQLite file in `workdir`; returns the Elasticsearch URL from the environment (if any),
    which is kept out of the settings so that loading the demo writes only to the database index."""
    es_url = os.environ.get("JINCAI_TEST_ELASTICSEARCH_URL") or os.environ.get("ELASTICSEARCH_URL", "")
    os.environ.pop("ELASTICSEARCH_URL", None)
    os.environ["JINCAI_VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()
    return es_url


def postgres_backend(url: str, documents: list):
    """Our database backend on the PostgreSQL database at `url` (as the alias "pg"), holding `documents`."""
    import dj_database_url
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from search.backends.database import DatabaseBackend

    configured = connections.configure_settings({"default": connections.settings["default"],
                                                  "pg": dj_database_url.parse(url)})
    connections.settings["pg"] = settings.DATABASES["pg"] = configured["pg"]
    call_command("migrate", "search", database="pg", verbosity=0)
    backend = DatabaseBackend(using="pg")
    started = time.perf_counter()
    backend.rebuild(documents)
    with connections["pg"].cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry")
    print(f"PostgreSQL index: {backend.count()} documents ({time.perf_counter() - started:.1f} s)")
    return backend


def load_demo(today: dt.date, *, opendata: bool = True, log=print) -> None:
    """What `manage.py load_demo` loads, on `today` (the demo's slugs and dates follow from it)."""
    from django.core.management import call_command

    from demo.opendata import build_opendata_demo
    from demo.site import build_demo_site
    from portal.models import SectionPage
    from demo.services_hall import build_services_demo

    call_command("migrate", verbosity=0)
    home = build_demo_site(today=today, log=lambda *args: None)
    build_services_demo(parent=SectionPage.objects.child_of(home).get(slug="services"), today=today)
    if opendata:
        build_opendata_demo(home, log=lambda *args: None)
    log(f"demo loaded for {today}: {home.get_descendants().live().count()} live pages")


def key_of(url: str, doc_type: str, title: str) -> str:
    """How judgments name a document: its URL, except letters (their URL holds a random tracking number),
    which are named by their subject."""
    return f"letter:{title}" if doc_type == "letter" else url


def ndcg(ranked: list[str], judged: dict[str, int], k: int = K) -> float:
    gains = [2 ** judged.get(key, 0) - 1 for key in ranked[:k]]
    ideal = sorted((2 ** grade - 1 for grade in judged.values()), reverse=True)[:k]
    idcg = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(ideal))
    dcg = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains))
    return dcg / idcg if idcg else 0.0


def reciprocal_rank(ranked: list[str], judged: dict[str, int], k: int = K, threshold: int = 2) -> float:
    for rank, key in enumerate(ranked[:k], start=1):
        if judged.get(key, 0) >= threshold:
            return 1 / rank
    return 0.0


# --- the systems ----------------------------------------------------------------------------------------------


class OurBackend:
    """One of our backends, asked the way the search page asks it (search.query.analyse)."""

    def __init__(self, name: str, backend, today: dt.date):
        self.name, self.backend, self.today = name, backend, today

    def top(self, q: str) -> list[str]:
        from search.backends import database_backend
        from search.query import plan_search

        plan = plan_search(q, lambda query: self.backend.search(query, today=self.today), per_page=K)
        if plan is None:
            return []
        result = plan.result
        entries = database_backend().entries([hit.id for hit in result.hits])
        return [key_of(entries[hit.id].url, entries[hit.id].type, entries[hit.id].title)
                for hit in result.hits if hit.id in entries]


class BigramBaseline:
    """bench/bigram.py over the documents our backends index."""

    name = "bigram baseline"

    def __init__(self, documents):
        from bigram import BigramIndex

        self.index = BigramIndex([(key_of(d.url, d.type, d.title), d.title, d.body) for d in documents])

    def top(self, q: str) -> list[str]:
        return self.index.top(q, K)


class WagtailSearch:
    """Wagtail's built-in database search backend over the live pages (letters are not pages: never found)."""

    name = "wagtail db search"

    def top(self, q: str) -> list[str]:
        from wagtail.models import Page

        return [page.get_url() for page in Page.objects.live().search(q)[:K]]


def start_elasticsearch() -> tuple[str, bool]:
    """(URL, whether we started it): a running node on the script's port, else one started by the script."""
    script = ROOT / "scripts" / "elasticsearch.sh"
    if subprocess.run(["bash", str(script), "status"], capture_output=True).returncode == 0:
        return subprocess.run(["bash", str(script), "url"], capture_output=True, text=True).stdout.strip(), False
    started = subprocess.run(["bash", str(script), "start"], capture_output=True, text=True,
                             env={**os.environ, "JINCAI_ES_JAVA_OPTS": ""})
    if started.returncode != 0:
        print(f"Elasticsearch: could not start ({started.stderr.strip().splitlines()[-1:]}); skipped")
        return "", False
    return started.stdout.strip(), True


def stop_elasticsearch() -> None:
    subprocess.run(["bash", str(ROOT / "scripts" / "elasticsearch.sh"), "stop"], capture_output=True)


# --- main -----------------------------------------------------------------------------------------------------


def evaluate(system, queries: list[dict]) -> dict:
    runs = {}
    for entry in queries:
        ranked = system.top(entry["q"])
        runs[entry["q"]] = ranked
    return runs


def summary(runs: dict[str, list[str]], queries: list[dict]) -> tuple[float, float, int]:
    ndcgs = [ndcg(runs[entry["q"]], entry["judgments"]) for entry in queries]
    rrs = [reciprocal_rank(runs[entry["q"]], entry["judgments"]) for entry in queries]
    empty = sum(1 for entry in queries if not runs[entry["q"]])
    return statistics.mean(ndcgs), statistics.mean(rrs), empty


def overlap(a: list[str], b: list[str]) -> float | None:
    a, b = set(a[:K]), set(b[:K])
    if not a and not b:
        return None
    return len(a & b) / max(len(a), len(b))


def print_table(runs: dict[str, dict[str, list[str]]], queries: list[dict]) -> None:
    print(f"{'system':<22}{'nDCG@10':>10}{'MRR':>8}{'no result':>11}{'zero-rate':>11}")
    for name, by_query in runs.items():
        mean_ndcg, mrr, empty = summary(by_query, queries)
        print(f"{name:<22}{mean_ndcg:>10.3f}{mrr:>8.3f}{empty:>11}{empty / len(queries):>10.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-opendata", action="store_true", help="skip the open-data demo (its 120,000-row "
                        "resource takes ~40 s to load; the judgments then miss their datasets)")
    parser.add_argument("--no-elasticsearch", action="store_true")
    parser.add_argument("--no-wagtail", action="store_true")
    parser.add_argument("--per-query", action="store_true", help="print nDCG@10 of every query and system")
    parser.add_argument("--workdir", help="keep the loaded demo here and reuse it next time (default: a "
                        "throwaway folder)")
    parser.add_argument("--pools", help="write every system's top 10 for every query (and its intent) to this "
                        "JSON file, for bench/grade_judgments.py")
    parser.add_argument("--corpus", help="write the indexed documents (key, type, title, body) to this JSON file")
    parser.add_argument("--postgres", metavar="URL", help="also index the same documents into the database at URL "
                        "(an empty PostgreSQL database: its search tables are migrated and filled) and judge our "
                        "database backend there, e.g. one made on the cluster of scripts/postgres.sh")
    args = parser.parse_args()
    judgments = read_judgments()
    # A query with no judged document has no right answer in the demo: nDCG and MRR are undefined for it.
    unanswerable = [entry for entry in judgments["queries"] if not entry["judgments"]]
    queries = [entry for entry in judgments["queries"] if entry["judgments"]]
    today = dt.date.fromisoformat(judgments["demo_today"])

    with tempfile.TemporaryDirectory(prefix="jincai-bench-quality-") as throwaway:
        workdir = Path(args.workdir or throwaway)
        workdir.mkdir(parents=True, exist_ok=True)
        loaded = (workdir / "bench.sqlite3").exists()
        es_url = setup_django(workdir)
        from django.core.management import call_command

        from search.backends import database_backend
        from search.documents import iter_documents

        started = time.perf_counter()
        if loaded:
            call_command("migrate", verbosity=0)
            print(f"demo reused from {workdir}")
        else:
            load_demo(today, opendata=not args.no_opendata)
            print(f"  (loaded in {time.perf_counter() - started:.0f} s)")
        documents = list(iter_documents())
        started = time.perf_counter()
        indexed = database_backend().rebuild(documents)
        print(f"database index: {indexed} documents ({time.perf_counter() - started:.1f} s)")
        if args.corpus:
            Path(args.corpus).write_text(json.dumps(
                [{"url": key_of(d.url, d.type, d.title), "type": d.type, "title": d.title, "body": d.body}
                 for d in documents], ensure_ascii=False), encoding="utf-8")
        if not args.no_wagtail:
            call_command("update_index", verbosity=0)  # Wagtail's own index (the page saves filled most of it)

        systems = [OurBackend("database (SQLite)", database_backend(), today)]
        if args.postgres:
            systems.append(OurBackend("database (PostgreSQL)", postgres_backend(args.postgres, documents), today))
        es_backend, we_started = None, False
        if not args.no_elasticsearch:
            if not es_url:
                es_url, we_started = start_elasticsearch()
            if es_url:
                from search.backends.elasticsearch import ElasticsearchBackend

                es_backend = ElasticsearchBackend(url=es_url, alias=f"jincai-bench-{uuid.uuid4().hex[:10]}",
                                                  refresh=True)
                started = time.perf_counter()
                es_backend.rebuild(documents)
                print(f"elasticsearch index ({es_url}): {es_backend.count()} documents "
                      f"({time.perf_counter() - started:.1f} s)")
                systems.append(OurBackend("elasticsearch", es_backend, today))
        systems.append(BigramBaseline(documents))
        if not args.no_wagtail:
            systems.append(WagtailSearch())

        try:
            runs = {system.name: evaluate(system, queries) for system in systems}
            nothing_to_find = {system.name: evaluate(system, unanswerable) for system in systems}
            if args.pools:
                pools: dict[str, list[str]] = {}
                for entry in judgments["queries"]:
                    asked = [entry["q"]] + ([entry["intent"].replace("|", " ").replace("&", " ")]
                                            if entry.get("intent") else [])
                    pools[entry["q"]] = list(dict.fromkeys(
                        key for system in systems if not isinstance(system, WagtailSearch)
                        for text in asked for key in system.top(text)))
                Path(args.pools).write_text(json.dumps(pools, ensure_ascii=False, indent=0), encoding="utf-8")
        finally:
            if es_backend is not None:
                es_backend.drop()
                es_backend.client.close()
            if we_started:
                stop_elasticsearch()

    print(f"\n{len(queries)} judged queries, {sum(len(e['judgments']) for e in queries)} judgments "
          f"(demo of {today}); top {K}")
    if args.per_query:
        names = list(runs)
        print(f"\n{'query':<24}" + "".join(f"{name[:18]:>20}" for name in names))
        for entry in queries:
            print(f"{entry['q']:<24}" + "".join(
                f"{ndcg(runs[name][entry['q']], entry['judgments']):>20.3f}" for name in names))
    print("\nall queries")
    print_table(runs, queries)
    categories = list(dict.fromkeys(entry.get("category", "words") for entry in queries))
    for category in categories:
        chosen = [entry for entry in queries if entry.get("category", "words") == category]
        print(f"\n{category} ({len(chosen)} queries)")
        print_table(runs, chosen)
    if unanswerable:
        print(f"\nqueries with nothing relevant in the demo (left out above): "
              + ", ".join(entry["q"] for entry in unanswerable) + "; results returned: "
              + ", ".join(f"{name} {sum(len(r) for r in by_query.values())}" for name, by_query in nothing_to_find.items()))
    names = [system.name for system in systems if isinstance(system, OurBackend)]
    for other in names[1:]:
        values = [overlap(runs[names[0]][e["q"]], runs[other][e["q"]]) for e in queries]
        values = [value for value in values if value is not None]
        identical = sum(1 for e in queries if runs[names[0]][e["q"]][:K] == runs[other][e["q"]][:K])
        print(f"\ntop-{K} overlap {names[0]} / {other}: mean {statistics.mean(values):.3f} over "
              f"{len(values)} queries; identical top {K} (same order) for {identical} of {len(queries)}")
    print("\nTarget (issue 14): zero-result rate under 5% on the judged set; nDCG@10 per category.")


if __name__ == "__main__":
    main()
