"""Background work for petitions that is not an email of its own: turning an update or
a decision maker's response into one queued email per recipient
(groundswell.petitions.emails), and making a delivery packet. Safe to run again."""

from __future__ import annotations

from django_tasks import task


@task()
def queue_update_emails(update_id: int) -> int:
    """Queue the update's email for every verified signer who consented to the owner."""
    from groundswell.petitions import emails

    return emails.queue_update_recipients(update_id)


@task()
def queue_response_emails(response_id: int) -> int:
    """Queue the response's email for every verified signer who consented to the owner."""
    from groundswell.petitions import emails

    return emails.queue_response_recipients(response_id)


@task()
def build_delivery_packet(packet_id: int) -> str:
    """Make the packet's PDF and CSV (petitions.actions.build_packet); returns its state."""
    from groundswell.petitions import actions

    return actions.build_packet(packet_id)
