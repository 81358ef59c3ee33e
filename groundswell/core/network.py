"""No transaction stays open across network I/O.

A transaction held while an SMTP server or a webhook endpoint takes its time holds its
row locks (and on SQLite the one write lock) just as long: every signer waits behind a
slow mail server. So every place that talks to the network (sending email, posting a
webhook, asking a geocoder) calls `outside_transaction()` first; it raises if the
calling thread is inside `transaction.atomic`, on any database. The whole test suite
runs with it, so a send that slips into a transaction fails a test instead of stalling
production.
"""

from __future__ import annotations

from django.db import connections


class InsideTransaction(RuntimeError):
    """Network I/O was about to start while a database transaction is open."""


def open_transactions() -> list[str]:
    """The database aliases on which this thread is inside an atomic block of its own
    (a test case's wrapping transaction, which stands for "no transaction", aside)."""
    inside = []
    for connection in connections.all(initialized_only=True):
        blocks = connection.atomic_blocks
        if any(not getattr(block, "_from_testcase", False) for block in blocks):
            inside.append(connection.alias)
    return inside


def outside_transaction(what: str) -> None:
    """Raise InsideTransaction if a transaction is open: `what` names the I/O."""
    inside = open_transactions()
    if inside:
        raise InsideTransaction(
            f"{what} inside a database transaction ({', '.join(inside)}): "
            "commit first, then talk to the network"
        )
