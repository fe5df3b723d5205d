from django.urls import include, path, reverse, reverse_lazy
from django.utils import timezone
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


@hooks.register("construct_homepage_panels")
def add_hall_desk(request, panels):
    """The hall staff's desk: filings overdue and due soon, 补正 answered, letters nearing their reply deadline."""
    from portal.desks import DeskItem, DeskList, DeskPanel
    from services_hall import selectors

    if not staff_roles(user=request.user):
        return
    namespace = admin_views.NAMESPACE
    detail = lambda application: reverse(f"{namespace}:application_detail", args=[application.pk])  # noqa: E731
    queue = reverse(f"{namespace}:application_queue")

    def filings(due: str, note: str) -> list[DeskItem]:
        return [DeskItem(f"{a.tracking_number} {a.service.title}", detail(a),
                         f"{note} {a.due_on:%Y年%m月%d日}", urgent=due == "overdue")
                for a in selectors.application_queue_filtered(due=due)[:10]]

    returned = [DeskItem(f"{a.tracking_number} {a.service.title}", detail(a),
                         f"申请人{a.answered_at.astimezone(timezone.get_current_timezone()):%m月%d日}补正")
                for a in selectors.applications_returned_from_correction()]
    calendar = selectors.work_calendar()
    letters = []
    for letter in selectors.letter_queue()[:30]:
        limit = selectors.letter_deadline(letter=letter, calendar=calendar)
        if limit and (limit.overdue or limit.due_soon):
            note = f"已超期 {-limit.days_left} 个工作日" if limit.overdue else f"还剩 {limit.days_left} 个工作日"
            letters.append(DeskItem(f"{letter.tracking_number} {letter.subject}",
                                    reverse(f"{namespace}:letter_detail", args=[letter.pk]),
                                    f"答复期限 {letter.due_on:%Y年%m月%d日}，{note}", urgent=limit.overdue))
    panels.append(DeskPanel(name="hall", heading="政务服务工作台", order=10, lists=[
        DeskList("已超期的办件", filings("overdue", "期限"), empty="没有超期的办件", more_url=f"{queue}?due=overdue"),
        DeskList("即将到期的办件", filings("due_soon", "期限"), empty="没有即将到期的办件",
                 more_url=f"{queue}?due=due_soon"),
        DeskList("申请人已补正、待继续办理", returned, empty="没有待继续办理的补正件"),
        DeskList("临近答复期限的来信", letters[:10], empty="没有临近答复期限的来信",
                 more_url=reverse(f"{namespace}:letter_queue")),
    ]))
