"""Column listings: parse the filters in the URL, list, paginate."""

from __future__ import annotations

from content import listings
from portal.cache import cached_for_content
from portal.pagination import CachedCountPaginator, paginate


# Filters that stay available in the URL (and the API) but would crowd the filter bar; the year has its own select.
FILTERS_NOT_IN_BAR = frozenset({"year", "date_from", "date_to", "project", "policy"})


def section_listing_context(request, *, section) -> dict:
    """What a column page shows: its filter form, the filtered and paginated entries, its feeds."""
    listing = listings.listing_for(section.listing_kind)
    filterset = listing.bound(request.GET, within=section)  # a bad filter is a FilterError: the 400 handler answers
    # One filter set validates the URL, narrows the list and renders the filter bar.
    entries, cleaned, form = filterset.filter_queryset(filterset.queryset), filterset.cleaned(), filterset.form
    count_key = f"section:{section.pk}:{listing.kind}:{sorted((k, str(v)) for k, v in cleaned.items())}"
    page_obj = paginate(request, entries, per_page=section.per_page,
                        paginator_class=lambda *a, **kw: CachedCountPaginator(*a, count_key=count_key, **kw))
    page_obj.object_list = listing.rows(page_obj.object_list, request=request)
    context = {
        "breadcrumb": section.breadcrumb(),
        "listing": listing,
        "filter_fields": [form[name] for name in form.fields if name not in FILTERS_NOT_IN_BAR],
        "active_filters": cleaned,
        "years": section_years(section=section, listing=listing),
        "page_obj": page_obj,
    }
    if not any(name in request.GET for name in (*form.fields, "year")):
        context["filter_bar"] = unfiltered_filter_bar(request, section=section, listing=listing, context=context)
    return context


def unfiltered_filter_bar(request, *, section, listing, context: dict) -> str:
    """The filter bar as a column shows it before any filter is chosen (most visits), kept as a fragment under the
    tags of the choices it lists (departments, themes: editing or adding one builds it again): writing its <select>
    options loaded every department and theme and took about a fifth of a column's render."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe
    from wagtail.models import Site

    from portal import fragment_cache, sites

    site = Site.find_for_request(request)
    key = (f"{sites._version()}:{site.pk if site else 0}:{section.pk}:{section.url_path}:{section.title}:"
           f"{listing.kind}:{context['years']}")
    bar = {"page": section, "request": request, "years": context["years"],
           "filter_fields": context["filter_fields"], "active_filters": {}}
    return mark_safe(fragment_cache.fragment(
        name="filter-bar", key=key, build=lambda: str(render_to_string("components/filter_bar.html", bar))))


def section_years(*, section, listing) -> list[int]:
    """The years that have entries in a column, newest first, for the year filter."""

    def compute() -> list[int]:
        qs = listing.queryset(within=section).order_by()
        if listing.date_field == "first_published_at":
            return [moment.year for moment in qs.datetimes(listing.date_field, "year", order="DESC")]
        return [day.year for day in qs.dates(listing.date_field, "year", order="DESC")]

    return cached_for_content(f"years:{section.pk}:{listing.kind}", compute)
