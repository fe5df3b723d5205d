"""The read-only JSON content API (django-ninja), mounted at /api/v1/ with its OpenAPI description."""

from content.api.endpoints import api

__all__ = ["api"]
