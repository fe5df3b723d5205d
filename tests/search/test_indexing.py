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
