from django.urls import include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from audit import admin_urls, views
from audit.tamper import open_alerts


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


class TamperAlertPanel(Component):
    """The admin notice of 网页防篡改: open alerts, naming each URL or file, at the top of the dashboard."""

    name = "tamper_alerts"
    order = 10
    template_name = "audit/tamper_panel.html"

    def __init__(self, alerts):
        self.alerts = alerts

    def get_context_data(self, parent_context):
        return {"alerts": self.alerts}


@hooks.register("construct_homepage_panels")
def add_tamper_alert_panel(request, panels):
    if not views.may_view(request.user):
        return
    alerts = list(open_alerts())
    if alerts:
        panels.insert(0, TamperAlertPanel(alerts))
