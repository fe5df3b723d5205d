"""Keeping the index in step with the site.

Publish, unpublish, delete, move and scheduled publish (Wagtail's signals and page saves), view restrictions,
letters and their replies, and datasets each name the documents they affect; after the transaction commits,
a django-tasks task re-reads those documents through search.documents and indexes them, or
removes them when they are no longer public. Moving or unpublishing a column re-checks everything beneath it.

With the default immediate task backend this happens right after the commit, in the same request; with the
database task backend a worker does it within seconds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django_tasks import task
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from search import documents
from search.analyzer import ANALYZER_VERSION
from search.backends import database_backend, elasticsearch_backend, index_backends

logger = logging.getLogger(__name__)

# Page saves that only record revision bookkeeping (a draft saved, a lock taken) change nothing public.
BOOKKEEPING_FIELDS = frozenset({
    "latest_revision", "latest_revision_created_at", "has_unpublished_changes", "draft_title", "locked",
    "locked_at", "locked_by", "live_revision", "go_live_at", "expire_at", "expired", "url_path",
})


# --- the task ----------------------------------------------------------------------------------------------


@task()
def update_documents(keys: list[str]) -> dict[str, int]:
    """Re-index these documents (ids like "page:12") as they are now; remove the ones no longer public."""
    to_index, to_delete = [], []
    for key in dict.fromkeys(keys):
        document = documents.load_document(key)
        if document is None:
            to_delete.append(key)
        else:
            to_index.append(document)
    for backend in index_backends():
        try:
            if to_index:
                backend.index(to_index)
            if to_delete:
                backend.delete(to_delete)
        except Exception:
            if backend is database_backend():
                raise
            # The database index is current and answers while Elasticsearch is down; a rebuild catches up.
            logger.warning("search: could not update %s for %s", backend.name, keys, exc_info=True)
    return {"indexed": len(to_index), "removed": len(to_delete)}


@task()
def remove_documents(keys: list[str]) -> int:
    for backend in index_backends():
        try:
            backend.delete(list(keys))
        except Exception:
            if backend is database_backend():
                raise
            logger.warning("search: could not remove %s from %s", keys, backend.name, exc_info=True)
    return len(keys)


# --- after commit --------------------------------------------------------------------------------------------


def schedule_update(keys: Iterable[str]) -> None:
    """Re-index these documents once the current transaction commits (at once outside a transaction)."""
    _schedule(keys, update=True)


def schedule_removal(keys: Iterable[str]) -> None:
    _schedule(keys, update=False)


class _Pending:
    """The documents a transaction changed, sent to the index in one task when it commits (a demo load or an
    import saving 600 pages makes one batch, not 600 tasks). At commit each document is indexed as it then is,
    or removed when it no longer exists or is no longer public, whatever was asked of it on the way."""

    def __init__(self):
        self.keys: dict[str, None] = {}

    def flush(self) -> None:
        """Send what is pending; a later hook of the same batch finds nothing left and does nothing."""
        keys, self.keys = list(self.keys), {}
        if keys:
            update_documents.enqueue(keys)


def _schedule(keys: Iterable[str], *, update: bool) -> None:
    keys = list(dict.fromkeys(key for key in keys if key))
    if not keys:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        (update_documents if update else remove_documents).enqueue(keys)
        return
    pending: _Pending | None = getattr(connection, "_search_pending", None)
    if pending is None or not connection.run_on_commit:  # the transaction it belonged to has ended
        pending = connection._search_pending = _Pending()
    pending.keys.update(dict.fromkeys(keys))
    # A hook for every change, all flushing the one batch: the first to run sends everything, so a savepoint
    # rolled back with its hook, or on-commit hooks run early (tests), never strand what was scheduled; and since
    # indexing reads the database at that moment, keys from a rolled-back savepoint change nothing.
    transaction.on_commit(pending.flush, robust=True)


def subtree_keys(page: Page) -> list[str]:
    """Document ids of a page and every page beneath it that search indexes."""
    pairs = Page.objects.descendant_of(page, inclusive=True).values_list("pk", "content_type_id")
    return documents.keys_for_pages(pairs)


# --- signal handlers -----------------------------------------------------------------------------------------


def _page_changed(sender, instance, **kwargs):
    key = documents.key_for(instance)
    if key:
        schedule_update([key])


def _page_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    # Pages created live outside the publishing flow (imports, the demo) are indexed by their save.
    if raw or (update_fields is not None and set(update_fields) <= BOOKKEEPING_FIELDS):
        return
    _page_changed(sender, instance)


def _page_subtree_changed(sender, instance, **kwargs):
    # An unpublished or moved column: its own entry and everything below it (URLs, reachability) is re-read.
    if instance.is_leaf():
        _page_changed(sender, instance)
    else:
        schedule_update(subtree_keys(instance))


def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        schedule_removal([f"{prefix}:{instance.pk}" for prefix in documents.page_prefixes()])


def _restriction_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        schedule_update(subtree_keys(page))


def connect_signals() -> None:
    """Wagtail's page signals and each registered page type's save (the apps registered their types in their own
    ready(), which runs before search's: search comes after them in INSTALLED_APPS)."""
    page_published.connect(_page_changed, dispatch_uid="search-page-published")
    page_unpublished.connect(_page_subtree_changed, dispatch_uid="search-page-unpublished")
    post_page_move.connect(_page_subtree_changed, dispatch_uid="search-page-moved")
    post_delete.connect(_page_deleted, dispatch_uid="search-page-deleted")
    for doc_type in documents.document_types():
        if issubclass(doc_type.model, Page):
            post_save.connect(_page_saved, sender=doc_type.model, dispatch_uid=f"search-saved-{doc_type.name}")
    post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-saved")
    post_delete.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-deleted")
    post_migrate.connect(_rebuild_after_migrate, dispatch_uid="search-rebuild-after-migrate")


# --- rebuilding -----------------------------------------------------------------------------------------------


def rebuild(*, backends=None, progress: Callable[[int], None] | None = None) -> tuple[int, float]:
    """Rebuild every index (the database, and Elasticsearch when configured) from the registry; returns
    (documents indexed, seconds). `progress` is called with the running count."""
    started = time.monotonic()
    indexed = 0
    for backend in backends or index_backends():
        counted = 0

        def counting(stream):
            nonlocal counted
            for document in stream:
                counted += 1
                if progress:
                    progress(counted)
                yield document

        indexed = backend.rebuild(counting(documents.iter_documents()))
    return indexed, time.monotonic() - started


def is_stale() -> bool:
    """Whether the database index was built with another analyzer (or never built)."""
    return database_backend().stored_version() != ANALYZER_VERSION


def rebuild_if_stale(*, log: Callable[[str], None] | None = None) -> bool:
    if not is_stale():
        return False
    if log:
        log(f"搜索索引的分词器版本与当前版本 {ANALYZER_VERSION} 不同，正在重建……")
    count, seconds = rebuild()
    if log:
        log(f"搜索索引已重建：{count} 条，用时 {seconds:.1f} 秒。")
    return True


def _rebuild_after_migrate(sender, app_config=None, using="default", verbosity=1, plan=None, **kwargs):
    # Once per migrate (after the last app), and only when the dictionary or analyzer code changed.
    if app_config is None or app_config.label != "search" or using != "default":
        return
    try:
        rebuild_if_stale(log=print if verbosity >= 1 else None)
    except Exception:
        logger.exception("search: rebuilding the index after migrate failed; run `manage.py search_index rebuild`")


def elasticsearch_configured() -> bool:
    return elasticsearch_backend() is not None
