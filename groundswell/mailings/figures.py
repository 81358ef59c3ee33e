"""A mailing's figures, counted from its recipients, without trackers: no open pixel,
no rewritten link; only what the mail servers and the people themselves told us."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from groundswell.mailings.models import Mailing, MailingState, Recipient, RecipientState
from groundswell.people.models import Channel, Consent


@dataclass(frozen=True)
class Figures:
    recipients: int
    sent: int
    waiting: int
    not_sent: int
    bounced: int
    complaints: int
    unsubscribed: int
    done: bool

    @property
    def percent(self) -> int:
        """How far the sending got: settled recipients of all."""
        if self.done or not self.recipients:
            return 100 if self.done else 0
        return min(100, (self.recipients - self.waiting) * 100 // self.recipients)

    def as_json(self) -> dict[str, int | bool]:
        return {
            "recipients": self.recipients,
            "sent": self.sent,
            "waiting": self.waiting,
            "not_sent": self.not_sent,
            "bounced": self.bounced,
            "complaints": self.complaints,
            "unsubscribed": self.unsubscribed,
            "percent": self.percent,
            "done": self.done,
        }


def of(mailing: Mailing) -> Figures:
    """The mailing's figures now (a few indexed counts over its recipients)."""
    rows = Recipient.objects.filter(mailing=mailing)
    totals = rows.aggregate(
        recipients=Count("pk"),
        sent=Count("pk", filter=Q(state=RecipientState.SENT)),
        waiting=Count("pk", filter=Q(state__in=[RecipientState.PENDING, RecipientState.QUEUED])),
        bounced=Count("pk", filter=Q(bounced_at__isnull=False)),
        complaints=Count("pk", filter=Q(complained_at__isnull=False)),
    )
    unsubscribed = 0
    if mailing.started_at is not None:
        # Withdrew their email consent to the organization after the mailing started.
        unsubscribed = rows.filter(
            Exists(
                Consent.objects.filter(
                    person=OuterRef("person"),
                    organization_id=mailing.organization_id,
                    channel=Channel.EMAIL,
                    withdrawn_at__gte=mailing.started_at,
                )
            )
        ).count()
    done = mailing.state in (MailingState.SENT, MailingState.CANCELLED)
    return Figures(
        recipients=totals["recipients"],
        sent=totals["sent"],
        waiting=0 if done else totals["waiting"],
        not_sent=totals["recipients"] - totals["sent"] - (0 if done else totals["waiting"]),
        bounced=totals["bounced"],
        complaints=totals["complaints"],
        unsubscribed=unsubscribed,
        done=done,
    )
