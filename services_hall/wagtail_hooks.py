from django.urls import include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_urls, admin_views
from .models import Holiday
from .selectors import staff_roles


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


# ---------------------------------------------------------------------------------------------------------------
# The back office: 办件管理, 信件办理, 差评整改 — for 受理员, 审核员 and superusers


class StaffMenuItem(MenuItem):
    """Shown only to people who hold a staff role of the services hall."""

    def is_shown(self, request):
        return bool(staff_roles(user=request.user))


@hooks.register("register_admin_urls")
def register_back_office_urls():
    return [path("services-hall/", include((admin_urls, admin_views.NAMESPACE), namespace=admin_views.NAMESPACE))]


@hooks.register("register_admin_menu_item")
def register_applications_menu_item():
    return StaffMenuItem("办件管理", reverse_lazy(f"{admin_views.NAMESPACE}:application_queue"),
                         name="applications", icon_name="tasks", order=150)


@hooks.register("register_admin_menu_item")
def register_letters_menu_item():
    return StaffMenuItem("信件办理", reverse_lazy(f"{admin_views.NAMESPACE}:letter_queue"),
                         name="letters", icon_name="mail", order=160)


@hooks.register("register_admin_menu_item")
def register_follow_ups_menu_item():
    return StaffMenuItem("差评整改", reverse_lazy(f"{admin_views.NAMESPACE}:follow_up_list"),
                         name="rating-follow-ups", icon_name="warning", order=170)
