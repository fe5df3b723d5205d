"""Settings editors change in the admin: the site's identity (shown in every footer) and its navigation."""

from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable

from .links import LinkFields


@register_setting(icon="site")
class SiteIdentity(BaseSiteSetting):
    site_name = models.CharField("网站名称", max_length=60, default="金财门户")
    logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name="网站标志", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    sponsor = models.CharField("主办单位", max_length=100, blank=True)
    organizer = models.CharField("承办单位", max_length=100, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    postcode = models.CharField("邮编", max_length=6, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    site_code = models.CharField("网站标识码", max_length=20, blank=True)
    icp_number = models.CharField("ICP备案号", max_length=40, blank=True, help_text="如 京ICP备12345678号")
    icp_url = models.URLField("ICP备案查询链接", blank=True, default="https://beian.miit.gov.cn/")
    public_security_number = models.CharField(
        "公安机关备案号", max_length=40, blank=True, help_text="如 京公网安备11010202000001号"
    )
    public_security_url = models.URLField("公安机关备案查询链接", blank=True)
    show_party_government_badge = models.BooleanField("显示党政机关标识", default=True)
    party_government_badge_url = models.URLField(
        "党政机关标识链接", blank=True, help_text="开办主体身份核验页面地址（由机构编制部门提供）"
    )

    panels = [
        MultiFieldPanel([FieldPanel("site_name"), FieldPanel("logo")], heading="网站"),
        MultiFieldPanel(
            [FieldPanel(name) for name in ("sponsor", "organizer", "address", "postcode", "phone")],
            heading="主办与联系",
        ),
        MultiFieldPanel(
            [
                FieldPanel(name)
                for name in (
                    "site_code", "icp_number", "icp_url", "public_security_number", "public_security_url",
                    "show_party_government_badge", "party_government_badge_url",
                )
            ],
            heading="标识与备案",
        ),
    ]

    class Meta:
        verbose_name = "网站标识"


@register_setting(icon="list-ul")
class NavigationSettings(ClusterableModel, BaseSiteSetting):
    panels = [
        InlinePanel("main_menu_items", label="主导航", max_num=12),
        InlinePanel("footer_links", label="页脚链接"),
    ]

    class Meta:
        verbose_name = "导航"


class MainMenuItem(LinkFields, Orderable):
    settings = ParentalKey(NavigationSettings, related_name="main_menu_items", on_delete=models.CASCADE)
    label = models.CharField("显示名称", max_length=12, blank=True, help_text="留空则使用页面标题")

    panels = [FieldPanel("label"), *LinkFields.link_panels]

    class Meta(Orderable.Meta):
        verbose_name = "导航项"

    @property
    def text(self) -> str:
        return self.label or (self.link_page.title if self.link_page_id else self.link_url)


class FooterLink(LinkFields, Orderable):
    settings = ParentalKey(NavigationSettings, related_name="footer_links", on_delete=models.CASCADE)
    group = models.CharField("分组", max_length=20, default="网站服务", help_text="同一分组的链接显示在一起，如 网站服务、相关链接")
    label = models.CharField("显示名称", max_length=30)

    panels = [FieldPanel("group"), FieldPanel("label"), *LinkFields.link_panels]

    class Meta(Orderable.Meta):
        verbose_name = "页脚链接"
