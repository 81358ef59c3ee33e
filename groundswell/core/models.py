"""What the platform's own machinery keeps: the workers' heartbeats, the outbox of
emails, and the counters behind every rate limit."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class WorkerBeat(models.Model):
    """One worker process: when it last showed it was alive.

    A worker writes its row every few seconds from a thread of its own, so a long task
    does not silence it. A row whose beat has gone stale belongs to a worker that died
    without saying goodbye (kill -9, a lost machine): its claimed work is taken back.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)
    # When its clock last finished a round of periodic jobs (null: it runs no clock).
    clock_at = models.DateTimeField(null=True, blank=True)
    # What it is doing now (a task's name), and the trouble it is riding out, if any.
    doing = models.CharField(max_length=200, blank=True)
    incident = models.CharField(max_length=300, blank=True)
    # Set when it stopped: by itself on a clean exit, or by a peer that found it dead.
    stopped_at = models.DateTimeField(null=True, blank=True)
    lost = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.worker_id


class OutboundEmail(models.Model):
    """One email to one recipient, from the moment it is decided until it is sent.

    The row is written in the same transaction as the change that calls for the email
    (a signature, an RSVP, an update's recipients), so nothing decided is lost; it is
    sent later by a worker, outside any transaction. `key` names the email uniquely
    (e.g. "petitions.update:12:person:345"), so deciding the same email twice queues it
    once. The message itself is built when it is sent, from `kind` and `args`, so it
    reflects the facts of that moment (an erased person gets nothing).
    """

    class State(models.TextChoices):
        QUEUED = "queued"
        CLAIMED = "claimed"  # a worker is sending it
        HANDED = "handed"  # the server has all of it; its answer is awaited
        SENT = "sent"
        SKIPPED = "skipped"  # no longer called for when its turn came
        FAILED = "failed"  # refused by the mail server, or out of tries

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=60)
    args = models.JSONField(default=dict)
    group = models.CharField(max_length=100, blank=True, db_index=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    # Lower goes first: a signer's confirmation or a password reset (someone is waiting
    # for it) before the thousands of emails of an update.
    priority = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["priority", "due_at", "id"],
                condition=Q(state="queued"),
                name="outbound_due",
            ),
            models.Index(
                fields=["claimed_by"],
                condition=Q(state__in=["claimed", "handed"]),
                name="outbound_claimed",
            ),
            models.Index(fields=["state", "created_at"], name="outbound_state_created"),
        ]

    def __str__(self) -> str:
        return self.key


class RateCounter(models.Model):
    """How many times something happened in the current window of one rate limit.

    Without Redis, every app process and server shares these rows; one upsert counts
    and reads a hit atomically (see groundswell.core.ratelimit).
    """

    key = models.CharField(max_length=200, primary_key=True)
    window = models.BigIntegerField()  # the window's number: seconds since epoch // length
    count = models.PositiveIntegerField()
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class HealthProbe(models.Model):
    """A single row that /healthz writes, to know the database takes writes."""

    written_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"written at {self.written_at}"
