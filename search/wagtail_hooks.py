"""Editors manage synonyms and can hide popular searches from suggestions (设置 › 搜索同义词 / 热门搜索)."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from search.models import PopularQuery, Synonym


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = "搜索同义词"
    add_to_settings_menu = True
    list_display = ["__str__", "note", "updated_at"]
    search_fields = ["terms", "note"]


class PopularQueryViewSet(SnippetViewSet):
    model = PopularQuery
    icon = "list-ol"
    menu_label = "热门搜索"
    add_to_settings_menu = True
    list_display = ["text", "count", "last_searched_at", "hidden"]
    list_filter = ["hidden"]
    search_fields = ["text"]


register_snippet(SynonymViewSet)
register_snippet(PopularQueryViewSet)
