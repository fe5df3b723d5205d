"""Content's URLs at the root of the site: the site-wide latest feed (every column's newest entries)."""

from django.urls import path

from content.latest import latest_feed

urlpatterns = [
    path("feed/latest/<str:fmt>/", latest_feed, name="latest_feed"),
]
