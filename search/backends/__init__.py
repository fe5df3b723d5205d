"""Which backend answers: Elasticsearch when ELASTICSEARCH_URL is set, else the database.

The database backend is always kept up to date (it is also where results, facet values and title suggestions
are read from, and what answers when Elasticsearch is down).
"""

from __future__ import annotations

import functools

from django.conf import settings

from search.backends.base import SearchBackend
from search.backends.database import DatabaseBackend


@functools.cache
def database_backend() -> DatabaseBackend:
    return DatabaseBackend()


def elasticsearch_backend() -> SearchBackend | None:
    """The Elasticsearch backend when ELASTICSEARCH_URL is set, else None (imported lazily: the client is only
    needed at scale)."""
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    if not url:
        return None
    return _elasticsearch_backend(url)


@functools.cache
def _elasticsearch_backend(url: str) -> SearchBackend:
    from search.backends.elasticsearch import ElasticsearchBackend

    return ElasticsearchBackend(url=url)


def primary_backend() -> SearchBackend:
    """The backend that answers queries (see search.query.run_search for the fallback)."""
    return elasticsearch_backend() or database_backend()


def index_backends() -> list[SearchBackend]:
    """Every backend a change must reach: the database always, Elasticsearch when configured."""
    backends: list[SearchBackend] = [database_backend()]
    es = elasticsearch_backend()
    if es is not None:
        backends.append(es)
    return backends
