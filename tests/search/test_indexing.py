"""Index sync beyond the contract: the rebuild command, its status, and rebuilding when the analyzer changed."""

import io

import pytest
from django.core.management import call_command

from search import indexing
from search.backends import database_backend
from tests.content.factories import ArticlePageFactory


def test_rebuild_command_reports_documents_per_second_and_shows_progress(section, capsys):
    ArticlePageFactory(parent=section, title="预算执行情况")
    out = io.StringIO()

    call_command("search_index", "rebuild", stdout=out)

    assert "1 条文档" in out.getvalue() and "每秒" in out.getvalue()
    assert "1/1 100%" in capsys.readouterr().err
    assert database_backend().count() == 1


def test_status_says_when_a_rebuild_is_needed(db, monkeypatch):
    out = io.StringIO()
    call_command("search_index", "status", stdout=out)
    assert "索引与当前分词器一致" in out.getvalue()

    monkeypatch.setattr(indexing, "ANALYZER_VERSION", "2-changed")
    monkeypatch.setattr("search.management.commands.search_index.ANALYZER_VERSION", "2-changed")
    out = io.StringIO()
    call_command("search_index", "status", stdout=out)
    assert "需要重建" in out.getvalue()


def test_a_changed_analyzer_triggers_a_rebuild(section, monkeypatch):
    ArticlePageFactory(parent=section, title="国库现金管理")
    assert not indexing.rebuild_if_stale()

    monkeypatch.setattr(indexing, "ANALYZER_VERSION", "2-changed")
    monkeypatch.setattr("search.backends.database.ANALYZER_VERSION", "2-changed")

    assert indexing.rebuild_if_stale()
    assert database_backend().stored_version() == "2-changed"
    assert database_backend().count() == 1


@pytest.mark.parametrize("update_fields", [["latest_revision", "has_unpublished_changes", "draft_title"]])
def test_saving_a_draft_does_not_touch_the_index(section, django_capture_on_commit_callbacks, update_fields):
    page = ArticlePageFactory(parent=section)
    with django_capture_on_commit_callbacks() as callbacks:
        page.save(update_fields=update_fields)

    assert callbacks == []


def commit_the_test_transaction(capture_on_commit):
    """What the commit of the test's own transaction would do: send the search batch it holds."""
    from django.db import transaction

    with capture_on_commit(execute=True):
        transaction.get_connection()._search_pending.flush()


def test_pages_saved_in_one_transaction_reach_the_index_in_one_batch(
        section, monkeypatch, django_capture_on_commit_callbacks):
    from django.db import transaction

    batches = []
    task = indexing.update_documents

    class CountingTask:
        def enqueue(self, keys):
            batches.append(keys)
            return task.enqueue(keys)

    monkeypatch.setattr(indexing, "update_documents", CountingTask())

    with transaction.atomic():
        for title in ("国库集中支付", "政府采购意向", "预算绩效管理"):
            ArticlePageFactory(parent=section, title=title)
    commit_the_test_transaction(django_capture_on_commit_callbacks)

    assert len(batches) == 1
    assert database_backend().count() == 3


def test_a_rolled_back_savepoint_leaves_the_index_alone_and_later_saves_still_arrive(
        section, django_capture_on_commit_callbacks):
    from django.db import transaction

    try:
        with transaction.atomic():
            ArticlePageFactory(parent=section, title="撤回的稿件")
            raise RuntimeError("editor cancelled")
    except RuntimeError:
        pass
    ArticlePageFactory(parent=section, title="会计信息质量检查")
    commit_the_test_transaction(django_capture_on_commit_callbacks)

    assert database_backend().count() == 1
