"""Admin: the 网站检查 dashboard (menu item for users with the permission) and the 用语检查规则 snippet."""

from django.urls import path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from guard import admin_views
from guard.models import WordingRule


class WordingRuleViewSet(SnippetViewSet):
    model = WordingRule
    icon = "doc-full"
    menu_label = "用语检查规则"
    list_display = ["wrong", "right", "kind", "note", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["wrong", "right", "note"]


register_snippet(WordingRuleViewSet)


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_view(request.user)


@hooks.register("register_admin_urls")
def register_guard_urls():
    return [path("site-guard/", admin_views.DashboardView.as_view(), name="guard_dashboard")]


@hooks.register("register_admin_menu_item")
def register_guard_menu_item():
    return DashboardMenuItem("网站检查", reverse_lazy("guard_dashboard"), name="site-guard", icon_name="warning",
                             order=190)


@hooks.register("register_permissions")
def register_guard_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="guard", codename="view_guard_dashboard")


@hooks.register("before_edit_page")
def show_page_findings(request, page):
    """内容检查 in the page editor: what the latest run found on this page, above the form."""
    if request.method != "GET" or not admin_views.may_view(request.user):
        return None
    from django.contrib import messages

    from guard import selectors

    findings = selectors.page_findings(page=page)
    if findings:
        lines = "；".join(f"{finding.get_indicator_display()}：{finding.detail}" for finding in findings[:5])
        more = f"等{len(findings)}项" if len(findings) > 5 else ""
        messages.warning(request, f"内容检查（最近一次网站检查）发现本页问题{more}：{lines}")
    return None
