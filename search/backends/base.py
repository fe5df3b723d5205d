"""The one interface both search backends implement, and the values that cross it.

Documents and queries arrive already analysed (segmented, normalised text from search.analyzer), so the
backends only store and match tokens: both behave the same on the same input, and one contract test suite
(tests/search/test_contract.py) runs against each.
"""

from __future__ import annotations

import abc
import datetime as dt
import itertools
from dataclasses import dataclass, field

FACETS = ("type", "department", "year", "region")

# Relevance order multiplies each match score by a freshness boost that halves its extra weight every
# FRESHNESS_HALF_LIFE_DAYS (hyperbolic, so it needs no exp() in SQL):
#     score = relevance * (1 + FRESHNESS_WEIGHT * FRESHNESS_HALF_LIFE_DAYS / (FRESHNESS_HALF_LIFE_DAYS + age_days))
# with age_days = max(0, today - date); a document without a date gets no boost. A page from today scores
# 1.5×, one a year old 1.25×, one ten years old about 1.05×: freshness breaks near-ties, it never buries a
# clearly better match.
FRESHNESS_WEIGHT = 0.5
FRESHNESS_HALF_LIFE_DAYS = 365.0


def freshness_boost(date: dt.date | None, today: dt.date) -> float:
    """The factor relevance order multiplies a match score by (see the formula above)."""
    if date is None:
        return 1.0
    age_days = max(0, (today - date).days)
    return 1 + FRESHNESS_WEIGHT * FRESHNESS_HALF_LIFE_DAYS / (FRESHNESS_HALF_LIFE_DAYS + age_days)


@dataclass(frozen=True)
class SearchDocument:
    """One public thing a person can find (a page, a published letter, a dataset), as search stores it."""

    id: str  # globally unique, e.g. "page:123", "letter:45", "dataset:7"
    url: str
    type: str  # "article", "policy", "interpretation", "notice", "topic", "guide", "letter", "dataset", "page"
    title: str
    body: str  # plain text, original (unsegmented): snippets are cut from it
    date: dt.date | None = None
    department: str = ""
    year: int | None = None
    region: str = ""
    tags: tuple[str, ...] = ()
    # Filled by the indexer from search.analyzer (index-time, search-mode tokens, space-separated).
    title_tokens: str = ""
    body_tokens: str = ""


@dataclass(frozen=True)
class SearchQuery:
    """What a person asked, analysed: `terms` are query-time tokens, each a tuple of alternatives (synonyms).

    A document matches when, for every term, at least one alternative matches it (terms ANDed, alternatives
    ORed). An alternative may hold several space-separated tokens ("营业税 改征 增值税"): it matches when the
    document has all of them, anywhere in title or body (not as a phrase). Tokens match the index tokens
    exactly (no stemming, no prefix); they contain only letters and digits, never query syntax.

    Best match: with minimum_should_match > 0, a document matches when it matches every term whose index is in
    `required` and at least minimum_should_match of the other terms (Elasticsearch's bool must + should with
    minimum_should_match; the database backend ORs every choice of that many, see match_plan). With 0 (the
    default) every term is required.
    """

    text: str
    terms: tuple[tuple[str, ...], ...]
    filters: dict[str, str] = field(default_factory=dict)  # facet name -> value
    order: str = "relevance"  # or "newest"
    offset: int = 0
    limit: int = 20
    minimum_should_match: int = 0
    required: tuple[int, ...] = ()


def match_plan(query: SearchQuery) -> list[tuple[int, ...]]:
    """The ways a document can match, as tuples of term indices that must all match (any one tuple suffices):
    one tuple of every term, or for best match the required terms plus each choice of minimum_should_match of
    the others."""
    every = tuple(range(len(query.terms)))
    others = [index for index in every if index not in query.required]
    if not query.minimum_should_match or query.minimum_should_match >= len(others):
        return [every]
    required = tuple(index for index in every if index in query.required)
    return [tuple(sorted(required + chosen)) for chosen in itertools.combinations(others, query.minimum_should_match)]


@dataclass(frozen=True)
class Hit:
    id: str
    score: float


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    total: int
    facets: dict[str, list[tuple[str, int]]]  # facet -> [(value, count)], counts under the other filters


class SearchBackendUnavailable(Exception):
    """The backend cannot be reached or cannot answer now (connection refused, timeout, cluster unavailable);
    the query service falls back to the database backend."""


class SearchBackend(abc.ABC):
    """Stores documents and answers queries. Implementations: database (SQLite FTS5 / PostgreSQL tsvector),
    elasticsearch (Elasticsearch 8 through elasticsearch.dsl)."""

    name: str

    @abc.abstractmethod
    def index(self, documents: list[SearchDocument]) -> None:
        """Add or replace documents (by id)."""

    @abc.abstractmethod
    def delete(self, ids: list[str]) -> None:
        """Remove documents; unknown ids are ignored."""

    @abc.abstractmethod
    def search(self, query: SearchQuery) -> SearchResult:
        """Matching documents, best first (or newest first), with facet counts."""

    @abc.abstractmethod
    def rebuild(self, documents) -> int:
        """Replace the whole index with `documents` (an iterable) without ever serving an empty index;
        returns the number indexed."""

    @abc.abstractmethod
    def count(self) -> int:
        """How many documents the index holds."""
