"""RSS 2.0 and Atom feeds of columns and topics (to be written)."""

from django.http import Http404


def section_feed(request, *, section, fmt: str):
    raise Http404


def topic_feed(request, *, topic, fmt: str):
    raise Http404
