"""Errors whose message is written for the citizen who caused it."""

from django.core.exceptions import BadRequest


class PublicBadRequest(BadRequest):
    """A 400 whose message (in Chinese) names what was wrong; raised anywhere in a view, it is answered in one place,
    the 400 handler (portal.views.bad_request): the 400 page, or plain text for a request a machine reads (a feed)
    that set `request.plain_text_errors`."""
