"""Console logging for people reading it: a client's mistake is one line, a server fault keeps its traceback."""

from __future__ import annotations

import logging

from django.core.exceptions import DisallowedHost, PermissionDenied, SuspiciousOperation
from django.http import Http404

CLIENT_ERRORS = (Http404, PermissionDenied, SuspiciousOperation, DisallowedHost)


class ClientErrorsWithoutTraceback(logging.Filter):
    """Drops the traceback of 4xx records (Django logs a refused host or a bad request with exc_info)."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        error = record.exc_info[1] if record.exc_info else None
        if (status is not None and status < 500) or isinstance(error, CLIENT_ERRORS):
            record.exc_info = None
            record.exc_text = None
        return True
