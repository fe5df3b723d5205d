from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from content.models import Department, Region, Theme


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    list_display = ["name", "short_name", "code", "uscc"]
    search_fields = ["name", "code"]


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "slug"]


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = "分类管理"
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (DepartmentViewSet, ThemeViewSet, RegionViewSet)


register_snippet(TaxonomyGroup)
