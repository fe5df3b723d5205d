from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, PageChooserPanel


def validate_link_url(value: str) -> None:
    """An absolute http(s) address, or a path on this site ("/hall/inquiry/", not "//elsewhere")."""
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(schemes=["http", "https"], message="请填写以 https:// 开头的网址，或以 / 开头的本站地址。")(value)


class LinkFields(models.Model):
    """A link to a page of this site or to an external address: exactly one of the two."""

    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="站内页面",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # A page served by an app view (办件查询 at /hall/inquiry/) has no page to choose: its path is given here.
    link_url = models.CharField(
        "链接地址", max_length=300, blank=True, validators=[validate_link_url],
        help_text="外部网址（https://…），或本站不在页面树中的地址（以 / 开头，如 /hall/inquiry/）。",
    )

    link_panels = [PageChooserPanel("link_page"), FieldPanel("link_url")]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if bool(self.link_page_id) == bool(self.link_url):
            raise ValidationError("请选择一个站内页面或填写一个链接地址（二者选其一）。")

    @property
    def is_external(self) -> bool:
        return not self.link_page_id and not self.link_url.startswith("/")

    def href(self, request=None) -> str:
        if self.link_page_id:
            return self.link_page.get_url(request) or "#"
        return self.link_url

