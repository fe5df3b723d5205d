"""The scale-out backend: Elasticsearch 8 through elasticsearch.dsl.

- Fields: title_tokens and body_tokens are `text` under a whitespace tokenizer + lowercase filter (the tokens
  arrive segmented by search.analyzer, so Elasticsearch only splits on the spaces), with index_phrases (word
  pairs indexed too, for the adjacency bonus); type, department, region, year and tags are keywords (facets
  and filters); the original title and body are kept in _source, not indexed, for snippets.
- Indices are named <alias>-<analyzer version>-<generation>; reads and writes go through the alias. A rebuild
  fills a new index (which also receives every change made meanwhile, through a second "building" alias),
  refreshes it, force-merges it into one segment, swaps the alias in one atomic request and deletes the old
  index: search never answers from an empty or half-built index.
- Matching is the same as the database backend: every term is an OR of its alternatives, terms are ANDed, an
  alternative of several tokens needs all of them (in title or body; adjacency only adds score). Tokens only
  ever reach match, multi_match and match_phrase (analysed as plain text), never query_string, so nothing a
  person types is query syntax.
- Facet counts are computed under the other filters (filter aggregations, only for a facet that has other
  filters to count under) while the total and the hits take every filter, like the database backend.
- Relevance order multiplies the score by the freshness boost of search.backends.base, on the first hits by
  BM25 only (a rescore window, see search: ranking beyond it is BM25 alone); function_score has no hyperbola
  without scripts, so the boost is a fitted sum of exponential decays (see FRESHNESS_DECAYS).
- Counting (total, facets) and ranking are two bodies of one msearch: the count never scores, the ranking
  never counts, so Lucene can skip non-competitive blocks (block-max WAND) on broad queries.

Connection failures, timeouts and an unavailable cluster raise SearchBackendUnavailable, so the query service
can fall back to the database.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import time
from collections.abc import Iterable

from django.utils import timezone
from elastic_transport import ApiResponseMeta
from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch import dsl, helpers

from search.backends.base import (
    FACETS,
    FRESHNESS_HALF_LIFE_DAYS,
    FRESHNESS_WEIGHT,
    Hit,
    SearchBackend,
    SearchBackendUnavailable,
    SearchDocument,
    SearchQuery,
    SearchResult,
)

TITLE_BOOST = 3.0
PHRASE_BOOST = 1.0  # extra score when the tokens of a multi-token alternative are adjacent
BATCH_SIZE = 500
FACET_SIZE = 1000  # facet values returned per facet (the database backend returns all of them)
FORCE_MERGE_TIMEOUT = 3600.0  # seconds a rebuild waits for its index to be merged into one segment
MAX_RESULT_WINDOW = 10_000  # Elasticsearch's default index.max_result_window: offset + limit beyond it is refused
# Relevance order: the freshness boost re-ranks the first max(200, 4 × (offset + limit)) hits by BM25 (see search).
RESCORE_WINDOW_MIN = 200
RESCORE_WINDOW_FACTOR = 4

# h / (h + age) ≈ Σ weight · exp(-age / (factor · h)), least-squares over ages 0–30 years: the boost differs
# from base.freshness_boost by less than 0.3 % at any age up to 40 years (tests/search/test_elasticsearch.py).
# Unlike the database, a date in the future is treated like the same distance in the past.
FRESHNESS_DECAYS = ((1 / 3, 0.2261), (1.5, 0.5367), (7.0, 0.1678), (30.0, 0.0732))

TOKENS = dsl.analyzer("jincai_tokens", tokenizer="whitespace", filter=["lowercase"])


class Entry(dsl.Document):
    """The mapping of one search document."""

    doc_id = dsl.Keyword()
    url = dsl.Keyword(index=False, doc_values=False)
    type = dsl.Keyword()
    department = dsl.Keyword()
    region = dsl.Keyword()
    year = dsl.Keyword()
    tags = dsl.Keyword(multi=True)
    date = dsl.Date(format="strict_date")
    title = dsl.Text(index=False)
    body = dsl.Text(index=False)
    # index_phrases: every pair of adjacent tokens is also indexed (a hidden ._index_phrase field), so the
    # adjacency bonus of a two-token alternative (match_phrase) is one term look-up instead of a walk over
    # both tokens' positions in every matching document: the dearest part of broad queries (财政部 → 财政 部).
    title_tokens = dsl.Text(analyzer=TOKENS, index_phrases=True)
    body_tokens = dsl.Text(analyzer=TOKENS, index_phrases=True)

    class Meta:
        dynamic = dsl.MetaField("strict")


def analyzer_version() -> str:
    """search.analyzer.ANALYZER_VERSION, or "0" where the analyzer cannot be imported."""
    try:
        from search.analyzer import ANALYZER_VERSION
    except ImportError:
        return "0"
    return str(ANALYZER_VERSION)


def index_name_part(text: str) -> str:
    """Text made safe inside an index name (lower case; no \\ / * ? " < > | , # : or spaces)."""
    return re.sub(r"[^a-z0-9_.+-]+", "-", text.lower()).strip("-_.+") or "0"


def freshness_approximation(age_days: float) -> float:
    """The boost the query computes for a document `age_days` old (compare base.freshness_boost)."""
    return 1 + FRESHNESS_WEIGHT * sum(
        weight * math.exp(-abs(age_days) / _decay_scale_days(factor))
        for factor, weight in FRESHNESS_DECAYS
    )


def _decay_scale_days(factor: float) -> int:
    return max(1, round(factor * FRESHNESS_HALF_LIFE_DAYS))


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(
        self,
        *,
        url: str = "",
        alias: str = "jincai-search",
        shards: int = 1,
        replicas: int = 0,
        timeout: float = 10.0,
        refresh: bool | str = "wait_for",
        client: Elasticsearch | None = None,
    ):
        """`refresh` is what a write waits for: "wait_for" (the default) returns once the change is searchable,
        True forces a refresh (tests), False returns at once."""
        self.client = client or Elasticsearch(url, request_timeout=timeout, max_retries=1, retry_on_timeout=False)
        self.alias = index_name_part(alias)
        self.building_alias = f"{self.alias}.building"
        self.shards = shards
        self.replicas = replicas
        self.refresh = refresh

    # --- indices -----------------------------------------------------------------------------------------------

    def index_name(self, generation: int | str) -> str:
        return f"{self.alias}-{index_name_part(analyzer_version())}-{generation}"

    def _new_index(self, name: str) -> dsl.Index:
        index = dsl.Index(name, using=self.client)
        index.settings(number_of_shards=self.shards, number_of_replicas=self.replicas)
        index.document(Entry)
        return index

    def _create(self, name: str, *, aliases: dict, building: bool = False) -> None:
        index = self._new_index(name)
        if building:
            index.settings(refresh_interval="-1")
        index.aliases(**aliases)
        body = index.to_dict()
        body["mappings"]["_meta"] = {"analyzer_version": analyzer_version()}
        self.client.indices.create(index=name, **body)

    def _ensure_alias(self) -> None:
        """Create the first index (generation 0) behind the alias if there is none yet. Its fixed name makes
        concurrent first writes create it once."""
        if self.client.indices.exists_alias(name=self.alias):
            return
        try:
            self._create(self.index_name(0), aliases={self.alias: {"is_write_index": True}})
        except ApiError as error:
            if _error_type(error) != "resource_already_exists_exception":
                raise

    def _indices(self) -> dict[str, set[str]]:
        """Every index of this backend, with its aliases."""
        found = self.client.indices.get_alias(index=f"{self.alias}-*", expand_wildcards="open,closed")
        return {name: set(info.get("aliases", {})) for name, info in found.body.items()}

    def drop(self) -> None:
        """Delete every index of this backend, served or not (tests; a clean start)."""
        with _unavailable_on_failure():
            names = sorted(self._indices())
            if names:
                self.client.indices.delete(index=",".join(names), ignore_unavailable=True)

    def stored_version(self) -> str:
        """The analyzer version the served index was built with ("" before anything was indexed)."""
        with _unavailable_on_failure():
            try:
                mappings = self.client.indices.get_mapping(index=self.alias).body
            except NotFoundError:
                return ""
        for info in mappings.values():
            return info.get("mappings", {}).get("_meta", {}).get("analyzer_version", "")
        return ""

    def count(self) -> int:
        with _unavailable_on_failure():
            try:
                return int(self.client.count(index=self.alias)["count"])
            except NotFoundError:
                return 0

    # --- writing -----------------------------------------------------------------------------------------------

    def index(self, documents: list[SearchDocument]) -> None:
        documents = _last_per_id(documents)
        if not documents:
            return
        with _unavailable_on_failure():
            self._ensure_alias()
            self._write([
                {"_op_type": "index", "_id": document.id, "_source": _source(document)} for document in documents
            ])

    def delete(self, ids: list[str]) -> None:
        if not ids:
            return
        with _unavailable_on_failure():
            if not self.client.indices.exists_alias(name=self.alias):
                return
            self._write([{"_op_type": "delete", "_id": doc_id} for doc_id in dict.fromkeys(ids)])

    def _write(self, actions: list[dict]) -> None:
        """Apply the actions to the served index and, while a rebuild runs, to the one being built."""
        targets = [self.alias]
        if self.client.indices.exists_alias(name=self.building_alias):
            targets.append(self.building_alias)
        bulk = [{**action, "_index": target} for target in targets for action in actions]
        _, errors = helpers.bulk(
            self.client, bulk, chunk_size=BATCH_SIZE, raise_on_error=False, refresh=self.refresh,
            require_alias=True,
        )
        problems = [
            error for error in errors
            if not _ignorable_write_error(error, building_alias=self.building_alias)
        ]
        if problems:
            raise RuntimeError(f"Elasticsearch refused {len(problems)} of {len(bulk)} writes: {problems[:3]}")

    def rebuild(self, documents: Iterable[SearchDocument]) -> int:
        with _unavailable_on_failure():
            self._ensure_alias()
            served = {name for name, aliases in self._indices().items() if self.alias in aliases}
            new = self.index_name(time.time_ns() // 1_000_000)
            # Left over from an interrupted rebuild: anything that is neither served nor being built.
            for name in set(self._indices()) - served:
                self.client.indices.delete(index=name, ignore_unavailable=True)
            self._create(new, aliases={self.building_alias: {}}, building=True)
            try:
                indexed = self._fill(new, documents)
                self.client.indices.put_settings(index=new, settings={"index": {"refresh_interval": None}})
                self.client.indices.refresh(index=new)
                # The bulk load leaves a dozen segments; one merged segment answers every query with one pass
                # over each term's postings (and the index is then read-mostly: later changes add small ones).
                self.client.options(request_timeout=FORCE_MERGE_TIMEOUT).indices.forcemerge(
                    index=new, max_num_segments=1
                )
                served = {name for name, aliases in self._indices().items() if self.alias in aliases}
                self.client.indices.update_aliases(actions=[
                    *({"remove": {"index": name, "alias": self.alias}} for name in sorted(served)),
                    {"add": {"index": new, "alias": self.alias, "is_write_index": True}},
                    {"remove": {"index": new, "alias": self.building_alias}},
                ])
            except BaseException:
                self.client.indices.delete(index=new, ignore_unavailable=True)
                raise
            for name in served - {new}:
                self.client.indices.delete(index=name, ignore_unavailable=True)
        return indexed

    def _fill(self, name: str, documents: Iterable[SearchDocument]) -> int:
        indexed = 0
        iterator = iter(documents)
        while batch := _last_per_id(list(itertools.islice(iterator, BATCH_SIZE))):
            # "create": a document written since the rebuild began (through the building alias) is newer.
            actions = [
                {"_op_type": "create", "_index": name, "_id": document.id, "_source": _source(document)}
                for document in batch
            ]
            _, errors = helpers.bulk(self.client, actions, chunk_size=BATCH_SIZE, raise_on_error=False)
            problems = [error for error in errors if _item(error).get("status") != 409]
            if problems:
                raise RuntimeError(f"Elasticsearch refused {len(problems)} documents of the rebuild: {problems[:3]}")
            indexed += len(batch)
        return indexed

    # --- reading -----------------------------------------------------------------------------------------------

    def search(self, query: SearchQuery, *, today: dt.date | None = None) -> SearchResult:
        """One round trip (msearch) of two bodies, so that counting every match never costs scoring it:

        A. counts: size 0, the match in filter context (nothing scored), the exact total and the facet counts
           (the total under every filter through post_filter, each facet under every filter but its own);
        B. hits: the match scored with every filter as a bool filter clause and no total (track_total_hits
           false lets Lucene skip blocks that cannot reach the top with block-max WAND). In relevance order the
           first W = rescore_window(offset, limit) hits by BM25 are multiplied by the freshness boost (a
           rescore) and sorted here by (score, date, doc_id), the order the single sorted query had.

        Ranking beyond that window is by BM25 alone: a very old page outside the first W by relevance cannot
        be lifted by freshness into page 1 (the PostgreSQL backend's first pass is limited the same way).
        """
        empty = SearchResult(hits=[], total=0, facets={facet: [] for facet in FACETS})
        match = _match(query.terms, minimum_should_match=query.minimum_should_match, required=query.required)
        if match is None:
            return empty
        for facet in query.filters:
            if facet not in FACETS:
                raise ValueError(f"unknown facet {facet!r}")
        today = today or timezone.localdate()
        offset, limit = max(0, query.offset), max(0, query.limit)
        if offset + limit > MAX_RESULT_WINDOW:
            offset, limit = 0, 0  # past the last page anyone can reach: no hits, but the total and facets

        multi = dsl.MultiSearch(using=self.client, index=self.alias).add(_counts_body(match, query.filters))
        if limit:
            multi = multi.add(_hits_body(match, query, offset=offset, limit=limit, today=today))
        with _unavailable_on_failure():
            try:
                answers = self.client.msearch(index=self.alias, searches=multi.to_dict())
            except NotFoundError:
                return empty  # nothing indexed yet
            for answer in answers["responses"]:
                if "error" in answer:
                    if isinstance(answer["error"], dict) and answer["error"].get("type") == "index_not_found_exception":
                        return empty
                    raise _item_error(answers.meta, answer)
        counted = answers["responses"][0]
        facets = {}
        for facet in FACETS:
            aggregation = counted["aggregations"][facet]
            buckets = (aggregation["values"] if _facet_filters(query.filters, facet) else aggregation)["buckets"]
            rows = [(str(bucket["key"]), int(bucket["doc_count"])) for bucket in buckets]
            rows = [row for row in rows if row[0] != ""]
            if facet == "year":
                facets[facet] = sorted(rows, key=lambda row: row[0], reverse=True)
            else:
                facets[facet] = sorted(rows, key=lambda row: (-row[1], row[0]))
        total = int(counted["hits"]["total"]["value"])
        hits = []
        if limit:
            found = answers["responses"][1]["hits"]["hits"]
            if query.order != "newest":
                found = sorted(found, key=_relevance_key)[offset:offset + limit]
            hits = [Hit(id=_doc_id(hit), score=float(hit.get("_score") or 0.0)) for hit in found]
        return SearchResult(hits=hits, total=total, facets=facets)


def _counts_body(match: dsl.Query, filters: dict[str, str]) -> dsl.Search:
    """Body A: the exact total under every filter and each facet's counts under the others; nothing scored."""
    search = dsl.Search().query(dsl.Q("bool", filter=[match])).extra(size=0, track_total_hits=True)
    clauses = _filter_clauses(filters)
    if clauses:
        search = search.post_filter(dsl.Q("bool", filter=clauses))
    for facet in FACETS:
        others = _filter_clauses(_facet_filters(filters, facet))
        values = dsl.A("terms", field=facet, size=FACET_SIZE)
        if others:
            search.aggs.bucket(facet, "filter", filter=dsl.Q("bool", filter=others)).bucket("values", values)
        else:
            # No filter but its own: counted over the matches as they are (an empty filter aggregation still
            # tests every match against match_all, which cost more than the counting itself).
            search.aggs.bucket(facet, values)
    return search


def _hits_body(match: dsl.Query, query: SearchQuery, *, offset: int, limit: int, today: dt.date) -> dsl.Search:
    """Body B: the hits of the page, without a total (so Lucene may skip what cannot make the top)."""
    clauses = _filter_clauses(query.filters)
    scored = dsl.Q("bool", must=[match], filter=clauses) if clauses else match
    # No stored fields, not even _id: reading a hit's _id decompresses the stored block that holds its _source
    # (title, body, tokens), which for a window of 200 cost more than finding them. doc_id and date come from
    # doc values.
    search = dsl.Search().query(scored).source(False).extra(
        track_total_hits=False, stored_fields="_none_",
        docvalue_fields=[{"field": "date", "format": "strict_date"}, "doc_id"],
    )
    if query.order == "newest":
        return search.sort(
            {"date": {"order": "desc", "missing": "_last"}}, {"_score": {"order": "desc"}}, {"doc_id": "asc"}
        ).extra(from_=offset, size=limit, track_scores=True)
    # rescore cannot be combined with a sort: the window comes back by score, with the date and doc_id to
    # break ties here (_relevance_key), and the page is cut from it after the freshness boost.
    window = rescore_window(offset, limit)
    return search.extra(
        from_=0, size=window,
        rescore={
            "window_size": window,
            "query": {
                "rescore_query": _freshness(today).to_dict(),
                "query_weight": 1.0, "rescore_query_weight": 1.0, "score_mode": "multiply",
            },
        },
    )


def rescore_window(offset: int, limit: int) -> int:
    """How many hits by BM25 the freshness boost re-ranks for a page: a generous margin past its end."""
    return min(MAX_RESULT_WINDOW, max(RESCORE_WINDOW_MIN, RESCORE_WINDOW_FACTOR * (offset + limit)))


def _relevance_key(hit: dict) -> tuple:
    """Score descending, then the newest date (undated last), then doc_id: the relevance order."""
    fields = hit.get("fields", {})
    date = (fields.get("date") or [None])[0]
    day = -dt.date.fromisoformat(date).toordinal() if date else math.inf
    return (-float(hit.get("_score") or 0.0), day, _doc_id(hit))


def _doc_id(hit: dict) -> str:
    """The id of a hit of body B (from doc values: it carries no _id)."""
    return str((hit.get("fields", {}).get("doc_id") or [hit.get("_id", "")])[0])


# --- query building --------------------------------------------------------------------------------------------


def _match(terms: tuple[tuple[str, ...], ...], *, minimum_should_match: int = 0,
           required: tuple[int, ...] = ()) -> dsl.Query | None:
    """(alt OR alt) AND (alt OR alt): None when no term has a token. Best match (minimum_should_match > 0): the
    required terms must match and at least that many of the others should."""
    groups, must, should = [], [], []
    for index, alternatives in enumerate(terms):
        alts = [_alternative(alt.split()) for alt in alternatives if alt.split()]
        if alts:
            group = alts[0] if len(alts) == 1 else dsl.Q("bool", should=alts, minimum_should_match=1)
            groups.append(group)
            (must if index in required else should).append(group)
    if not groups:
        return None
    if minimum_should_match and minimum_should_match < len(should):
        return dsl.Q("bool", must=must, should=should, minimum_should_match=minimum_should_match)
    return groups[0] if len(groups) == 1 else dsl.Q("bool", must=groups)


def _alternative(tokens: list[str]) -> dsl.Query:
    """All the tokens, each in the title or the body; adjacent ones score higher."""
    # most_fields sums the title and body scores, as FTS5's bm25 sums its weighted columns (cross_fields would
    # blend the title's document frequency into the body's and lose what makes a title match rare).
    each = [
        dsl.Q("multi_match", query=token, type="most_fields", fields=[f"title_tokens^{TITLE_BOOST}", "body_tokens"])
        for token in tokens
    ]
    if len(each) == 1:
        return each[0]
    text = " ".join(tokens)
    return dsl.Q("bool", must=each, should=[
        dsl.Q("match_phrase", title_tokens={"query": text, "boost": PHRASE_BOOST * TITLE_BOOST}),
        dsl.Q("match_phrase", body_tokens={"query": text, "boost": PHRASE_BOOST}),
    ])


def _freshness(today: dt.date) -> dsl.Query:
    """1 + FRESHNESS_WEIGHT · Σ weight · decay(age) for every document (1 without a date): the rescore query
    whose score multiplies the BM25 score."""
    functions = [{"weight": 1.0}]
    for factor, weight in FRESHNESS_DECAYS:
        functions.append({
            "filter": {"exists": {"field": "date"}},
            # decay e⁻¹ at `scale`: the function is exp(-age / scale)
            "exp": {"date": {
                "origin": today.isoformat(), "scale": f"{_decay_scale_days(factor)}d", "decay": math.exp(-1),
            }},
            "weight": FRESHNESS_WEIGHT * weight,
        })
    return dsl.Q("function_score", query=dsl.Q("match_all"), functions=functions, score_mode="sum",
                 boost_mode="replace")


def _facet_filters(filters: dict[str, str], facet: str) -> dict[str, str]:
    """The filters a facet's counts are taken under: every filter but its own."""
    return {name: value for name, value in filters.items() if name != facet}


def _filter_clauses(filters: dict[str, str]) -> list[dsl.Query]:
    clauses = []
    for facet, value in sorted(filters.items()):
        if facet not in FACETS:
            raise ValueError(f"unknown facet {facet!r}")
        clauses.append(dsl.Q("term", **{facet: str(value)}))
    return clauses


def _source(document: SearchDocument) -> dict:
    return {
        "doc_id": document.id,
        "url": document.url,
        "type": document.type,
        "department": document.department,
        "region": document.region,
        "year": str(document.year) if document.year is not None else None,
        "tags": list(document.tags),
        "date": document.date.isoformat() if document.date else None,
        "title": document.title,
        "body": document.body,
        "title_tokens": document.title_tokens,
        "body_tokens": document.body_tokens,
    }


# --- errors ----------------------------------------------------------------------------------------------------


class _unavailable_on_failure:
    """Turns "cannot reach or use the cluster now" into SearchBackendUnavailable; other errors pass."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if error is None:
            return False
        # TransportError: connection refused or reset, timeout, TLS failure (no HTTP answer at all).
        if isinstance(error, TransportError):
            raise SearchBackendUnavailable(f"Elasticsearch 无法连接：{error}") from error
        if isinstance(error, ApiError) and error.meta.status in (429, 502, 503, 504):
            message = f"Elasticsearch 暂时不可用（HTTP {error.meta.status}）：{error}"
            raise SearchBackendUnavailable(message) from error
        return False


def _item_error(meta: ApiResponseMeta, answer: dict) -> ApiError:
    """One failed body of an msearch as the ApiError a single search would have raised (with its own
    status, so that _unavailable_on_failure tells a busy cluster from a wrong request)."""
    error = answer["error"]
    status = int(answer.get("status", 500))
    meta = ApiResponseMeta(status=status, http_version=meta.http_version, headers=meta.headers,
                           duration=meta.duration, node=meta.node)
    return ApiError(str(error.get("reason", error) if isinstance(error, dict) else error), meta=meta,
                    body={"error": error, "status": status})


def _error_type(error: ApiError) -> str:
    body = error.body if isinstance(error.body, dict) else {}
    return str(body.get("error", {}).get("type", "")) if isinstance(body.get("error"), dict) else ""


def _item(error: dict) -> dict:
    """The result of one bulk item from helpers.bulk's error list ({"index": {...}} → {...})."""
    return next(iter(error.values()), {}) if error else {}


def _ignorable_write_error(error: dict, *, building_alias: str) -> bool:
    item = _item(error)
    kind = next(iter(error), "")
    if kind == "delete" and item.get("status") == 404:
        return True  # deleting an id the index does not hold
    # The rebuild finished between our check and the write: its index is now served, and got the write there.
    return item.get("_index") == building_alias and item.get("status") == 404


def _last_per_id(documents: list[SearchDocument]) -> list[SearchDocument]:
    """One document per id (the last given wins), keeping their order."""
    by_id = {document.id: document for document in documents if document is not None}
    return list(by_id.values())
