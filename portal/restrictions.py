"""Which parts of the page tree are private (PageViewRestriction), read from the shared cache, not on every list.

Wagtail reads every PageViewRestriction each time a queryset calls `.public()` (PageQuerySet.private_q) and reads a
page's ancestors and their restrictions before serving it (Page.get_view_restrictions, in its before_serve_page hook).
A public page has no restriction above it, and the tree's restricted paths are few and change rarely; here they are
kept in the cache with the paths of alias pages (whose source's restrictions apply), and forgotten when a
restriction, an alias or the tree's shape changes. `.public()` builds the same condition from them; a page with no
restricted or alias path above it answers "no restrictions" without a query, anything else asks Wagtail as before.
"""

from __future__ import annotations


from django.conf import settings
from django.core.cache import cache
from django.db.models import Q

from portal.cache import generation, next_generation

TIMEOUT = 24 * 3600


def _version() -> int:
    return generation("restrictions")


def restrictions_changed(**_signal_kwargs) -> None:
    next_generation("restrictions")


def private_tree() -> dict[str, list[tuple[str, int]]]:
    """{"restricted": [(path, depth) of each restricted page], "aliases": [paths of alias pages]}."""
    from wagtail.models import Page, PageViewRestriction

    key = f"portal:restrictions:{_version()}"
    tree = cache.get(key)
    if tree is None:
        tree = {
            "restricted": sorted(set(PageViewRestriction.objects.values_list("page__path", "page__depth"))),
            "aliases": sorted(Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)),
        }
        cache.set(key, tree, timeout=TIMEOUT)
    return tree


def private_q(self) -> Q:
    """PageQuerySet.private_q from the cached restricted paths (the same condition Wagtail builds from its query)."""
    if not settings.FRAGMENT_CACHE_ENABLED:
        return wagtail_private_q(self)
    q = Q()
    for path, depth in private_tree()["restricted"]:
        q |= Q(path__startswith=path, depth__gte=depth)
    return q if q else Q(pk__in=[])


def _under_any(path: str, paths) -> bool:
    return any(path.startswith(other) for other in paths)


wagtail_private_q = None


def install() -> None:
    """Patch Wagtail's two readers (called once from PortalConfig.ready); FRAGMENT_CACHE_ENABLED off (the test
    settings) leaves Wagtail's own behaviour."""
    global wagtail_private_q
    from wagtail.models import Page, PageViewRestriction
    from wagtail.query import PageQuerySet

    if wagtail_private_q is not None:
        return
    wagtail_private_q = PageQuerySet.private_q
    wagtail_view_restrictions = Page.get_view_restrictions

    def get_view_restrictions(self):
        if not settings.FRAGMENT_CACHE_ENABLED:
            return wagtail_view_restrictions(self)
        tree = private_tree()
        if self.path and self.alias_of_id is None and not _under_any(self.path, tree["aliases"]) and not _under_any(
            self.path, [path for path, _ in tree["restricted"]]
        ):
            return PageViewRestriction.objects.none()
        return wagtail_view_restrictions(self)

    PageQuerySet.private_q = private_q
    Page.get_view_restrictions = get_view_restrictions


def _page_saved(sender, instance, created=False, **kwargs) -> None:
    from wagtail.models import Page

    if isinstance(instance, Page) and getattr(instance, "alias_of_id", None) is not None:
        restrictions_changed()


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.models import Page, PageViewRestriction
    from wagtail.signals import post_page_move

    post_save.connect(restrictions_changed, sender=PageViewRestriction, dispatch_uid="portal-restrictions-saved")
    post_delete.connect(restrictions_changed, sender=PageViewRestriction, dispatch_uid="portal-restrictions-deleted")
    m2m_changed.connect(restrictions_changed, sender=PageViewRestriction.groups.through,
                        dispatch_uid="portal-restrictions-groups")
    # A move changes the paths of the pages it carries; an alias made or deleted changes the alias paths.
    post_page_move.connect(restrictions_changed, dispatch_uid="portal-restrictions-moved")
    post_save.connect(_page_saved, dispatch_uid="portal-restrictions-alias-saved", weak=False)
    post_delete.connect(restrictions_changed, sender=Page, dispatch_uid="portal-restrictions-page-deleted")
