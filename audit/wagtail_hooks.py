from django.urls import include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from audit import admin_urls, views


class AuditMenuItem(MenuItem):
    def is_shown(self, request):
        return views.may_view(request.user)


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [path("audit/", include((admin_urls, views.NAMESPACE), namespace=views.NAMESPACE))]


@hooks.register("register_admin_menu_item")
def register_audit_menu_item():
    return AuditMenuItem("审计记录", reverse_lazy(f"{views.NAMESPACE}:list"), name="audit", icon_name="history",
                         order=900)
