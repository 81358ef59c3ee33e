"""Riding out trouble: log a failure once when it starts and once when it ends.

A worker that loses its database for ten minutes retries every few seconds; a log line
per retry would bury the one line an operator needs. An Incident logs the first failure
(and a changed one), counts the rest, and logs the recovery with how long it lasted.
"""

from __future__ import annotations

import logging
import time

from django.db import InterfaceError, OperationalError

# Database errors that pass: locked (SQLite), a lock or statement timeout, a dropped or
# refused connection, a server restarting. Anything else is a bug or bad data.
TRANSIENT_DATABASE_ERRORS = (OperationalError, InterfaceError)


def is_transient_database_error(exc: BaseException) -> bool:
    return isinstance(exc, TRANSIENT_DATABASE_ERRORS)


def describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


class Incident:
    """One recurring failure of one activity (`what`), e.g. "claiming tasks"."""

    def __init__(self, logger: logging.Logger, what: str) -> None:
        self.logger = logger
        self.what = what
        self.since: float | None = None
        self.message = ""
        self.failures = 0

    @property
    def active(self) -> bool:
        return self.since is not None

    def failed(self, exc: BaseException) -> None:
        """Note a failure; logged when it starts or changes, with the traceback when it
        is not a passing database error (a bug wants its traceback)."""
        message = describe(exc)
        self.failures += 1
        trace = exc if not is_transient_database_error(exc) else None
        if self.since is None:
            self.since = time.monotonic()
            self.logger.warning("%s failed (%s); retrying", self.what, message, exc_info=trace)
        elif message != self.message:
            self.logger.warning("%s still failing, now with %s", self.what, message, exc_info=trace)
        self.message = message

    def recovered(self) -> None:
        if self.since is None:
            return
        self.logger.warning(
            "%s works again after %.1f s (%d failed tries)",
            self.what,
            time.monotonic() - self.since,
            self.failures,
        )
        self.since = None
        self.message = ""
        self.failures = 0


class Backoff:
    """Seconds to wait before the next try: doubling from `first` up to `limit`."""

    def __init__(self, first: float = 0.5, limit: float = 30.0) -> None:
        self.first = first
        self.limit = limit
        self.delay = 0.0

    def next(self) -> float:
        self.delay = min(self.limit, max(self.first, self.delay * 2))
        return self.delay

    def reset(self) -> None:
        self.delay = 0.0
