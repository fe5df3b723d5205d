"""Factories for pages and settings. Pages are added to the tree under `parent` and published."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page

from portal.models import HomePage, InfoPage, SectionPage


class PageFactory(factory.django.DjangoModelFactory):
    """Creates a live page as the last child of `parent`, published at `published` (default: now)."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"页面{n}")

    @classmethod
    def _create(cls, model_class, *args, parent: Page, published: dt.datetime | None = None, **kwargs):
        when = published or timezone.now()
        kwargs.setdefault("live", True)
        page = model_class(*args, first_published_at=when, last_published_at=when, **kwargs)
        parent.add_child(instance=page)
        return page


class SectionPageFactory(PageFactory):
    class Meta:
        model = SectionPage

    title = factory.Iterator(["财政新闻", "政策发布", "政府采购", "信息公开"])


class InfoPageFactory(PageFactory):
    class Meta:
        model = InfoPage

    title = factory.Sequence(lambda n: f"财政部发布2026年第{n}号政府采购公告")
    summary = "财政部印发通知，部署进一步加强预算绩效管理工作。"
    source = "财政部办公厅"


class HomePageFactory(PageFactory):
    class Meta:
        model = HomePage

    title = "首页"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"editor{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.cn")
    password = factory.django.Password("correct-horse-battery")


class ImageFactory(factory.django.DjangoModelFactory):
    """A small JPEG photo in the image library, with the alt text editors are asked for."""

    class Meta:
        model = "wagtailimages.Image"

    title = factory.Sequence(lambda n: f"新闻图片{n}")
    description = factory.Sequence(lambda n: f"财政部新闻发布会现场（第{n}场）")
    file = factory.django.ImageField(width=640, height=480, color="#8a1c1c", format="JPEG")
