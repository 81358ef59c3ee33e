"""Background work for webhooks: sending deliveries (groundswell.webhooks.sending)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_deliveries(delivery_ids: list[int]) -> None:
    """Try these deliveries, those that are due; failures queue their own retry."""
    from groundswell.webhooks import sending

    sending.send(delivery_ids)
