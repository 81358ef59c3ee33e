"""Erasing signers' personal details some months after a petition closes.

A closed petition keeps its counts, its charts (day and source) and, per signature,
the 3-digit ZIP prefix and the ward the worker found (a point given with it is
erased), enough for ward-level totals, but no longer who signed.
Signers who are supporters (a Person, with consent to hear from an organization) stay
in the people app: their consent is theirs to withdraw there, not erased here.
"""

from __future__ import annotations

import datetime
import logging
from calendar import monthrange

from django.conf import settings
from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast, Concat, Substr
from django.utils import timezone

from groundswell.petitions.models import Petition, Signature, Status

logger = logging.getLogger(__name__)

BATCH = 5000


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time `months` calendar months earlier (the 31st falls back to
    the last day of a shorter month)."""
    index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(index, 12)
    day = min(moment.day, monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def due(now: datetime.datetime | None = None) -> QuerySet[Signature]:
    """Signatures not yet anonymized on petitions closed (or won) more than
    SIGNATURE_RETENTION_MONTHS months before `now`."""
    cutoff = months_before(now or timezone.now(), settings.SIGNATURE_RETENTION_MONTHS)
    petitions = Petition.objects.filter(
        status__in=[Status.CLOSED, Status.WON], closed_at__isnull=False, closed_at__lt=cutoff
    )
    return Signature.objects.filter(petition__in=petitions, anonymized_at__isnull=True)


def anonymize(signatures: QuerySet[Signature], now: datetime.datetime) -> int:
    """Erase the personal fields of these signatures, keeping what the counts are made
    of (state, day, source, suspect and invalidated marks) and the 3-digit ZIP prefix.
    A row already anonymized is left alone; returns how many were anonymized.

    The delivery packets listing any of them are withdrawn and their files deleted."""
    from groundswell.petitions.actions.delivery import withdraw_packets_listing

    pending = signatures.filter(anonymized_at__isnull=True)
    withdraw_packets_listing(pending)
    return pending.update(
        first_name="",
        last_name="",
        email="",
        # Unique per petition, and never an address (no @): keeps the constraint.
        email_normalized=Concat(Value("anonymized-"), Cast("pk", CharField())),
        zip_code=Substr("zip_code", 1, 3),
        address="",
        lat=None,
        lon=None,
        comment="",
        ip_address=None,
        person=None,
        public=False,
        anonymized_at=now,
    )


def anonymize_closed(now: datetime.datetime | None = None) -> int:
    """Erase the personal fields of signatures due (see `due`); returns how many.

    Works in batches of BATCH rows, one UPDATE each, so a large petition never holds
    long locks. Counts are untouched: what they are computed from (state, day, source,
    suspect and invalidated marks) does not change. Safe to run in several workers at
    once: a row already anonymized is left alone.
    """
    now = now or timezone.now()
    pending = due(now).order_by("pk").values_list("pk", flat=True)
    done = 0
    while ids := list(pending[:BATCH]):
        done += anonymize(Signature.objects.filter(pk__in=ids), now)
    if done:
        logger.info("Anonymized %s signatures of petitions closed long ago", done)
    return done
