"""The demo's front doors: the 政务服务, 数据开放, 互动交流 and 依申请公开 columns become their page types.

Each column is converted in place (same page, same URL, same menu entry and links), then worded; the home
shortcuts are pointed at the doors and at the hall's own pages. Running it again changes nothing.
Called by load_demo after the service guides and open data are loaded (one line), so it can move with the demo.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Page

from opendata.models import OpenDataPage
from portal.models import HomePage, SectionPage, ServiceShortcut
from services_hall.models import DisclosureRequestPage, InteractionPage, ServiceGuidePage, ServicesHallPage

PERSONAL, LEGAL, BOTH = (ServiceGuidePage.Audience.PERSONAL, ServiceGuidePage.Audience.LEGAL_PERSON,
                         ServiceGuidePage.Audience.BOTH)

# slug → (服务对象, 主题, 承办部门) of the demo's nine matters
MATTERS = {
    "dailijizhang-zige": (LEGAL, "会计管理", "会计司"),
    "kuaijishi-shiwusuo-zhiye-xuke": (LEGAL, "注册会计师行业管理", "监督评价局"),
    "zichan-pinggu-jigou-beian": (LEGAL, "资产评估行业管理", "资产管理司"),
    "zhengfu-caigou-tousu": (BOTH, "政府采购", "国库司（政府采购管理办公室）"),
    "zhengfu-xinxi-gongkai-shenqing": (BOTH, "政务公开", "办公厅"),
    "zhuce-kuaijishi-zhuce": (PERSONAL, "注册会计师行业管理", "监督评价局"),
    "biangeng-caigou-fangshi": (LEGAL, "政府采购", "国库司（政府采购管理办公室）"),
    "caigou-jinkou-chanpin-shenhe": (LEGAL, "政府采购", "国库司（政府采购管理办公室）"),
    "kuaiji-zige-kaoshi-shenhe": (PERSONAL, "会计管理", "会计司"),
}

INTROS = {
    "services": "财政部门政务服务事项一网通办：查看办事指南，在线申报，凭申报号查询进度，登录后查看我的办件。",
    "open-data": "财政数据资源目录：按提供方、主题、开放类型和格式筛选，在线预览，下载 CSV、XLSX，或通过接口调用。",
    "interaction": "欢迎您就财政工作提出咨询、建议和投诉。我们将在规定时限内答复，经您同意后选登在本栏目。",
    "on-request": "公民、法人或者其他组织可以依照《中华人民共和国政府信息公开条例》向本机关申请获取政府信息。"
                  "本机关自收到申请之日起20个工作日内予以答复。",
}

# label → (icon, description, where): a path into the page tree ("services") or a hall page ("/hall/inquiry/")
SHORTCUTS = (
    ("办事指南", "guide", "事项办理要求一览", "services"),
    ("在线申报", "apply", "网上提交申请材料", "services"),
    ("办件查询", "query", "凭申报号查询进度", "/hall/inquiry/"),
    ("咨询投诉", "letter", "写信咨询、建议、投诉", "interaction"),
    ("依申请公开", "download", "申请获取政府信息", "disclosure/on-request"),
    ("数据开放", "data", "财政数据资源目录", "open-data"),
)


def build_front_doors(home: Page) -> None:
    with transaction.atomic():
        home = HomePage.objects.get(pk=home.pk)
        interaction = _become(_column(home, "interaction"), InteractionPage, intro=INTROS["interaction"])
        hall = _become(_column(home, "services"), ServicesHallPage, intro=INTROS["services"],
                       letters_page=interaction)
        _become(_column(home, "open-data"), OpenDataPage, intro=INTROS["open-data"])
        guide = ServiceGuidePage.objects.child_of(hall).filter(slug="zhengfu-xinxi-gongkai-shenqing").first()
        _become(_column(home, "disclosure/on-request"), DisclosureRequestPage, intro=INTROS["on-request"],
                application_guide=guide, annual_reports=_column(home, "disclosure/annual-reports"))
        for page in ServiceGuidePage.objects.child_of(hall):
            audience, theme, department = MATTERS.get(page.slug, (LEGAL, "", ""))
            if not page.theme and theme:
                ServiceGuidePage.objects.filter(pk=page.pk).update(audience=audience, theme=theme,
                                                                   department=department)
        _point_shortcuts(home)


def _column(home: Page, path: str) -> SectionPage | None:
    return SectionPage.objects.filter(url_path=f"{home.url_path}{path}/").first()


def _become(section: SectionPage | None, model: type[SectionPage], **fields) -> Page | None:
    """The column as a `model` (a SectionPage subclass): its own row added, its type changed, the result
    published as a revision so the admin edits the new type."""
    if section is None:
        return None
    if section.specific_class is model:
        return model.objects.get(pk=section.pk)
    with transaction.atomic():
        intro = fields.pop("intro", "")
        door = model(sectionpage_ptr_id=section.pk, **fields)
        door.save_base(raw=True)  # only the subclass's own table: the page and column rows stay as they are
        Page.objects.filter(pk=section.pk).update(content_type=ContentType.objects.get_for_model(model))
        door = model.objects.get(pk=section.pk)
        if intro:
            door.intro = f"<p>{intro}</p>"
        door.save_revision(log_action=False).publish(log_action=False)
    return model.objects.get(pk=section.pk)


def _point_shortcuts(home: HomePage) -> None:
    """The home shortcuts lead to the front doors and the hall's own pages (replacing the demo's first set)."""
    wanted = [(label, icon, text, target) for label, icon, text, target in SHORTCUTS]
    current = [(s.label, s.icon, s.description, s.link_url or (s.link_page.url_path if s.link_page else ""))
               for s in home.service_shortcuts.select_related("link_page")]
    expected = [(label, icon, text, target if target.startswith("/") else f"{home.url_path}{target}/")
                for label, icon, text, target in wanted]
    if current == expected:
        return
    home.service_shortcuts.all().delete()
    for order, (label, icon, text, target) in enumerate(wanted):
        link = {"link_url": target} if target.startswith("/") else {"link_page": _column(home, target)}
        ServiceShortcut.objects.create(home=home, sort_order=order, label=label, icon=icon, description=text, **link)
