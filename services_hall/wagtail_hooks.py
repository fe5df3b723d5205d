from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Holiday


class HolidayViewSet(SnippetViewSet):
    """节假日: seeded from chinese-calendar; next year's schedule is entered here when the State Council announces it."""

    model = Holiday
    icon = "date"
    menu_label = "节假日"
    menu_order = 400
    add_to_admin_menu = True
    list_display = ["date", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    search_backend_name = None  # a plain database lookup: the table is small and not in the search index
    ordering = ["-date"]


register_snippet(HolidayViewSet)
