"""Admin: the 网站检查 dashboard (menu item for users with the permission) and the 用语检查规则 snippet."""

from django.urls import path, re_path, reverse_lazy
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
    return [
        path("site-guard/", admin_views.DashboardView.as_view(), name="guard_dashboard"),
        re_path(r"^site-guard/report/(?P<month>[^/]+)\.(?P<fmt>pdf|xlsx)$", admin_views.ReportDownloadView.as_view(),
                name="guard_report"),
        path("site-guard/override/<int:page_id>/", admin_views.WordingOverrideView.as_view(),
             name="guard_wording_override"),
    ]


@hooks.register("register_admin_menu_item")
def register_guard_menu_item():
    return DashboardMenuItem("网站检查", reverse_lazy("guard_dashboard"), name="site-guard", icon_name="warning",
                             order=190)


@hooks.register("register_permissions")
def register_guard_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="guard", codename__in=["view_guard_dashboard", "override_wording"])


@hooks.register("before_edit_page")
def check_page_in_editor(request, page):
    """内容检查 in the page editor: a submission for review with 错别字 or 禁用词 is kept as a draft instead; the
    editor shows the draft's findings, live, each with its sentence."""
    if request.method == "POST":
        if any(request.POST.get(action) for action in admin_views.SUBMIT_ACTIONS):
            draft = page.specific_class.objects.get(pk=page.pk)
            return admin_views.hold_submission(request, instance=draft, parent=page.get_parent(), page_id=page.pk)
        return None
    admin_views.show_editor_checks(request, page)
    return None


@hooks.register("before_create_page")
def check_new_page(request, parent_page, page_class):
    if request.method == "POST" and any(request.POST.get(action) for action in admin_views.SUBMIT_ACTIONS):
        return admin_views.hold_submission(request, instance=page_class(), parent=parent_page, page_id=None)
    return None


@hooks.register("register_log_actions")
def register_guard_log_actions(actions):
    from wagtail.log_actions import LogFormatter

    from guard.services import OVERRIDE_LOG_ACTION

    @actions.register_action(OVERRIDE_LOG_ACTION)
    class WordingOverrideFormatter(LogFormatter):
        label = "终审放行用语问题"

        def format_message(self, log_entry):
            count = len(log_entry.data.get("findings", []))
            return f"终审放行{count}处错别字或禁用词，理由：{log_entry.data.get('reason', '')}"
