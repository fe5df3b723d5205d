from django.urls import include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from services_hall.selectors import staff_roles

from . import admin_urls, admin_views


class StaffMenuItem(MenuItem):
    """Shown only to people who hold a staff role of the hall (受理员, 审核员) and superusers."""

    def is_shown(self, request):
        return bool(staff_roles(user=request.user))


@hooks.register("register_admin_urls")
def register_disclosure_urls():
    return [path("disclosure/", include((admin_urls, admin_views.NAMESPACE), namespace=admin_views.NAMESPACE))]


@hooks.register("register_admin_menu_item")
def register_disclosure_menu_item():
    return StaffMenuItem("依申请公开", reverse_lazy(f"{admin_views.NAMESPACE}:request_queue"),
                         name="disclosure-requests", icon_name="doc-full", order=155)
