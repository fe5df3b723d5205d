from wagtail import hooks
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


# ---------------------------------------------------------------------------------------------------------------
# Desks on the dashboard: editors (my drafts, sent back to me), reviewers (awaiting my step), everyone (scheduled)


def _is_editor(user) -> bool:
    from wagtail.models import GroupPagePermission

    return user.is_superuser or GroupPagePermission.objects.filter(
        group__user=user, permission__codename="add_page").exists()


def _review_steps_of(user) -> list[str]:
    from content.review_chain import REVIEW_STEPS

    return list(user.groups.filter(name__in=REVIEW_STEPS).values_list("name", flat=True))


@hooks.register("construct_homepage_panels")
def add_editorial_desks(request, panels):
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone

    from content import selectors
    from portal.desks import DeskItem, DeskList, DeskPanel, waited

    user, now = request.user, timezone.now()
    edit = lambda page: reverse("wagtailadmin_pages:edit", args=[page.pk])  # noqa: E731
    if _is_editor(user):
        drafts = [DeskItem(page.get_admin_display_title(), edit(page),
                           f"{timezone.localtime(page.latest_revision_created_at):%Y年%m月%d日}保存")
                  for page in selectors.page_drafts_of(user=user)]
        sent_back = [DeskItem(page.get_admin_display_title(), edit(page),
                              f"{state.current_task_state.task.name}退回" if state.current_task_state else "退回修改",
                              urgent=True)
                     for page, state in selectors.pages_sent_back_to(user=user)]
        panels.append(DeskPanel(name="editor", heading="编辑工作台", order=20, lists=[
            DeskList("退回给我修改的", sent_back, empty="没有被退回的稿件"),
            DeskList("我的草稿", drafts, empty="没有未提交的草稿"),
        ]))
    steps = _review_steps_of(user)
    if steps:
        awaiting = [DeskItem(page.get_admin_display_title(), edit(page),
                             f"{state.task.name} · {waited(state.started_at, now=now)}",
                             urgent=(now - state.started_at) > dt.timedelta(days=2))
                    for page, state in selectors.pages_awaiting_step_of(user=user)]
        panels.append(DeskPanel(name="reviewer", heading=f"审核工作台（{'、'.join(steps)}）", order=15, lists=[
            DeskList("等待我这一审的稿件（等得最久的在前）", awaiting, empty="没有等待你审核的稿件"),
        ]))
    soon = [DeskItem(page.get_admin_display_title(), edit(page),
                     f"{timezone.localtime(revision.approved_go_live_at):%m月%d日 %H:%M}发布")
            for page, revision in selectors.pages_scheduled_between(start=now, end=now + dt.timedelta(days=7))]
    panels.append(DeskPanel(name="scheduled", heading="未来 7 天定时发布", order=90, lists=[
        DeskList("定时发布的页面", soon, empty="未来 7 天没有定时发布的页面"),
    ]))
