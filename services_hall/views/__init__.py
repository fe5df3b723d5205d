"""Public views of the services hall. They parse input, call a selector or service, and render."""

from .inquiry import inquiry

__all__ = ["inquiry"]
