"""What the API returns: one schema per list item and per detail, built from the page objects by resolvers.

Every URL is absolute, amounts are strings (no float rounding of 元), choice fields carry value and label.
"""

import datetime as dt
import re
from typing import Generic, TypeVar

from django.utils import timezone
from ninja import Schema

# --- pieces ----------------------------------------------------------------------------------------------


def page_url(page, context) -> str | None:
    return page.get_full_url(context["request"])


def absolute(url: str, context) -> str:
    return context["request"].build_absolute_uri(url)


def local_time(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value else None


def choice(obj, field: str) -> dict[str, str] | None:
    value = getattr(obj, field)
    return {"value": value, "label": getattr(obj, f"get_{field}_display")()} if value else None


def amount(value) -> str | None:
    return None if value is None else str(value)


def live(page):
    """A linked page only while it is published (the site hides links to unpublished pages too)."""
    return page if page is not None and page.live else None


_ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


def absolute_html(html: str, context) -> str:
    """Root-relative links and images in rendered HTML, made absolute so the HTML works off this site."""
    base = context["request"].build_absolute_uri("/")
    return _ROOT_RELATIVE.sub(lambda match: match.group(1) + base, html)


def rendered_body(page, context) -> str:
    return absolute_html(str(page.body.render_as_block(context={"request": context["request"]})), context)


class Choice(Schema):
    value: str
    label: str


class ThemeOut(Schema):
    slug: str
    name: str


class DepartmentOut(Schema):
    code: str
    name: str


class RegionOut(Schema):
    code: str
    name: str


class PageRef(Schema):
    """Another published page: enough to show a link to it."""

    id: int
    title: str
    url: str | None

    @staticmethod
    def resolve_url(obj, context):
        return page_url(obj, context)


class InterpretationRef(PageRef):
    date: dt.date
    form: Choice

    @staticmethod
    def resolve_form(obj):
        return choice(obj, "form")


class DocumentLink(Schema):
    title: str
    url: str


# --- list items ------------------------------------------------------------------------------------------


class ContentItem(Schema):
    id: int
    title: str
    url: str | None
    date: dt.date
    summary: str
    theme: ThemeOut | None
    department: DepartmentOut | None

    @staticmethod
    def resolve_url(obj, context):
        return page_url(obj, context)


class ArticleItem(ContentItem):
    subtitle: str
    source: str


class PolicyItem(ContentItem):
    index_number: str
    document_number: str
    issuing_authority: DepartmentOut
    written_date: dt.date
    validity: Choice
    validity_changed_on: dt.date | None
    replaced_by: PageRef | None

    @staticmethod
    def resolve_validity(obj):
        return choice(obj, "validity")

    @staticmethod
    def resolve_replaced_by(obj):
        return live(obj.replaced_by) if obj.replaced_by_id else None


class InterpretationItem(ContentItem):
    form: Choice
    policy: PageRef | None

    @staticmethod
    def resolve_form(obj):
        return choice(obj, "form")

    @staticmethod
    def resolve_policy(obj):
        return live(obj.policy)


class NoticeItem(ContentItem):
    notice_type: Choice
    project_code: str
    project_name: str
    procurement_method: Choice
    category: Choice
    purchaser: str
    agency: str
    region: RegionOut | None
    budget_amount: str | None
    max_price: str | None
    bid_deadline: dt.datetime | None
    bid_opening: dt.datetime | None
    supplier: str
    award_amount: str | None
    subject_matter: str

    @staticmethod
    def resolve_notice_type(obj):
        return choice(obj, "notice_type")

    @staticmethod
    def resolve_procurement_method(obj):
        return choice(obj, "procurement_method")

    @staticmethod
    def resolve_category(obj):
        return choice(obj, "category")

    @staticmethod
    def resolve_budget_amount(obj):
        return amount(obj.budget_amount)

    @staticmethod
    def resolve_max_price(obj):
        return amount(obj.max_price)

    @staticmethod
    def resolve_award_amount(obj):
        return amount(obj.award_amount)

    @staticmethod
    def resolve_bid_deadline(obj):
        return local_time(obj.bid_deadline)

    @staticmethod
    def resolve_bid_opening(obj):
        return local_time(obj.bid_opening)


# --- details ---------------------------------------------------------------------------------------------


class ArticleDetail(ArticleItem):
    author: str
    body_html: str

    @staticmethod
    def resolve_body_html(obj, context):
        return rendered_body(obj, context)


class PolicyDetail(PolicyItem):
    body_html: str
    attachments: list[DocumentLink]
    interpretations: list[InterpretationRef]

    @staticmethod
    def resolve_body_html(obj, context):
        return rendered_body(obj, context)

    @staticmethod
    def resolve_attachments(obj, context):
        return [
            {"title": item.display_title, "url": absolute(item.document.url, context)}
            for item in obj.attachments.select_related("document")
        ]

    @staticmethod
    def resolve_interpretations(obj):
        from content import selectors

        return selectors.policy_interpretations(policy=obj)


class InterpretationDetail(InterpretationItem):
    source: str
    video: DocumentLink | None
    body_html: str

    @staticmethod
    def resolve_body_html(obj, context):
        return rendered_body(obj, context)

    @staticmethod
    def resolve_video(obj, context):
        if obj.video is None:
            return None
        return {"title": obj.video.title, "url": absolute(obj.video.url, context)}


class NoticeDetail(NoticeItem):
    body_html: str

    @staticmethod
    def resolve_body_html(obj, context):
        return rendered_body(obj, context)


class ProjectOut(Schema):
    """One procurement project: its notices in the order the stages happened."""

    project_code: str
    project_name: str
    notices: list[NoticeItem]


# --- envelopes -------------------------------------------------------------------------------------------

ItemT = TypeVar("ItemT")


class CursorPage(Schema, Generic[ItemT]):
    items: list[ItemT]
    next: str | None
    size: int


class ParamError(Schema):
    param: str
    message: str


class BadRequestOut(Schema):
    detail: list[ParamError]


class MessageOut(Schema):
    detail: str
