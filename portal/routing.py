"""Finding the page for a URL in two queries instead of two per level of the tree.

Wagtail routes a URL one segment at a time: each level reads the child with that slug and then its specific row, so
an article three levels down costs seven queries before it renders. Here one query reads every page on the way
(each segment's slug at its depth beneath the site's root), the chain is checked in Python, and the last page's
specific row is read. Wagtail's own walk still answers whenever a page on the way could route differently: a
routable page (SectionPage's feeds) whose sub-URLs match what follows it, or a page type with its own `route`.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import Resolver404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page


def _passes_through(page: Page, remaining: list[str]) -> bool:
    """Would Wagtail's walk at `page` go on to the child named by remaining[0]?"""
    model = page.specific_class
    if model is None:
        return False
    if model.route is Page.route:
        return True
    if model.route is RoutablePageMixin.route:
        if not page.live:
            return True
        try:
            model.get_resolver().resolve("/" + "/".join(remaining) + "/")
        except Resolver404:
            return True
        return False  # the page's own sub-URL answers
    return False


def page_chain(*, root: Page, path_components: list[str]) -> list[Page] | None:
    """The pages named by `path_components` beneath `root`, outermost first; None when the walk is not plain."""
    lookups = Q()
    for level, slug in enumerate(path_components, start=1):
        lookups |= Q(depth=root.depth + level, slug=slug)
    candidates = Page.objects.filter(lookups, path__startswith=root.path)
    chain: list[Page] = []
    parent = root
    by_depth: dict[int, list[Page]] = {}
    for page in candidates:
        by_depth.setdefault(page.depth, []).append(page)
    for level in range(1, len(path_components) + 1):
        found = [page for page in by_depth.get(root.depth + level, []) if page.path.startswith(parent.path)]
        if len(found) != 1:
            return None
        chain.append(found[0])
        parent = found[0]
    for index, page in enumerate(chain[:-1]):
        if not _passes_through(page, path_components[index + 1:]):
            return None
    return chain


def _specific(page: Page) -> Page:
    """The page as its own type, with the related rows its template shows (`serve_select_related` on the model)."""
    model = page.specific_class
    related = getattr(model, "serve_select_related", ())
    if model is None or not related:
        return page.specific
    return model.objects.select_related(*related).get(pk=page.pk)


def fast_route(*, root: Page, request, path_components: list[str]):
    """A RouteResult as Wagtail's walk would give it, or None to let the walk run."""
    if not path_components or not all(path_components):
        return None
    chain = page_chain(root=root, path_components=path_components)
    if chain is None:
        return None
    target = _specific(chain[-1])
    # Treebeard's get_parent (the feed links, the breadcrumb) reads this instead of querying.
    target._cached_parent_obj = chain[-2] if len(chain) > 1 else root
    if root.depth == 2:
        target._portal_ancestors = [root, *chain[:-1]]
    return target.route(request, [])
