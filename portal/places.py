"""Where a page served by an app view sits in the page tree: its front door and the steps after it.

Apps declare their views' places as a table (url name → Place) and expose them through a context processor made
by `place_context_processor`; base.html then marks the front door in the main navigation and templates show the
trail with components/trail.html, so a person always knows where they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from wagtail.models import Page


@dataclass(frozen=True)
class Place:
    door: type[Page]  # the front-door page type (one of each in a site)
    title: str  # what the breadcrumb calls the page itself
    # (title, url name or "door:<route>") between the door and the page
    steps: tuple[tuple[str, str], ...] = field(default=())


@dataclass(frozen=True)
class Crumb:
    title: str
    url: str


def front_door(model: type[Page]) -> Page | None:
    """The live front door of a type, or None in a site that has not placed one."""
    return model.objects.live().public().order_by("path").first()


def trail_for(place: Place, *, door: Page | None) -> list[Crumb]:
    """首页 › …ancestors › the door › the steps, all links; the page's own title follows them unlinked."""
    crumbs = []
    if door is not None:
        crumbs = [Crumb(page.title, page.url) for page in door.get_ancestors().filter(depth__gt=1).specific()]
        crumbs.append(Crumb(door.title, door.url))
    else:
        crumbs = [Crumb("首页", "/")]
    for title, url_name in place.steps:
        if url_name.startswith("door:"):  # a route of the front door itself, e.g. "door:developers/"
            if door is not None:
                crumbs.append(Crumb(title, door.url + url_name.removeprefix("door:")))
            continue
        try:
            crumbs.append(Crumb(title, reverse(url_name)))
        except NoReverseMatch:
            continue
    return crumbs


def place_context_processor(namespace: str, places: Callable[[], dict[str, Place]], default: str):
    """A context processor giving the views of `namespace` their place: `place` (the front door, for the menu),
    `trail` (the links before the page) and `trail_title` (the page itself)."""

    def processor(request) -> dict:
        match = getattr(request, "resolver_match", None)
        if match is None or match.namespace.split(":")[0] != namespace:
            return {}
        if not hasattr(request, "_portal_place"):
            table = places()
            place = table.get(match.url_name) or table[default]
            door = front_door(place.door)
            request._portal_place = {"place": door, "trail": trail_for(place, door=door), "trail_title": place.title}
        return request._portal_place

    return processor
