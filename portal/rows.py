"""List rows without page objects: what a list of entries shows (title, address, date, summary, cover thumbnail),
read with one `.values()` query for the whole list.

Loading a Wagtail page per listed entry (specific class, deferred fields, revision hooks) cost about half a
millisecond a row; the home page's regions and a topic's entries show none of what that object carries beyond these
fields. The address is built the way Wagtail's `pageurl` builds it (tests/portal/test_rows.py compares the two), from
the Sites' root paths Wagtail caches.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Site

from portal import cache_tags, fragment_cache

# The thumbnail beside a listed entry that has a cover image: 4:3, at twice the size for dense screens, WebP with a JPEG
# fallback. The {% cover_thumbnail %} tag (portal_tags) names the same specs; fetching only these renditions (not an
# article page's larger ones) keeps the prefetch small.
THUMBNAIL = "fill-{120x90,240x180} format-{webp,jpeg}"
THUMBNAIL_SPECS = tuple(Filter.expand_spec(THUMBNAIL))


@dataclass(frozen=True, slots=True)
class EntryRow:
    """One entry as a list shows it; `date` is the first publication when the entry has no date of its own."""

    pk: int
    title: str
    url: str | None
    date: datetime.date | datetime.datetime | None
    first_published_at: datetime.datetime | None
    summary: str = ""
    cover_image: SafeString | None = None  # its thumbnail already written ({% cover_thumbnail %} passes it on)
    # A column kind's row (components/entry_list.html writes each kind's markup): its name and what it shows beyond
    # the plain row, by field (`<field>_display` beside a field with choices, `<fk>__name` across a join).
    row_kind: str = ""
    extra: Mapping[str, object] = field(default_factory=dict)


def thumbnail_images(image_ids: Iterable[int]) -> dict[int, object]:
    """The images with these ids and their thumbnail renditions: two queries, none for no ids."""
    ids = {pk for pk in image_ids if pk}
    if not ids:
        return {}
    image_model = get_image_model()
    # The response shows these images: replacing one's file (which deletes its renditions) purges it.
    label = cache_tags.tracked_label(image_model)
    if label:
        cache_tags.shows(*(f"{label}:{pk}" for pk in ids))
    renditions = image_model.get_rendition_model().objects.filter(filter_spec__in=THUMBNAIL_SPECS)
    # Wagtail's image looks for `prefetched_renditions` before it asks the cache or the database.
    images = image_model.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("renditions", queryset=renditions, to_attr="prefetched_renditions"))
    return {image.pk: image for image in images}


THUMBNAIL_FRAGMENT = "cover-thumbnail"
THUMBNAIL_TEMPLATE = (
    '{% load wagtailimages_tags %}<span class="entry-thumb">{% picture image fill-{120x90,240x180} format-{webp,jpeg} '
    'sizes="(max-width: 599px) 80px, 120px" loading="lazy" decoding="async" alt=image.default_alt_text %}</span>'
)


@functools.cache
def _thumbnail_template():
    from django.template import engines

    return engines["django"].from_string(THUMBNAIL_TEMPLATE)


def thumbnail_html(image) -> str:
    """The <picture> of an image as a list's thumbnail (its renditions made if missing)."""
    return _thumbnail_template().render({"image": image})


def thumbnail_parts(image) -> tuple:
    """Everything the thumbnail's HTML depends on: the key it is kept under (fragment_cache.by_content)."""
    return (image.pk, image.file.name, image.file_hash, image.focal_point_x, image.focal_point_y,
            image.focal_point_width, image.focal_point_height, image.default_alt_text)


def cover_thumbnails(image_ids: Iterable[int]) -> dict[int, SafeString]:
    """The thumbnail HTML of each image: one query for what the kept HTML depends on; the images and their
    renditions (two more) only for those not kept yet."""
    ids = {pk for pk in image_ids if pk}
    if not ids:
        return {}
    image_model = get_image_model()
    # The response shows these images: replacing one's file (which deletes its renditions) purges it.
    label = cache_tags.tracked_label(image_model)
    if label:
        cache_tags.shows(*(f"{label}:{pk}" for pk in ids))
    described = any(field.name == "description" for field in image_model._meta.concrete_fields)
    fields = ["pk", "file", "file_hash", "focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height",
              "title", *(["description"] if described else [])]
    parts = {
        row["pk"]: (row["pk"], row["file"], row["file_hash"], row["focal_point_x"], row["focal_point_y"],
                    row["focal_point_width"], row["focal_point_height"], row.get("description") or row["title"])
        for row in image_model.objects.filter(pk__in=ids).values(*fields)
    }
    html = fragment_cache.by_content_many(
        name=THUMBNAIL_FRAGMENT, parts=parts,
        build=lambda missing: {pk: thumbnail_html(image) for pk, image in thumbnail_images(missing).items()},
    )
    return {pk: mark_safe(value) for pk, value in html.items()}


def page_url_builder(*, request):
    """A function of a page's url_path giving the address `{% pageurl %}` gives for that page on this request."""
    # Ordered as Page.get_url_parts orders them; kept on the request where Wagtail's own pageurl keeps them.
    site_roots = getattr(request, "_wagtail_cached_site_root_paths", None)
    if site_roots is None:
        site_roots = Site.get_site_root_paths()
        if request is not None:
            request._wagtail_cached_site_root_paths = site_roots
    current = Site.find_for_request(request) if request is not None else None
    several_sites = len({root.site_id for root in site_roots}) > 1
    serve_prefix = reverse("wagtail_serve", args=("",))

    def url(url_path: str) -> str | None:
        relevant = [root for root in site_roots if url_path.startswith(root.root_path)]
        if not relevant:
            return None
        # A page under more than one site's root: the current site's address, as Wagtail prefers it.
        root = next((r for r in relevant if current is not None and r.site_id == current.pk), relevant[0])
        # reverse("wagtail_serve") quotes the path this way (a Chinese slug is percent-encoded).
        path = serve_prefix + quote(url_path[len(root.root_path):], safe=RFC3986_SUBDELIMS + "/~:@")
        if several_sites and (current is None or current.pk != root.site_id):
            return root.root_url + path
        return path

    return url


def entry_rows(qs: QuerySet, *, request, limit: int | None = None, date_field: str = "date",
               summary_field: str | None = None, cover_field: str | None = None, row_kind: str = "",
               extra_fields: tuple[str, ...] = (), tracked: Mapping[str, str] | None = None) -> list[EntryRow]:
    """The first `limit` entries of `qs` (narrowed and ordered) as rows: one query, two more when a row has a cover
    image (`cover_field` names its id column, e.g. "cover_image" or "articlepage__cover_image"). `extra_fields` are
    read into each row's `extra`, with the label of a field with choices as `<field>_display`; `tracked` maps an
    id column among them to the tracked model (`app.model`) whose object the row shows, tagged as if loaded."""
    fields = ["pk", "title", "url_path", "first_published_at", "search_description", "last_published_at",
              "latest_revision_created_at"]
    if date_field != "first_published_at":
        fields.append(date_field)
    if summary_field:
        fields.append(summary_field)
    if cover_field:
        fields.append(cover_field)
    fields += [name for name in extra_fields if name not in fields]
    values = list(qs.select_related(None).prefetch_related(None).values(*fields)[:limit])
    for row in values:
        cache_tags.shows_listed(row["pk"], row["last_published_at"], row["latest_revision_created_at"])
        for column, label in (tracked or {}).items():
            if row[column] is not None:
                cache_tags.shows(f"{label}:{row[column]}", f"{label}:set")
    labels = choice_labels(qs.model, extra_fields)
    thumbnails = cover_thumbnails(row[cover_field] for row in values) if cover_field else {}
    url = page_url_builder(request=request)
    return [
        EntryRow(
            pk=row["pk"], title=row["title"], url=url(row["url_path"]),
            date=row[date_field] or row["first_published_at"], first_published_at=row["first_published_at"],
            summary=(row[summary_field] if summary_field else "") or row["search_description"],
            cover_image=thumbnails.get(row[cover_field]) if cover_field else None,
            row_kind=row_kind, extra=_extra(row, extra_fields, labels) if extra_fields else {},
        )
        for row in values
    ]


def choice_labels(model, names: Iterable[str]) -> dict[str, dict]:
    """For each of `names` that is a field of `model` with choices: value -> label, as get_<field>_display reads it."""
    labels = {}
    for name in names:
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a lookup across a join ("region__name")
            continue
        if model_field.choices:
            labels[name] = dict(model_field.flatchoices)
    return labels


def _extra(row: dict, names: tuple[str, ...], labels: dict[str, dict]) -> dict:
    extra = {name: row[name] for name in names}
    for name, choices in labels.items():
        value = row[name]
        extra[f"{name}_display"] = force_str(choices.get(value, value), strings_only=True)
    return extra
