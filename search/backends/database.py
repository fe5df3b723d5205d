"""The embedded search backend: the database the site already has.

- SQLite: an FTS5 table `search_fts` (title, body: the analyzer's tokens) whose rowid is the id of the
  search_searchentry row holding the plain columns; ranked by bm25 with the title weighted TITLE_WEIGHT.
- PostgreSQL: a tsvector column on search_searchentry, to_tsvector('simple', tokens) with weight A for the
  title and B for the body, under a GIN index; ranked by ts_rank_cd.

A search with more than FULL_RANK_MAX matches in relevance order ranks in full only the FIRST_PASS best
candidates of a cheap first pass (matches holding the query in their titles first, newest first; then the others,
newest first), on both databases: ranking every match of a common word cost most of a broad search's time.

Both store the same analyzer tokens, so they answer the same queries the same way. Every term of a query is
an OR of its alternatives, terms are ANDed, and every token reaches the database as a bound parameter inside
a quoted string (FTS5) or through plainto_tsquery (PostgreSQL): nothing a person types is ever query syntax.

Entries belong to a generation; searches read IndexState.active_generation. A rebuild fills a new generation
in batches (each its own transaction, so publishing is never blocked for long), switches the state to it in
one transaction, then drops the old one: search answers from the old generation until the switch, never from
an empty index. Changes made while a rebuild runs are written into both generations. A document deleted
while a rebuild is between reading it and writing its batch can survive in the new generation until it is
next changed; a later rebuild or any change to it removes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import itertools
import json
import threading
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.utils import timezone

from search.analyzer import ANALYZER_VERSION, is_pinyin_token
from search.backends.base import (
    FACETS,
    FRESHNESS_HALF_LIFE_DAYS,
    FRESHNESS_WEIGHT,
    Hit,
    SearchBackend,
    SearchDocument,
    SearchQuery,
    SearchResult,
    match_plan,
)
from search.models import IndexState, SearchEntry, new_revision

TITLE_WEIGHT = 10.0  # bm25 column weight of the title against 1.0 for the body (SQLite)
BATCH_SIZE = 500
# Relevance order re-sorts this many of the best text matches by relevance × freshness (see _hits_by_relevance).
RESCORE_WINDOW = 1000
# SQLite: what facets and ranking read of an entry (migration 0005), named in the queries because without
# statistics the planner would rather read each entry's row, body and all.
COVERING_INDEX = "search_entry_reading"
DATE_INDEX = "search_entry_gen_date"  # SQLite: (generation, date), read newest first by the first pass
# Best match first; ties go to the lower id, so the order (and so the rescore window) is total.
RELEVANCE_ORDER = " ORDER BY relevance DESC, id"
ENTRY_TABLE = SearchEntry._meta.db_table
# First pass: a search with more matches than FULL_RANK_MAX ranks in full (PostgreSQL: the full vector; SQLite:
# bm25) only the FIRST_PASS best candidates of the first pass (_first_pass); the other matches are never ranked.
FULL_RANK_MAX = 400
FIRST_PASS = 200
UNDATED = dt.date.max.toordinal() + 1  # what an undated entry's date counts as, newest first (last of all)
ID_BITS = (1 << 64) - 1  # an entry's place newest first ends in its id (EntryFacets.newest)
FACET_COLUMNS = {"type": "type", "department": "department", "year": "year", "region": "region"}
# PostgreSQL: the facet values of the entries of a generation, by database (see DatabaseBackend._entry_facets).
_entry_facets_lock = threading.Lock()
_entry_facets_held: dict[tuple[str, str], EntryFacets] = {}
# SQLite: the facet values of the generation served, by database, under the index revision they were read at
# (see DatabaseBackend._facet_columns).
_facet_columns_lock = threading.Lock()
_facet_columns_held: dict[tuple[str, str], tuple[tuple[int, str], EntryFacets]] = {}


def fts5_string(token: str) -> str:
    """A token as an FTS5 string literal: double quotes doubled, so it is only ever text."""
    return '"' + token.replace('"', '""') + '"'


def fts5_query(query: SearchQuery) -> str:
    """The FTS5 MATCH expression of a query, best match included (an OR of the ways it can match)."""
    plan = match_plan(query)
    if len(plan) == 1:
        return fts5_match(query.terms)
    ways = [fts5_match(tuple(query.terms[index] for index in way)) for way in plan]
    ways = [way for way in ways if way]
    return " OR ".join(f"({way})" for way in ways)


def tsquery_plan(query: SearchQuery) -> tuple[str, list[str]]:
    """The PostgreSQL tsquery of a query, best match included (an OR of the ways it can match)."""
    plan = match_plan(query)
    if len(plan) == 1:
        return tsquery_sql(query.terms)
    parts, params = [], []
    for way in plan:
        sql, way_params = tsquery_sql(tuple(query.terms[index] for index in way))
        if sql:
            parts.append(f"({sql})")
            params += way_params
    return " || ".join(parts), params


def tsquery_any(query: SearchQuery) -> tuple[str, list[str]]:
    """The PostgreSQL tsquery matching any token of any term (what a title is ranked by in the first pass)."""
    tokens = list(dict.fromkeys(token for alternatives in query.terms for alt in alternatives for token in alt.split()))
    return " || ".join(["plainto_tsquery('simple', %s)"] * len(tokens)), tokens


def fts5_match(terms: tuple[tuple[str, ...], ...]) -> str:
    """The FTS5 MATCH expression: (alt OR alt) AND (alt OR alt); an alternative of several tokens needs all."""

    def alternative(text: str) -> str:
        tokens = [fts5_string(token) for token in text.split()]
        return tokens[0] if len(tokens) == 1 else "(" + " AND ".join(tokens) + ")"

    groups = []
    for alternatives in terms:
        alts = [alternative(alt) for alt in alternatives if alt.split()]
        if alts:
            groups.append(alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")")
    return " AND ".join(groups)


def tsquery_sql(terms: tuple[tuple[str, ...], ...]) -> tuple[str, list[str]]:
    """The PostgreSQL tsquery expression and its parameters: plainto_tsquery of each alternative (all its
    tokens required), ORed (||) within a term and ANDed (&&) between terms."""
    groups, params = [], []
    for alternatives in terms:
        alts = [alt for alt in alternatives if alt.split()]
        if not alts:
            continue
        groups.append("(" + " || ".join(["plainto_tsquery('simple', %s)"] * len(alts)) + ")")
        params.extend(alts)
    return " && ".join(groups), params


class EntryFacets:
    """The facet values of a generation's entries: {entry id: index of its (type, department, year, region)}
    and those combinations (see DatabaseBackend._entry_facets)."""

    def __init__(self, generation: int, built: dt.datetime | None = None):
        self.generation, self.built = generation, built
        self.combination: dict[int, int] = {}
        self.combinations: list[tuple[str, ...]] = []
        # {entry id: its place newest first}: date descending, undated last, then id (as ORDER BY e.date DESC
        # NULLS LAST, e.id), as one integer.
        self.newest: dict[int, int] = {}
        # Each facet's values, and each combination as the numbers of its values (for count_unfiltered).
        self.values: list[list[str]] = [[] for _ in FACETS]
        self.numbers: list[tuple[int, ...]] = []
        self._index_of: dict[tuple[str, ...], int] = {}
        self._number_of: list[dict[str, int]] = [{} for _ in FACETS]
        self._lock = threading.Lock()

    def add(self, rows: list[tuple]) -> None:
        """Hold (id, date, type, department, year, region) rows. Only ever adds, so searches in other threads may
        read meanwhile (an id is added after its combination and place, a combination after its values)."""
        with self._lock:
            for pk, date, *values in rows:
                self.newest[pk] = ((UNDATED - date.toordinal() if date else UNDATED) << 64) | pk
                combination = tuple(str(value) if value is not None else "" for value in values)
                index = self._index_of.get(combination)
                if index is None:
                    numbers = []
                    for value, number_of, facet_values in zip(combination, self._number_of, self.values):
                        if value not in number_of:
                            number_of[value] = len(facet_values)
                            facet_values.append(value)
                        numbers.append(number_of[value])
                    self.numbers.append(tuple(numbers))
                    index = self._index_of[combination] = len(self.combinations)
                    self.combinations.append(combination)
                self.combination[pk] = index

    def count_unfiltered(self, counted: Counter) -> tuple[int, dict[str, list[tuple[str, int]]]]:
        """count_facets(…, {}) of how many matches have each combination (by index): the usual search, with
        some 10,000 combinations at 100,000 entries, summed by value numbers into lists rather than by name."""
        sums = [[0] * len(facet_values) for facet_values in self.values]
        first, second, third, fourth = sums
        numbers = self.numbers
        total = 0
        for index, count in counted.items():
            one, two, three, four = numbers[index]
            first[one] += count
            second[two] += count
            third[three] += count
            fourth[four] += count
            total += count
        return total, {
            facet: _facet_order(facet, {value: count for value, count in zip(facet_values, counts) if count and value})
            for facet, facet_values, counts in zip(FACETS, self.values, sums)
        }


class DatabaseBackend(SearchBackend):
    name = "database"

    def __init__(self, using: str = "default"):
        self.using = using

    @property
    def vendor(self) -> str:
        return connections[self.using].vendor

    @property
    def _covering(self) -> str:
        return f" INDEXED BY {COVERING_INDEX}" if self.vendor == "sqlite" else ""

    # --- state -----------------------------------------------------------------------------------------------

    def state(self) -> IndexState:
        state, _ = IndexState.objects.using(self.using).get_or_create(
            backend=self.name, defaults={"analyzer_version": ""}
        )
        return state

    def _changing(self) -> IndexState:
        """The state, locked and given a new revision, for a change inside the caller's transaction."""
        state = IndexState.objects.using(self.using).select_for_update().get(pk=self.state().pk)
        state.revision = new_revision()
        state.save(update_fields=["revision"])
        return state

    def stored_version(self) -> str:
        """The analyzer version the served index was built with ("" before the first rebuild)."""
        return self.state().analyzer_version

    def count(self) -> int:
        return SearchEntry.objects.using(self.using).filter(generation=self.state().active_generation).count()

    # --- writing ---------------------------------------------------------------------------------------------

    def index(self, documents: list[SearchDocument]) -> None:
        documents = _last_per_id(documents)
        if not documents:
            return
        with transaction.atomic(using=self.using):
            state = self._changing()
            for generation in _generations(state):
                self._delete_rows(generation, [document.id for document in documents])
                self._insert(generation, documents)

    def delete(self, ids: list[str]) -> None:
        if not ids:
            return
        with transaction.atomic(using=self.using):
            state = self._changing()
            for generation in _generations(state):
                self._delete_rows(generation, list(ids))

    def rebuild(self, documents: Iterable[SearchDocument]) -> int:
        with transaction.atomic(using=self.using):
            state = IndexState.objects.using(self.using).select_for_update().get(pk=self.state().pk)
            new = max(state.active_generation, state.building_generation or 0) + 1
            state.building_generation = new
            state.save(update_fields=["building_generation"])
        # Left over from an interrupted rebuild: anything that is neither served nor being built.
        self._drop_generations(exclude={state.active_generation, new})
        indexed = 0
        iterator = iter(documents)
        while batch := _last_per_id(list(itertools.islice(iterator, BATCH_SIZE))):
            with transaction.atomic(using=self.using):
                # A document changed since the rebuild began was already written here, and is newer.
                present = set(SearchEntry.objects.using(self.using).filter(
                    generation=new, doc_id__in=[document.id for document in batch]
                ).values_list("doc_id", flat=True))
                self._insert(new, [document for document in batch if document.id not in present])
            indexed += len(batch)
        with transaction.atomic(using=self.using):
            state = IndexState.objects.using(self.using).select_for_update().get(pk=state.pk)
            old = state.active_generation
            state.active_generation = new
            state.building_generation = None
            state.analyzer_version = ANALYZER_VERSION
            state.built_at = timezone.now()
            state.revision = new_revision()
            state.save()
        self._drop_generations(exclude={new}, only={old})
        return indexed

    def _insert(self, generation: int, documents: list[SearchDocument]) -> None:
        if not documents:
            return
        entries = SearchEntry.objects.using(self.using).bulk_create([
            SearchEntry(
                doc_id=document.id, generation=generation, url=document.url, type=document.type,
                title=document.title[:500], body=document.body, date=document.date,
                department=document.department[:200], year=document.year, region=document.region[:100],
                tags="\n".join(document.tags), analyzer_version=ANALYZER_VERSION,
            )
            for document in documents
        ])
        rows = [(entry.pk, document.title_tokens, document.body_tokens) for entry, document in zip(entries, documents)]
        with connections[self.using].cursor() as cursor:
            if self.vendor == "sqlite":
                # A flushed test database reuses rowids; an FTS row must never outlive its entry.
                cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(row[0],) for row in rows])
                cursor.executemany("INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)", rows)
            elif self.vendor == "postgresql":
                cursor.executemany(
                    f"UPDATE {ENTRY_TABLE} SET search_vector = setweight(to_tsvector('simple', %s), 'A') "
                    f"|| setweight(to_tsvector('simple', %s), 'B'), "
                    f"title_vector = setweight(to_tsvector('simple', %s), 'A') WHERE id = %s",
                    [(title, body, _words_only(title), pk) for pk, title, body in rows],
                )

    def _delete_rows(self, generation: int, doc_ids: list[str]) -> None:
        entries = SearchEntry.objects.using(self.using).filter(generation=generation, doc_id__in=doc_ids)
        if self.vendor == "sqlite":
            pks = list(entries.values_list("pk", flat=True))
            if not pks:
                return
            with connections[self.using].cursor() as cursor:
                cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(pk,) for pk in pks])
            SearchEntry.objects.using(self.using).filter(pk__in=pks).delete()
        else:
            entries.delete()

    def _drop_generations(self, *, exclude: set[int], only: set[int] | None = None) -> None:
        """Delete the entries of old generations, in batches."""
        entries = SearchEntry.objects.using(self.using).exclude(generation__in=exclude)
        if only is not None:
            entries = entries.filter(generation__in=only)
        while pks := list(entries.values_list("pk", flat=True)[:5000]):
            with transaction.atomic(using=self.using):
                if self.vendor == "sqlite":
                    with connections[self.using].cursor() as cursor:
                        cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(pk,) for pk in pks])
                SearchEntry.objects.using(self.using).filter(pk__in=pks).delete()

    # --- reading ---------------------------------------------------------------------------------------------

    def search(self, query: SearchQuery, *, today: dt.date | None = None) -> SearchResult:
        """Facet counts, total and one page of hits. Answers are cached (SEARCH_RESULT_CACHE_SECONDS) under the
        index revision, which every change replaces: a page published a moment ago is found at once."""
        state = self.state()
        today = today or timezone.localdate()
        seconds = settings.SEARCH_RESULT_CACHE_SECONDS
        key = _cache_key(self.using, state, query, today)
        result = cache.get(key) if seconds else None
        if result is None:
            result = self._search(query, state.active_generation, today, revision=state.revision,
                                  built=state.built_at)
            if seconds:
                cache.set(key, result, seconds)
        return result

    def _search(self, query: SearchQuery, generation: int, today: dt.date, revision: str = "",
                built: dt.datetime | None = None) -> SearchResult:
        if self.vendor == "postgresql":
            return self._search_postgresql(query, generation, today, built)
        if self.vendor != "sqlite":
            raise ImproperlyConfigured(f"数据库搜索只支持 SQLite 与 PostgreSQL，当前数据库为 {self.vendor}。")
        match = fts5_query(query)
        if not match:
            return SearchResult(hits=[], total=0, facets={facet: [] for facet in FACETS})
        # The matching ids from the FTS table alone, counted against the facet values held in memory
        # (_facet_columns); every facet's counts under the other filters, and the total, follow from that.
        held = self._facet_columns(generation, revision)
        with connections[self.using].cursor() as cursor:
            # One JSON array rather than a row per match: half the time to read at 100,000 matches.
            cursor.execute("SELECT json_group_array(rowid) FROM search_fts WHERE search_fts MATCH %s", [match])
            ids = json.loads(cursor.fetchone()[0])
        counted = Counter(map(held.combination.get, ids))
        if None in counted:  # rows of a generation not served (a rebuild under way): left out
            del counted[None]
            ids = [pk for pk in ids if pk in held.combination]
        return self._answer(query, generation, today, ids, held, counted)

    def _answer(self, query: SearchQuery, generation: int, today: dt.date, ids: list[int], held: EntryFacets,
                counted: Counter, ranked: list[int] | None = None) -> SearchResult:
        """Total, facets and the page asked for, from the ids of every match and how many have each combination
        of facet values. With more than FULL_RANK_MAX matches in relevance order, only the first FIRST_PASS
        candidates of the first pass (`ranked` if the caller has them, else _first_pass) are ranked in full
        (_first_pass_hits); otherwise every match is (_hits: exact, and cheap when matches are few)."""
        if query.filters:
            total, facets = count_facets([(held.combinations[index], count) for index, count in counted.items()],
                                         query.filters)
        else:
            total, facets = held.count_unfiltered(counted)
        if not total or query.limit <= 0:
            return SearchResult(hits=[], total=total, facets=facets)
        if total <= FULL_RANK_MAX or query.order != "relevance":
            return SearchResult(hits=self._hits(query, generation, today), total=total, facets=facets)
        candidates = ranked if ranked is not None else self._first_pass(
            query, generation, max(FIRST_PASS, query.offset + query.limit), ids, held, counted)
        return SearchResult(hits=self._first_pass_hits(query, candidates, today), total=total, facets=facets)

    def _facet_columns(self, generation: int, revision: str) -> EntryFacets:
        """SQLite: the facet values and dates of every entry of the generation served, kept in this process's
        memory as Elasticsearch keeps doc values (EntryFacets). Counting a broad search's facets from them costs
        a dictionary look-up per match, not a look-up of each match's entry in the database (measured at 100,000
        entries: about a fifth), and the first pass orders from them. Read again when the index revision changes
        (every change to the index replaces it: a deleted entry's rowid can come back); not a cache of answers."""
        key = (self.using, str(connections[self.using].settings_dict.get("NAME")))
        with _facet_columns_lock:
            held = _facet_columns_held.get(key)
        if held and held[0] == (generation, revision) and revision:
            return held[1]
        facets = EntryFacets(generation)
        facets.add(self._facet_rows("e.generation = %s", [generation]))
        with _facet_columns_lock:
            _facet_columns_held[key] = ((generation, revision), facets)
        return facets

    def _search_postgresql(self, query: SearchQuery, generation: int, today: dt.date,
                           built: dt.datetime | None = None) -> SearchResult:
        """The ids of every match, found through the GIN index (no vector is unpacked), counted against the facet
        values held in memory (_entry_facets: exact counts, as on SQLite). With more than FULL_RANK_MAX matches
        in relevance order, only the first FIRST_PASS candidates of the first pass (_first_pass: matches holding
        the query in their titles first, newest first; best match: by title rank) are ranked with the full
        vector (_first_pass_hits); otherwise every match is (_hits: exact, and cheap when matches are few)."""
        match, match_params = tsquery_plan(query)
        if not match:
            return SearchResult(hits=[], total=0, facets={facet: [] for facet in FACETS})
        with transaction.atomic(using=self.using), connections[self.using].cursor() as cursor:
            # The planner reckons a sequential scan (or one of the generation's b-tree, hence `+ 0`) cheaper for a
            # common word, not knowing that it unpacks every row's full vector to test it; through the GIN index
            # no vector is read.
            cursor.execute("SET LOCAL enable_seqscan = off")
            # One array of ids rather than a row per match: a tenth of the time to read at 100,000 matches.
            matches = f"FROM {ENTRY_TABLE} e WHERE e.generation + 0 = %s AND e.search_vector @@ ({match})"
            ranked = None
            if query.minimum_should_match and query.order == "relevance" and query.limit > 0:
                # Best match: a title can hold most of the words without matching the query on its own, so the
                # first pass ranks every match's title (ts_rank over the small title vector), as it once did for
                # every search; these are fewer matches, and the ranking comes in the same pass.
                anyq, any_params = tsquery_any(query)
                filters_sql, filter_params = self._filters_sql(query.filters)
                cursor.execute(
                    f"WITH m AS MATERIALIZED (SELECT e.id, e.date, e.type, e.department, e.year, e.region, "
                    f"ts_rank(e.title_vector, {anyq}) AS cheap {matches}) "
                    f"SELECT (SELECT array_agg(id) FROM m), (SELECT array_agg(c.id ORDER BY c.cheap DESC, "
                    f"c.date DESC NULLS LAST, c.id) FROM (SELECT e.id, e.cheap, e.date FROM m e "
                    f"WHERE TRUE{filters_sql} ORDER BY e.cheap DESC, e.date DESC NULLS LAST, e.id LIMIT %s) c)",
                    [*any_params, generation, *match_params, *filter_params,
                     max(FIRST_PASS, query.offset + query.limit)],
                )
                ids, ranked = cursor.fetchone()
                ids, ranked = ids or [], ranked or []
            else:
                cursor.execute(f"SELECT array_agg(e.id) {matches}", [generation, *match_params])
                ids = cursor.fetchone()[0] or []
            cursor.execute("RESET enable_seqscan")  # inside a caller's transaction, SET LOCAL would outlive us
        held = self._entry_facets(generation, built)
        counted = Counter(map(held.combination.get, ids))
        if None in counted:  # entries written since the facet values were read
            held.add(self._facet_rows("e.id = ANY(%s)", [[pk for pk in ids if pk not in held.combination]]))
            counted = Counter(map(held.combination.__getitem__, ids))
        return self._answer(query, generation, today, ids, held, counted, ranked)

    def _entry_facets(self, generation: int, built: dt.datetime | None) -> EntryFacets:
        """PostgreSQL: the facet values of the entries of a generation, kept in this process's memory as
        Elasticsearch keeps doc values. Read whole once per generation; an entry written since (index() writes a
        changed document as a new row, under a new id: ids are never reused) is read by its id when a search
        first finds it (_search_postgresql). A deleted entry is never found again, so what is held of it is
        never read. Held under the generation and the time it was built, so that a database emptied and built
        again (tests) is read afresh. Not a cache of answers: counts come from the matching ids of each search."""
        key = (self.using, str(connections[self.using].settings_dict.get("NAME")))
        with _entry_facets_lock:
            held = _entry_facets_held.get(key)
        if held is None or (held.generation, held.built) != (generation, built):
            held = EntryFacets(generation, built)
            held.add(self._facet_rows("e.generation = %s", [generation]))
            with _entry_facets_lock:
                _entry_facets_held[key] = held
        return held

    def _facet_rows(self, where: str, params: list) -> list[tuple]:
        with connections[self.using].cursor() as cursor:
            cursor.execute(
                f"SELECT e.id, e.date, e.type, e.department, e.year, e.region FROM {ENTRY_TABLE} e{self._covering} "
                f"WHERE {where}",
                params,
            )
            return cursor.fetchall()

    def _first_pass(self, query: SearchQuery, generation: int, wanted: int, ids: list[int],
                    held: EntryFacets, counted: Counter) -> list[int]:
        """`wanted` candidates of a search with many matches (`ids`), in first-pass order: the matches whose
        titles alone match the query (for a query of several words, those holding more of them first), then the
        others; newest first (undated last, then by id) among equals. Title words are a subset of the whole
        entry's, so a title that matches is a match, and finding the title matches ranks no full text
        (_title_candidates). The others, when needed, are ordered from the dates held in memory."""
        candidates = self._title_candidates(query, generation, wanted)
        if len(candidates) < wanted:  # every title match is in: the others follow
            taken = set(candidates)
            rest = (pk for pk in ids if pk not in taken) if taken else ids
            if query.filters:
                positions = [(FACETS.index(facet), value) for facet, value in query.filters.items()]
                passing = {index for index in counted
                           if all(held.combinations[index][position] == value for position, value in positions)}
                rest = (pk for pk in rest if held.combination[pk] in passing)
            # Places are distinct (each ends in its id), so the smallest are found without a key function.
            candidates += [place & ID_BITS for place in heapq.nsmallest(wanted - len(candidates),
                                                                         map(held.newest.__getitem__, rest))]
        return candidates

    def _title_candidates(self, query: SearchQuery, generation: int, wanted: int) -> list[int]:
        """Up to `wanted` matches whose titles alone match the query (under its filters), in first-pass order:
        for a query of several words, titles holding more of them first; then newest first, then by id. Read
        newest first from the generation's date index, which stops at `wanted`.

        PostgreSQL: from the title vector (title words without pinyin, kept in the row), through its GIN index for
        a rarer word; several words ordered by ts_rank of the title vector.
        SQLite: the ids of the title matches from FTS5 (a column filter: ids only, nothing ranked); several words
        ordered by how many of the query's terms the title holds (one column filter a term)."""
        filters_sql, filter_params = self._filters_sql(query.filters)
        rank_sql, rank_params = "", []
        if self.vendor == "postgresql":
            match, match_params = tsquery_plan(query)
            title_sql = f"e.title_vector @@ ({match})"
            if len(query.terms) > 1:  # titles holding more of its words first (for one word, newest first it is)
                anyq, rank_params = tsquery_any(query)
                rank_sql = f"ts_rank(e.title_vector, {anyq}) DESC, "
        else:
            in_titles = "e.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"
            title_sql, match_params = in_titles, [f"title : ({fts5_query(query)})"]
            if len(query.terms) > 1:
                terms = [match for match in (fts5_match((term,)) for term in query.terms) if match]
                rank_sql = "(" + " + ".join([f"({in_titles})"] * len(terms)) + ") DESC, "
                rank_params = [f"title : ({match})" for match in terms]
        index = f" INDEXED BY {DATE_INDEX}" if self.vendor == "sqlite" else ""
        with connections[self.using].cursor() as cursor:
            cursor.execute(
                f"SELECT e.id FROM {ENTRY_TABLE} e{index} WHERE e.generation = %s{filters_sql} AND {title_sql} "
                f"ORDER BY {rank_sql}e.date DESC NULLS LAST, e.id LIMIT %s",
                [generation, *filter_params, *match_params, *rank_params, wanted],
            )
            return [row[0] for row in cursor.fetchall()]

    def _first_pass_hits(self, query: SearchQuery, candidates: list[int], today: dt.date) -> list[Hit]:
        """The page asked of: the first FIRST_PASS candidates ranked by relevance × freshness with the full
        text (PostgreSQL: the full vector; SQLite: bm25, read for these rows only), then the other candidates in
        first-pass order. The order is the same whichever page is asked."""
        if self.vendor == "sqlite":
            return self._first_pass_hits_sqlite(query, candidates, today)
        rank, rank_params = tsquery_plan(query) if not query.minimum_should_match else tsquery_any(query)
        score = f"ts_rank_cd(e.search_vector, {rank}) * {_boost_sql(self.vendor)}"
        end = query.offset + query.limit
        hits = []
        with connections[self.using].cursor() as cursor:
            if query.offset < FIRST_PASS:
                cursor.execute(
                    f"SELECT e.doc_id, {score} AS score FROM {ENTRY_TABLE} e WHERE e.id = ANY(%s) "
                    f"ORDER BY score DESC, e.date DESC NULLS LAST, e.doc_id LIMIT %s OFFSET %s",
                    [*rank_params, today.isoformat(), candidates[:FIRST_PASS], min(end, FIRST_PASS) - query.offset,
                     query.offset],
                )
                hits += [Hit(id=doc_id, score=float(score)) for doc_id, score in cursor.fetchall()]
            rest = candidates[max(query.offset, FIRST_PASS):end]
            if rest:
                cursor.execute(
                    f"SELECT e.doc_id, {score} AS score FROM unnest(%s::bigint[]) WITH ORDINALITY AS c(id, position) "
                    f"JOIN {ENTRY_TABLE} e ON e.id = c.id ORDER BY c.position",
                    [*rank_params, today.isoformat(), rest],
                )
                hits += [Hit(id=doc_id, score=float(score)) for doc_id, score in cursor.fetchall()]
        return hits

    def _first_pass_hits_sqlite(self, query: SearchQuery, candidates: list[int], today: dt.date) -> list[Hit]:
        """_first_pass_hits on SQLite: bm25 (title weighted) × freshness of the candidates asked for only. The
        matches are read once, and bm25 is worked out for the candidates alone (`+rowid IN (…)`: the unary plus keeps
        the list from FTS5, which would run the whole query again for each rowid it is given)."""
        end = query.offset + query.limit
        window = candidates[:FIRST_PASS] if query.offset < FIRST_PASS else []
        rest = candidates[max(query.offset, FIRST_PASS):end]
        scored = self._bm25_scores(query, window + rest, today)
        hits = []
        if window:
            ranked = sorted((scored[pk] for pk in window if pk in scored),
                            key=lambda row: (-row[1], row[2] is None, -(row[2].toordinal() if row[2] else 0), row[0]))
            hits += [Hit(id=doc_id, score=score) for doc_id, score, _ in ranked[query.offset:min(end, FIRST_PASS)]]
        hits += [Hit(id=scored[pk][0], score=scored[pk][1]) for pk in rest if pk in scored]
        return hits

    def _bm25_scores(self, query: SearchQuery, ids: list[int],
                     today: dt.date) -> dict[int, tuple[str, float, dt.date | None]]:
        """SQLite: {id: (doc_id, relevance × freshness, date)} of these entries."""
        if not ids:
            return {}
        marks = ", ".join(["%s"] * len(ids))
        with connections[self.using].cursor() as cursor:
            cursor.execute(
                f"SELECT e.id, e.doc_id, r.relevance * {_boost_sql(self.vendor)}, e.date FROM "
                f"(SELECT rowid AS id, -bm25(search_fts, {TITLE_WEIGHT}, 1.0) AS relevance FROM search_fts "
                f"WHERE search_fts MATCH %s AND +rowid IN ({marks})) r "
                f"JOIN {ENTRY_TABLE} e{self._covering} ON e.id = r.id",
                [today.isoformat(), fts5_query(query), *ids],
            )
            return {pk: (doc_id, float(score), date) for pk, doc_id, score, date in cursor.fetchall()}

    def _filters_sql(self, filters: dict[str, str]) -> tuple[str, list]:
        clauses, params = [], []
        for facet, value in filters.items():
            column = FACET_COLUMNS.get(facet)
            if column is None:
                raise ValueError(f"unknown facet {facet!r}")
            if facet == "year":
                if not str(value).isdigit():
                    clauses.append("1 = 0")
                    continue
                value = int(value)
            clauses.append(f"e.{column} = %s")
            params.append(value)
        return "".join(f" AND {clause}" for clause in clauses), params

    def _hits(self, query: SearchQuery, generation: int, today: dt.date) -> list[Hit]:
        if query.order == "newest":
            return self._hits_by_date(query, generation, today)
        return self._hits_by_relevance(query, generation, today)

    def _relevance_sql(self, query: SearchQuery, generation: int) -> tuple[str, list]:
        """(id, relevance) of every match: bm25 with the title weighted (SQLite), ts_rank_cd over the
        title-weighted vector (PostgreSQL). Unordered: see RELEVANCE_ORDER."""
        filters_sql, filter_params = self._filters_sql(query.filters)
        if self.vendor == "sqlite":
            sql = (f"SELECT rowid AS id, -bm25(search_fts, {TITLE_WEIGHT}, 1.0) AS relevance FROM search_fts "
                   f"WHERE search_fts MATCH %s")
            params: list = [fts5_query(query)]
            if query.filters:  # else every row of the FTS table is wanted but for stray generations (see below)
                sql += f" AND rowid IN (SELECT e.id FROM {ENTRY_TABLE} e WHERE e.generation = %s{filters_sql})"
                params += [generation, *filter_params]
        else:
            tsquery, params = tsquery_plan(query)
            sql = (f"WITH q AS (SELECT ({tsquery}) AS query) SELECT e.id, ts_rank_cd(e.search_vector, q.query) "
                   f"AS relevance FROM {ENTRY_TABLE} e, q WHERE e.search_vector @@ q.query AND e.generation = %s"
                   f"{filters_sql}")
            params += [generation, *filter_params]
        return sql, params

    def _hits_by_relevance(self, query: SearchQuery, generation: int, today: dt.date) -> list[Hit]:
        """Relevance order in two steps, as Elasticsearch's rescore window does: the best RESCORE_WINDOW matches
        by text relevance alone are joined to their entries and ordered by relevance × freshness; matches past
        the window follow in relevance order. Only the window is joined and sorted by score, and the order is
        the same whichever page is asked for. (On SQLite the window is taken from the FTS table before the
        join; rows of a generation no longer served, left for a moment by a rebuild, only make it smaller.)"""
        ranked, ranked_params = self._relevance_sql(query, generation)
        ranked += RELEVANCE_ORDER
        joined = (
            f"SELECT e.doc_id, r.relevance * {_boost_sql(self.vendor)} AS score FROM ({ranked} {{limit}}) r "
            f"JOIN {ENTRY_TABLE} e{self._covering} ON e.id = r.id WHERE e.generation = %s"
        )
        rest = "LIMIT -1 OFFSET %s" if self.vendor == "sqlite" else "LIMIT ALL OFFSET %s"
        end = query.offset + query.limit
        with connections[self.using].cursor() as cursor:
            cursor.execute(joined.format(limit="LIMIT %s") + " ORDER BY score DESC, e.date DESC NULLS LAST, e.doc_id",
                           [today.isoformat(), *ranked_params, RESCORE_WINDOW, generation])
            window = cursor.fetchall()
            hits = [Hit(id=doc_id, score=float(score)) for doc_id, score in window[query.offset:end]]
            if end > len(window):
                skip = max(0, query.offset - len(window))
                cursor.execute(
                    joined.format(limit=rest) + " ORDER BY r.relevance DESC, e.date DESC NULLS LAST, e.doc_id "
                    "LIMIT %s OFFSET %s",
                    [today.isoformat(), *ranked_params, RESCORE_WINDOW, generation, end - len(window) - skip, skip],
                )
                hits += [Hit(id=doc_id, score=float(score)) for doc_id, score in cursor.fetchall()]
        return hits

    def _hits_by_date(self, query: SearchQuery, generation: int, today: dt.date) -> list[Hit]:
        """Newest first; relevance × freshness orders a day's matches."""
        ranked, ranked_params = self._relevance_sql(query, generation)
        sql = (
            f"SELECT e.doc_id, r.relevance * {_boost_sql(self.vendor)} AS score FROM ({ranked}) r "
            f"JOIN {ENTRY_TABLE} e{self._covering} ON e.id = r.id WHERE e.generation = %s "
            f"ORDER BY e.date DESC NULLS LAST, score DESC, e.doc_id LIMIT %s OFFSET %s"
        )
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, [today.isoformat(), *ranked_params, generation, query.limit, query.offset])
            return [Hit(id=doc_id, score=float(score)) for doc_id, score in cursor.fetchall()]

    # --- what the search service reads beside the hits -------------------------------------------------------

    def entries(self, ids: list[str]) -> dict[str, SearchEntry]:
        """The stored entries of these document ids (active generation), by id."""
        generation = self.state().active_generation
        entries = SearchEntry.objects.using(self.using).filter(generation=generation, doc_id__in=ids)
        return {entry.doc_id: entry for entry in entries}

    def facet_values(self, facet: str) -> set[str]:
        """Every value a facet has in the index (to tell an unknown filter value from one with no matches)."""
        column = FACET_COLUMNS[facet]
        generation = self.state().active_generation
        values = (SearchEntry.objects.using(self.using).filter(generation=generation)
                  .values_list(column, flat=True).distinct())
        return {str(value) for value in values if value not in (None, "")}

    def has_facet_value(self, facet: str, value: str) -> bool:
        column = FACET_COLUMNS[facet]
        if facet == "year":
            if not value.isdigit() or len(value) > 4:
                return False
            value = int(value)
        generation = self.state().active_generation
        return SearchEntry.objects.using(self.using).filter(generation=generation, **{column: value}).exists()

    def title_matches(self, tokens: list[str], *, limit: int = 5) -> list[SearchEntry]:
        """Entries whose titles hold all these tokens, the last one as a prefix (for suggestions as one types)."""
        tokens = [token for token in tokens if token]
        if not tokens:
            return []
        generation = self.state().active_generation
        if self.vendor == "sqlite":
            match = " AND ".join(
                [f"title : {fts5_string(token)}" for token in tokens[:-1]] + [f"title : {fts5_string(tokens[-1])} *"]
            )
            sql = (
                f"SELECT e.id FROM search_fts JOIN {ENTRY_TABLE} e ON e.id = search_fts.rowid "
                f"WHERE search_fts MATCH %s AND e.generation = %s ORDER BY e.date DESC NULLS LAST LIMIT %s"
            )
            params = [match, generation, limit]
        else:
            # setweight A marks title lexemes; ":*A" is a prefix match restricted to them.
            parts = ["plainto_tsquery('simple', %s)"] * (len(tokens) - 1) + ["to_tsquery('simple', %s)"]
            sql = (
                f"SELECT e.id FROM {ENTRY_TABLE} e WHERE e.search_vector @@ ({' && '.join(parts)}) "
                f"AND e.generation = %s ORDER BY e.date DESC NULLS LAST LIMIT %s"
            )
            last = tokens[-1]
            params = [*tokens[:-1], "'" + last.replace("'", "''").replace("\\", "\\\\") + "':*A", generation, limit]
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            pks = [row[0] for row in cursor.fetchall()]
        by_pk = SearchEntry.objects.using(self.using).in_bulk(pks)
        return [by_pk[pk] for pk in pks if pk in by_pk]


def _words_only(title_tokens: str) -> str:
    """A title's tokens without its pinyin ones (most of them): what the first pass ranks titles by."""
    return " ".join(token for token in title_tokens.split() if not is_pinyin_token(token))


def _generations(state: IndexState) -> list[int]:
    """The generations a change must reach: the one served and the one being built, if any."""
    return [state.active_generation] + ([state.building_generation] if state.building_generation else [])


def count_facets(combinations: list[tuple[tuple[str, ...], int]],
                 filters: dict[str, str]) -> tuple[int, dict[str, list[tuple[str, int]]]]:
    """The total and each facet's counts from how many matches have each combination of facet values (in
    FACETS order): a facet counts the matches that pass every filter but its own; the total counts those that
    pass them all. Years newest first; other facets by count, then value; empty values are not shown.
    (A broad search has some 10,000 combinations at 100,000 entries: the loop is kept plain.)"""
    counts: list[dict[str, int]] = [{} for _ in FACETS]
    wanted = [(index, filters[facet]) for index, facet in enumerate(FACETS) if facet in filters]
    total = 0
    if not wanted and len(FACETS) == 4:  # the usual search, unrolled; empty values are dropped below
        first, second, third, fourth = counts
        for (one, two, three, four), count in combinations:
            total += count
            first[one] = first.get(one, 0) + count
            second[two] = second.get(two, 0) + count
            third[three] = third.get(three, 0) + count
            fourth[four] = fourth.get(four, 0) + count
        for counted in counts:
            counted.pop("", None)
        combinations = []
    for values, count in combinations:
        failed = -1
        for index, value in wanted:
            if values[index] != value:
                if failed >= 0:
                    break
                failed = index
        else:
            if failed >= 0:  # counts only for the facet whose filter it fails
                value = values[failed]
                if value:
                    counted = counts[failed]
                    counted[value] = counted.get(value, 0) + count
                continue
            total += count
            for value, counted in zip(values, counts):
                if value:
                    counted[value] = counted.get(value, 0) + count
    return total, {facet: _facet_order(facet, counted) for facet, counted in zip(FACETS, counts)}


def _facet_order(facet: str, counts: dict[str, int]) -> list[tuple[str, int]]:
    if facet == "year":
        return sorted(counts.items(), reverse=True)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _boost_sql(vendor: str) -> str:
    """base.freshness_boost in SQL; its one parameter is today's date."""
    age = ("MAX(0, julianday(%s) - julianday(e.date))" if vendor == "sqlite"
           else "GREATEST(0, %s::date - e.date)")
    return (f"(CASE WHEN e.date IS NULL THEN 1.0 ELSE 1.0 + {FRESHNESS_WEIGHT} * {FRESHNESS_HALF_LIFE_DAYS} / "
            f"({FRESHNESS_HALF_LIFE_DAYS} + {age}) END)")


def _cache_key(using: str, state: IndexState, query: SearchQuery, today: dt.date) -> str:
    """Results are cached under the index revision, which every change to the index replaces."""
    asked = repr((using, state.active_generation, state.revision, query.terms, sorted(query.filters.items()),
                  query.minimum_should_match, query.required, query.order, query.offset, query.limit, today.isoformat()))
    return "search:db:" + hashlib.sha256(asked.encode()).hexdigest()


def _last_per_id(documents: list[SearchDocument]) -> list[SearchDocument]:
    """One document per id (the last given wins), keeping their order."""
    by_id = {document.id: document for document in documents if document is not None}
    return list(by_id.values())
