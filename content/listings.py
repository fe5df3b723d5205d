"""What a column lists: one declaration per kind of content, used by column pages, feeds and the API.

A column (SectionPage) names the kind it lists; an empty kind lists every page beneath it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from wagtail.images import get_image_model
from wagtail.models import Page

from content import filters
from content.models import ArticlePage, InterpretationPage, PolicyPage, ProcurementNoticePage
from portal import cache_tags
from portal.rows import THUMBNAIL_SPECS, EntryRow, entry_rows
from portal.selectors import LISTING_FIELDS


@dataclass(frozen=True)
class Listing:
    kind: str
    label: str
    model: type[Page]
    filterset: type[filters.ListFilterSet]
    select_related: tuple[str, ...] = ()
    date_field: str = "date"
    with_thumbnails: bool = False  # its entries carry a cover image shown beside them in a list
    # What a column of this kind shows of each entry beyond the plain row (cover thumbnail, title, date): the fields
    # read into its list row (portal/rows.py), written by components/entry_list.html's markup for this kind; empty
    # for the plain row.
    row_fields: tuple[str, ...] = ()
    row_tracked: tuple[tuple[str, str], ...] = ()  # (id column, app.model) of a snippet a row shows

    def queryset(self, *, within: Page | None = None) -> QuerySet:
        """Published, public entries of this kind (beneath `within` if given), newest first."""
        if self.model is Page:
            from portal.models import SectionPage

            qs = Page.objects.live().public().not_type(SectionPage).only(*LISTING_FIELDS)
        else:
            qs = self.model.objects.live().public().defer_streamfields().select_related(*self.select_related)
        if within is not None:
            cache_tags.shows_below(within)
            qs = qs.descendant_of(within)
        else:
            cache_tags.shows_all_pages()
        return qs.order_by(f"-{self.date_field}", "-pk")

    def shown(self, *, within: Page | None = None) -> QuerySet:
        """The entries as a list on a page shows them (the home page's regions)."""
        return self.for_display(self.queryset(within=within))

    def for_display(self, qs: QuerySet) -> QuerySet:
        """`qs` with what a list on a page shows beside each entry: the cover image and its thumbnail renditions,
        fetched in two queries for the whole list whatever its length (feeds and the API, which show no thumbnail,
        leave them out)."""
        return with_thumbnail_renditions(qs, "cover_image") if self.with_thumbnails else qs

    def rows(self, entries: QuerySet, *, request) -> list[EntryRow]:
        """A page of `entries` as the column shows it, as list rows: one query (two more for cover thumbnails)."""
        return entry_rows(entries, request=request, date_field=self.date_field,
                          cover_field="cover_image" if self.with_thumbnails else None,
                          row_kind=self.kind if self.row_fields else "", extra_fields=self.row_fields,
                          tracked=dict(self.row_tracked))

    def bound(self, data, *, within: Page | None = None) -> filters.ListFilterSet:
        """This listing's filter set bound to `data` and validated (FilterError on bad input); its `qs` is the
        filtered queryset and its form renders the filter bar."""
        filterset = self.filterset(data, queryset=self.queryset(within=within))
        filterset.cleaned()
        return filterset

    def filtered(self, data, *, within: Page | None = None) -> tuple[QuerySet, dict]:
        """The queryset narrowed by the filters in `data` and the cleaned filter values (FilterError on bad input)."""
        filterset = self.bound(data, within=within)
        return filterset.filter_queryset(filterset.queryset), filterset.cleaned()


ENTRIES = Listing("", "全部内容", Page, filters.EntryFilterSet, date_field="first_published_at")

LISTINGS: dict[str, Listing] = {
    listing.kind: listing
    for listing in (
        Listing("article", "财政新闻", ArticlePage, filters.ArticleFilterSet,
                select_related=("department",), with_thumbnails=True),
        Listing("policy", "政策文件", PolicyPage, filters.PolicyFilterSet, select_related=("issuing_authority",),
                row_fields=("document_number", "validity")),
        Listing("interpretation", "政策解读", InterpretationPage, filters.InterpretationFilterSet,
                select_related=("policy",), row_fields=("form",)),
        Listing("procurement", "政府采购公告", ProcurementNoticePage, filters.ProcurementFilterSet,
                select_related=("region",),
                row_fields=("notice_type", "procurement_method", "category", "region", "region__name"),
                row_tracked=(("region", "content.region"),)),
    )
}

def with_thumbnail_renditions(qs: QuerySet, image_field: str) -> QuerySet:
    """`qs` with the image in `image_field` joined in and its thumbnail renditions prefetched (one more query)."""
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=THUMBNAIL_SPECS)
    # Wagtail's image looks for `prefetched_renditions` before it asks the cache or the database.
    return qs.select_related(image_field).prefetch_related(
        Prefetch(f"{image_field}__renditions", queryset=renditions, to_attr="prefetched_renditions"))


def topic_rows(entries: QuerySet[Page], *, request) -> list[EntryRow]:
    """A topic's entries (of mixed kinds) as list rows, each news article with its cover thumbnail: one query for
    the rows, two more for the covers when any is shown."""
    return entry_rows(entries, request=request, date_field="first_published_at",
                      cover_field="articlepage__cover_image")


def listing_for(kind: str) -> Listing:
    return LISTINGS.get(kind, ENTRIES)


TAGGED_MODELS = (ArticlePage, PolicyPage, InterpretationPage, ProcurementNoticePage)


def topic_entries(*, topic) -> QuerySet[Page]:
    """Published content of every kind tagged with the topic's tag, newest first."""
    from django.db.models import Q

    cache_tags.shows_tagged(topic.tag)
    tagged = Q()
    for model in TAGGED_MODELS:
        through = model.tags.through
        tagged |= Q(pk__in=through.objects.filter(tag__name=topic.tag).values("content_object_id"))
    return (
        Page.objects.live().public().filter(tagged).only(*LISTING_FIELDS).order_by("-first_published_at", "-pk")
    )
