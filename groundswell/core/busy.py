"""A database that is busy for a moment (locked, restarting, at its lock timeout) is
tried again briefly, then answered with a clear 503 and Retry-After, never a generic
500: the person learns that nothing was saved and when to try again.

Important writes (a signature) retry with `retry_when_busy` and answer their own page;
any other request that meets a busy database gets the generic 503 page from the
error handler (core.views.server_error).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import close_old_connections, connection
from django.http import HttpResponse
from django.template.loader import render_to_string

from groundswell.core.incidents import is_transient_database_error

logger = logging.getLogger(__name__)

T = TypeVar("T")

RETRY_AFTER = 60  # seconds a refused person is asked to wait
WAITS = (0.1, 0.3, 0.6)  # between the tries of a busy write: about one second in all


class DatabaseBusy(Exception):
    """The database stayed busy through every try; nothing was written."""


def retry_when_busy(write: Callable[[], T], *, waits: tuple[float, ...] = WAITS) -> T:
    """Run `write` (a complete write, atomic on its own), trying again after each of
    `waits` while the database is busy; raise DatabaseBusy after the last try. Only
    outside a transaction: inside one, the caller's transaction is already broken."""
    for wait in (*waits, None):
        try:
            return write()
        except Exception as exc:
            if not is_transient_database_error(exc) or connection.in_atomic_block:
                raise
            if wait is None:
                raise DatabaseBusy(str(exc)) from exc
            logger.info("Database busy (%s); trying again in %.1f s", exc, wait)
            close_old_connections()  # a broken connection is replaced at the next query
            time.sleep(wait)
    raise AssertionError("unreachable")


def busy_response(template: str = "503.html", **context: object) -> HttpResponse:
    """The 503 page: nothing was saved, try again in a minute. Rendered without the
    request, so no context processor asks the busy database anything."""
    response = HttpResponse(render_to_string(template, context), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response
