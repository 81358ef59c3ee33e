"""Background work for petitions that is not an email of its own: turning an update
into one queued email per recipient (groundswell.petitions.emails). Safe to run again."""

from __future__ import annotations

from django_tasks import task


@task()
def queue_update_emails(update_id: int) -> int:
    """Queue the update's email for every verified signer who consented to the owner."""
    from groundswell.petitions import emails

    return emails.queue_update_recipients(update_id)
