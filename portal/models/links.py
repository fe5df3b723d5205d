from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, PageChooserPanel


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
    link_url = models.URLField("外部链接", blank=True)

    link_panels = [PageChooserPanel("link_page"), FieldPanel("link_url")]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if bool(self.link_page_id) == bool(self.link_url):
            raise ValidationError("请选择一个站内页面或填写一个外部链接（二者选其一）。")

    @property
    def is_external(self) -> bool:
        return not self.link_page_id

    def href(self, request=None) -> str:
        if self.link_page_id:
            return self.link_page.get_url(request) or "#"
        return self.link_url
