"""What a response shows, as tags, and which tags a change purges.

While a public page renders, every page and every tracked object (snippets, site settings and their rows, the models
in PAGE_CACHE_TRACKED_MODELS) that is loaded is noted as a tag; lists add a tag for what they list (`shows_below`,
`shows_all_pages`, `shows_tagged`). The page cache (portal/page_cache.py) and Varnish keep each response under its
tags, and a change purges exactly the tags in the table below.

| tag | a response carrying it shows | purged when |
|---|---|---|
| page:<pk> | that page (its title, address, content: as the page, in a list, a menu or a breadcrumb) | the page is published, unpublished, moved or deleted, its view restriction changes, or a page above it moves or changes its slug |
| below:<path> | a list of what lies beneath the page at that tree path (a column, a home-page region) | a page beneath it is published, unpublished, moved or deleted |
| kind:<app.model> | a list of one page type from the whole tree (the data catalog) | a page of that type is |
| pages:all | a list over the whole site (the latest feed, the sitemap) or too many pages to name | any page is |
| tag:<hash> | the pages carrying one content tag (a topic) | a page with that tag is |
| <app.model>:<pk> | one tracked object | it is saved or deleted |
| <app.model>:set | some objects of a tracked model (a filter's choices) | one is created or deleted |
"""

from __future__ import annotations

import contextvars
import hashlib
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings

# Tags of the response being rendered; None outside a request the page cache looks at.
_collecting: contextvars.ContextVar[TagCollector | None] = contextvars.ContextVar("portal_cache_tags", default=None)

# Beyond this many tags a response is tagged by kind (pages:all, <model>:set) instead: a Varnish header stays small.
MAX_TAGS = 120
# Fields that say when a shown object last changed, for Last-Modified.
TIMESTAMP_FIELDS = ("last_published_at", "latest_revision_created_at", "updated_at", "modified_at", "replied_at")


class TagCollector:
    __slots__ = ("tags", "last_modified", "uncacheable", "counts")

    def __init__(self) -> None:
        self.counts: list[tuple[str, int]] = []
        self.tags: set[str] = set()
        self.last_modified = None
        self.uncacheable = False

    def seen(self, instance) -> None:
        for field in TIMESTAMP_FIELDS:
            value = instance.__dict__.get(field)
            if value is not None and not isinstance(value, str) and (
                self.last_modified is None or value > self.last_modified
            ):
                self.last_modified = value

    def final_tags(self) -> list[str]:
        tags = self.tags
        if len(tags) > MAX_TAGS:
            collapsed = set()
            for tag in tags:
                kind, _, rest = tag.partition(":")
                if kind == "page":
                    collapsed.add("pages:all")
                elif kind in ("below", "tag", "pages"):
                    collapsed.add(tag)
                else:
                    collapsed.add(f"{kind}:set" if rest != "set" else tag)
                    collapsed.add(f"{kind}:all")
            tags = collapsed
        return sorted(tags)


def collecting() -> TagCollector | None:
    return _collecting.get()


def collect_start() -> tuple[TagCollector, contextvars.Token]:
    if not _watching:
        watch_loaded_instances()
    collector = TagCollector()
    return collector, _collecting.set(collector)


def collect_stop(token: contextvars.Token) -> None:
    _collecting.reset(token)


def shows(*tags: str) -> None:
    """The response being rendered shows what these tags name."""
    collector = _collecting.get()
    if collector is not None:
        collector.tags.update(tags)


def shows_fragment(tags, *, last_modified=None) -> None:
    """The response shows a stored fragment (portal/fragment_cache.py): its tags and its newest change."""
    collector = _collecting.get()
    if collector is not None:
        collector.tags.update(tags)
        if last_modified is not None and (collector.last_modified is None or last_modified > collector.last_modified):
            collector.last_modified = last_modified


def shows_listed(pk: int, *timestamps) -> None:
    """A list shows the page `pk` from a row it read without loading the page (portal/rows.py): tagged, and its
    timestamps counted for Last-Modified, as if the page had been loaded."""
    collector = _collecting.get()
    if collector is None:
        return
    collector.tags.add(f"page:{pk}")
    for value in timestamps:
        if value is not None and (collector.last_modified is None or value > collector.last_modified):
            collector.last_modified = value


def shows_below(page) -> None:
    """The response lists published pages beneath `page`: a new one there changes it."""
    if page is not None:
        shows(f"below:{page.path}")


def kind_tag(model) -> str:
    return f"kind:{model._meta.label_lower}"


def shows_kind(model) -> None:
    """The response lists pages of one type from anywhere in the tree (the data catalog)."""
    shows(kind_tag(model))


def shows_all_pages() -> None:
    """The response lists pages from the whole site (a site-wide feed, the sitemap)."""
    shows("pages:all")


def content_tag(name: str) -> str:
    # Content tags are any text (Chinese, spaces); a header token must be short ASCII without spaces.
    return "tag:" + hashlib.sha1(name.encode()).hexdigest()[:12]


def shows_tagged(name: str) -> None:
    """The response lists the pages that carry the content tag `name` (a topic)."""
    shows(content_tag(name))


# name -> function(object id): what a view counts on each visit, run again for each visit answered from the cache.
_hit_counters: dict = {}


def hit_counter_register(*, name: str, count) -> None:
    """Apps register the counters their views call through count_on_hit (from AppConfig.ready)."""
    _hit_counters[name] = count


def count_on_hit(name: str, object_id: int) -> None:
    """The view counted a visit of `object_id`: a cached copy of this response counts each visit it answers too."""
    collector = _collecting.get()
    if collector is not None:
        collector.counts.append((name, object_id))


def counted_hit(counts: list[tuple[str, int]]) -> None:
    for name, object_id in counts:
        counter = _hit_counters.get(name)
        if counter is not None:
            counter(object_id)


def not_cacheable() -> None:
    """The response depends on something beyond its address (a key, a form): it is never stored."""
    collector = _collecting.get()
    if collector is not None:
        collector.uncacheable = True


# --- noticing what is loaded -------------------------------------------------------------------------------------

_tracked: dict[type, str | None] = {}


def tracked_label(model: type) -> str | None:
    """`app.model` for a model whose objects pages show and editors change outside page publishing, else None."""
    try:
        return _tracked[model]
    except KeyError:
        pass
    label = None
    if not model._meta.abstract and not model._meta.proxy:
        concrete = model._meta.label_lower
        if concrete in _tracked_labels():
            label = concrete
    _tracked[model] = label
    return label


_labels_cache: set[str] | None = None


def _tracked_labels() -> set[str]:
    """Snippets, site settings, the rows inside those (menu items) and the models settings name."""
    global _labels_cache
    if _labels_cache is None:
        from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
        from wagtail.snippets.models import get_snippet_models

        owners = [model for model in apps.get_models() if issubclass(model, (BaseSiteSetting, BaseGenericSetting))]
        owners += list(get_snippet_models())
        labels = {model._meta.label_lower for model in owners}
        for model in apps.get_models():
            for field in model._meta.get_fields():
                related = getattr(field, "related_model", None)
                if getattr(field, "many_to_one", False) and related in owners and field.__class__.__name__ == "ParentalKey":
                    labels.add(model._meta.label_lower)
        labels.update(label.lower() for label in getattr(settings, "PAGE_CACHE_TRACKED_MODELS", ()))
        _labels_cache = labels
    return _labels_cache


_watching: list[type] = []


def watched_models() -> list[type]:
    """The models whose loading instance_loaded notes: every page type and every tracked model."""
    from wagtail.models import Page

    return [model for model in apps.get_models()
            if issubclass(model, Page) or tracked_label(model) is not None]


def watch_loaded_instances() -> None:
    """Connect instance_loaded to post_init for the watched models only. Connected for every model, it ran on each
    object any request loads (users, sessions, data rows, admin listings); per sender, the other models' post_init
    finds no receiver. Done on the first collection, once every app (and its snippets) is registered."""
    from django.db.models.signals import post_init

    if _watching:
        return
    for model in watched_models():
        post_init.connect(instance_loaded, sender=model, weak=False, dispatch_uid=f"page-cache-loaded:{model._meta.label_lower}")
        _watching.append(model)


def instance_loaded(sender, instance, **kwargs) -> None:
    """post_init: note the page or tracked object on the response being rendered."""
    collector = _collecting.get()
    if collector is None:
        return
    from wagtail.models import Page

    if isinstance(instance, Page):
        if instance.pk is not None:
            collector.tags.add(f"page:{instance.pk}")
            collector.seen(instance)
        return
    label = tracked_label(type(instance))
    if label is not None and instance.pk is not None:
        collector.tags.add(f"{label}:{instance.pk}")
        collector.tags.add(f"{label}:set")
        collector.seen(instance)


# --- what a change purges ----------------------------------------------------------------------------------------


def _ancestor_paths(path: str) -> list[str]:
    from wagtail.models import Page

    step = Page.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def page_change_tags(page, *, former_parent=None) -> set[str]:
    """Tags of every response that shows `page` or would list it (beneath `former_parent` too, after a move)."""
    tags = {f"page:{page.pk}", "pages:all"}
    specific_class = getattr(page, "specific_class", None)
    if specific_class is not None:
        tags.add(kind_tag(specific_class))
    parent_path = page.path[: -page.steplen] if page.path else ""
    for path in (parent_path, former_parent.path if former_parent is not None else ""):
        tags.update(f"below:{ancestor}" for ancestor in _ancestor_paths(path))
    manager = getattr(page, "tags", None)
    if manager is not None and hasattr(manager, "names"):
        try:
            tags.update(content_tag(name) for name in manager.names())
        except (TypeError, ValueError):
            pass
    return tags


def subtree_tags(page) -> set[str]:
    """Tags of every response that shows a page beneath `page`: their addresses change when it moves or its slug
    does, so the pages themselves and every list linking them (a topic lists by content tag, not by column) go."""
    from taggit.models import TaggedItemBase
    from wagtail.models import Page

    below = Page.objects.filter(path__startswith=page.path, depth__gt=page.depth)
    tags: set[str] = set()
    for pk, app_label, model in below.values_list("pk", "content_type__app_label", "content_type__model"):
        tags.update((f"page:{pk}", f"kind:{app_label}.{model}"))
    if not tags:
        return tags
    for through in apps.get_models():
        if not issubclass(through, TaggedItemBase):
            continue
        target = through._meta.get_field("content_object").related_model
        if isinstance(target, type) and issubclass(target, Page):
            names = through.objects.filter(content_object__path__startswith=page.path,
                                           content_object__depth__gt=page.depth).values_list("tag__name", flat=True)
            tags.update(content_tag(name) for name in set(names))
    return tags


def object_change_tags(instance, *, created: bool = False, deleted: bool = False) -> set[str]:
    label = tracked_label(type(instance))
    if label is None:
        return set()
    tags = {f"{label}:{instance.pk}", f"{label}:all"}
    if created or deleted:
        tags.add(f"{label}:set")
    return tags


def union(groups: Iterable[set[str]]) -> set[str]:
    result: set[str] = set()
    for group in groups:
        result |= group
    return result
